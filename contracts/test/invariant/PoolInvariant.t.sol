// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {PoolFactory} from "../../src/PoolFactory.sol";
import {Pool} from "../../src/Pool.sol";
import {Router} from "../../src/Router.sol";
import {MockERC20} from "../utils/MockERC20.sol";
import {PoolHandler} from "./handlers/PoolHandler.sol";
import {Deployers} from "../utils/Deployers.sol";

/// @notice Properties of the SCU/USDC pool that hold whatever sequence of adds, removes, swaps, donations,
/// syncs, skims and failed calls several actors make, with the protocol fee on (so its minting is covered).
contract PoolInvariantTest is Test {
    PoolHandler internal handler;
    Pool internal pool;
    MockERC20 internal scu;
    MockERC20 internal usdc;
    address internal treasury = makeAddr("treasury");
    address internal constant DEAD = 0x000000000000000000000000000000000000dEaD;

    function setUp() public {
        vm.warp(1_800_000_000);
        PoolFactory factory = Deployers.poolFactory(address(this));
        factory.setProtocolFee(treasury, 1_667);
        Router router = Deployers.router(address(factory));
        scu = new MockERC20("SCU", 18);
        usdc = new MockERC20("USDC", 6);
        pool = Pool(factory.createPool(address(scu), address(usdc)));
        handler = new PoolHandler(pool, router, scu, usdc);
        // A seeded pool, so most actions act on a live market.
        scu.mint(address(this), 1_000_000e18);
        usdc.mint(address(this), 1_400_000e6);
        scu.transfer(address(pool), 1_000_000e18);
        usdc.transfer(address(pool), 1_400_000e6);
        pool.mint(address(this));
        targetContract(address(handler));
    }

    function invariant_kNeverFallsAcrossASwap() public view {
        assertFalse(handler.ghost_kFellOnSwap());
    }

    function invariant_lpBalancesSumToTotalSupply() public view {
        uint256 sum = pool.balanceOf(address(this)) + pool.balanceOf(DEAD) + pool.balanceOf(treasury)
            + pool.balanceOf(address(pool));
        for (uint256 i; i < handler.actorCount(); ++i) {
            sum += pool.balanceOf(handler.actors(i));
        }
        assertEq(sum, pool.totalSupply());
    }

    function invariant_tokenBalancesCoverReserves() public view {
        (uint112 r0, uint112 r1,) = pool.getReserves();
        assertGe(MockERC20(pool.token0()).balanceOf(address(pool)), r0);
        assertGe(MockERC20(pool.token1()).balanceOf(address(pool)), r1);
    }

    function invariant_roundTripsNeverProfit() public view {
        assertFalse(handler.ghost_roundTripProfited());
    }

    function invariant_failedCallsChangeNothing() public view {
        assertFalse(handler.ghost_failedCallChangedState());
    }

    function invariant_minimumLiquidityStaysLocked() public view {
        assertEq(pool.balanceOf(DEAD), pool.MINIMUM_LIQUIDITY());
    }
}
