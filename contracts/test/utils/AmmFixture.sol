// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {PoolFactory} from "../../src/PoolFactory.sol";
import {Pool} from "../../src/Pool.sol";
import {Router} from "../../src/Router.sol";
import {Quoter} from "../../src/Quoter.sol";
import {MockERC20} from "./MockERC20.sol";
import {Deployers} from "./Deployers.sol";

/// @notice Factory, router, quoter and an SCU-like (18 decimals) / USDC-like (6 decimals) pool.
abstract contract AmmFixture is Test {
    PoolFactory internal factory;
    Router internal router;
    Quoter internal quoter;
    MockERC20 internal scu;
    MockERC20 internal usdc;
    Pool internal pool;
    address internal owner = makeAddr("owner");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    /// @dev 1,000,000 SCU against 1,400,000 USDC: $1.40 per A100-hour.
    uint256 internal constant SEED_SCU = 1_000_000e18;
    uint256 internal constant SEED_USDC = 1_400_000e6;

    function setUp() public virtual {
        vm.warp(1_800_000_000);
        factory = Deployers.poolFactory(owner);
        router = Deployers.router(address(factory));
        quoter = Deployers.quoter(router);
        scu = new MockERC20("SCU", 18);
        usdc = new MockERC20("USDC", 6);
        pool = Pool(factory.createPool(address(scu), address(usdc)));
        fund(alice, 100_000_000e18, 100_000_000e6);
        fund(bob, 100_000_000e18, 100_000_000e6);
    }

    /// @dev Gives `who` tokens and approves the router for them and for its LP shares.
    function fund(address who, uint256 amountScu, uint256 amountUsdc) internal {
        scu.mint(who, amountScu);
        usdc.mint(who, amountUsdc);
        vm.startPrank(who);
        scu.approve(address(router), type(uint256).max);
        usdc.approve(address(router), type(uint256).max);
        pool.approve(address(router), type(uint256).max);
        vm.stopPrank();
    }

    function seedPool() internal returns (uint256 liquidity) {
        vm.prank(alice);
        (,, liquidity) =
            router.addLiquidity(address(scu), address(usdc), SEED_SCU, SEED_USDC, 0, 0, alice, block.timestamp);
    }

    function path(address a, address b) internal pure returns (address[] memory p) {
        p = new address[](2);
        (p[0], p[1]) = (a, b);
    }

    function path(address a, address b, address c) internal pure returns (address[] memory p) {
        p = new address[](3);
        (p[0], p[1], p[2]) = (a, b, c);
    }

    /// @dev Reserves of `pool` in (tokenIn, tokenOut) order.
    function reservesOf(Pool p, address tokenIn) internal view returns (uint256 reserveIn, uint256 reserveOut) {
        (uint112 r0, uint112 r1,) = p.getReserves();
        (reserveIn, reserveOut) = tokenIn == p.token0() ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
    }
}
