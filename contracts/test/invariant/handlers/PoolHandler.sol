// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Pool} from "../../../src/Pool.sol";
import {Router} from "../../../src/Router.sol";
import {PoolMath} from "../../../src/libraries/PoolMath.sol";
import {MockERC20} from "../../utils/MockERC20.sol";

/// @notice Drives one pool through the router with a few bounded actors, and keeps ghost records of what
/// the invariants check: k across swaps, round trips, failed calls.
contract PoolHandler is CommonBase, StdCheats, StdUtils {
    Pool public immutable pool;
    Router public immutable router;
    MockERC20 public immutable scu;
    MockERC20 public immutable usdc;
    address[] public actors;

    // Ghost records: each stays false unless an action saw the property fail.
    bool public ghost_kFellOnSwap;
    bool public ghost_roundTripProfited;
    bool public ghost_failedCallChangedState;
    mapping(bytes32 => uint256) public calls;

    constructor(Pool pool_, Router router_, MockERC20 scu_, MockERC20 usdc_) {
        (pool, router, scu, usdc) = (pool_, router_, scu_, usdc_);
        for (uint256 i; i < 3; ++i) {
            address actor = makeAddr(string.concat("actor", vm.toString(i)));
            actors.push(actor);
            scu.mint(actor, 1e30);
            usdc.mint(actor, 1e18);
            vm.startPrank(actor);
            scu.approve(address(router), type(uint256).max);
            usdc.approve(address(router), type(uint256).max);
            pool.approve(address(router), type(uint256).max);
            vm.stopPrank();
        }
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    modifier useActor(uint256 seed) {
        vm.startPrank(actors[seed % actors.length]);
        _;
        vm.stopPrank();
    }

    function _k() internal view returns (uint256) {
        (uint112 r0, uint112 r1,) = pool.getReserves();
        return uint256(r0) * r1;
    }

    function _path(bool usdcIn) internal view returns (address[] memory p) {
        p = new address[](2);
        (p[0], p[1]) = usdcIn ? (address(usdc), address(scu)) : (address(scu), address(usdc));
    }

    // ------------------------------------------------------------------ actions

    function addLiquidity(uint256 seed, uint256 amountScu, uint256 amountUsdc) external useActor(seed) {
        amountScu = bound(amountScu, 1e12, 1e25);
        amountUsdc = bound(amountUsdc, 1e3, 1e13);
        try router.addLiquidity(
            address(scu), address(usdc), amountScu, amountUsdc, 0, 0, actors[seed % actors.length], block.timestamp
        ) {
            calls["addLiquidity"]++;
        } catch {
            calls["addLiquidity (refused)"]++;
        }
    }

    function removeLiquidity(uint256 seed, uint256 fraction) external useActor(seed) {
        address actor = actors[seed % actors.length];
        uint256 liquidity = pool.balanceOf(actor) * bound(fraction, 1, 100) / 100;
        if (liquidity == 0) return;
        try router.removeLiquidity(address(scu), address(usdc), liquidity, 0, 0, actor, block.timestamp) {
            calls["removeLiquidity"]++;
        } catch {
            calls["removeLiquidity (refused)"]++;
        }
    }

    function swapExactIn(uint256 seed, bool usdcIn, uint256 amount) external useActor(seed) {
        amount = usdcIn ? bound(amount, 1, 1e13) : bound(amount, 1, 1e25);
        uint256 k = _k();
        try router.swapExactTokensForTokens(amount, 0, _path(usdcIn), actors[seed % actors.length], block.timestamp) {
            calls["swapExactIn"]++;
            if (_k() < k) ghost_kFellOnSwap = true;
        } catch {
            calls["swapExactIn (refused)"]++;
        }
    }

    function swapExactOut(uint256 seed, bool usdcIn, uint256 amountOut) external useActor(seed) {
        (uint112 r0, uint112 r1,) = pool.getReserves();
        uint256 reserveOut = (usdcIn == (pool.token0() == address(usdc))) ? r1 : r0;
        if (reserveOut < 2) return;
        amountOut = bound(amountOut, 1, reserveOut - 1);
        uint256 k = _k();
        try router.swapTokensForExactTokens(
            amountOut, type(uint256).max, _path(usdcIn), actors[seed % actors.length], block.timestamp
        ) {
            calls["swapExactOut"]++;
            if (_k() < k) ghost_kFellOnSwap = true;
        } catch {
            calls["swapExactOut (refused)"]++;
        }
    }

    /// @dev Unsynced donations go to the next mint, burn, swap or skim (as in Uniswap v2), so a round trip
    /// starts by skimming them away: then it may gain nothing at all.
    function _skimDonations() internal {
        pool.skim(makeAddr("bystander"));
    }

    /// @dev Deposit then withdraw at once: never more of either token back than went in.
    function roundTripLiquidity(uint256 seed, uint256 amountScu, uint256 amountUsdc) external useActor(seed) {
        address actor = actors[seed % actors.length];
        _skimDonations();
        amountScu = bound(amountScu, 1e12, 1e25);
        amountUsdc = bound(amountUsdc, 1e3, 1e13);
        try router.addLiquidity(
            address(scu), address(usdc), amountScu, amountUsdc, 0, 0, actor, block.timestamp
        ) returns (
            uint256 inScu, uint256 inUsdc, uint256 liquidity
        ) {
            (uint256 outScu, uint256 outUsdc) =
                router.removeLiquidity(address(scu), address(usdc), liquidity, 0, 0, actor, block.timestamp);
            if (outScu > inScu || outUsdc > inUsdc) ghost_roundTripProfited = true;
            calls["roundTripLiquidity"]++;
        } catch {
            calls["roundTripLiquidity (refused)"]++;
        }
    }

    /// @dev Swap, then swap everything received back: never more than went in.
    function roundTripSwap(uint256 seed, bool usdcIn, uint256 amount) external useActor(seed) {
        address actor = actors[seed % actors.length];
        amount = usdcIn ? bound(amount, 1, 1e13) : bound(amount, 1, 1e25);
        _skimDonations();
        try router.swapExactTokensForTokens(amount, 0, _path(usdcIn), actor, block.timestamp) returns (uint256 out) {
            try router.swapExactTokensForTokens(out, 0, _path(!usdcIn), actor, block.timestamp) returns (uint256 back) {
                if (back > amount) ghost_roundTripProfited = true;
                calls["roundTripSwap"]++;
            } catch {
                calls["roundTripSwap (leg 2 refused)"]++;
            }
        } catch {
            calls["roundTripSwap (refused)"]++;
        }
    }

    /// @dev A donation straight to the pool, then sometimes a sync or a skim.
    function donate(uint256 seed, bool usdcToken, uint256 amount, uint8 followUp) external useActor(seed) {
        amount = usdcToken ? bound(amount, 1, 1e12) : bound(amount, 1, 1e24);
        (usdcToken ? usdc : scu).transfer(address(pool), amount);
        if (followUp % 3 == 1) pool.sync();
        else if (followUp % 3 == 2) pool.skim(actors[seed % actors.length]);
        calls["donate"]++;
    }

    /// @dev A swap whose minimum cannot be met: it must revert and leave everything as it was.
    function failingSwap(uint256 seed, bool usdcIn, uint256 amount) external useActor(seed) {
        address actor = actors[seed % actors.length];
        amount = usdcIn ? bound(amount, 1, 1e13) : bound(amount, 1, 1e25);
        (uint112 r0, uint112 r1,) = pool.getReserves();
        uint256 balanceScu = scu.balanceOf(actor);
        uint256 balanceUsdc = usdc.balanceOf(actor);
        try router.swapExactTokensForTokens(amount, type(uint256).max, _path(usdcIn), actor, block.timestamp) {
            ghost_failedCallChangedState = true; // it should never succeed
        } catch {
            (uint112 r0After, uint112 r1After,) = pool.getReserves();
            if (
                r0After != r0 || r1After != r1 || scu.balanceOf(actor) != balanceScu
                    || usdc.balanceOf(actor) != balanceUsdc
            ) {
                ghost_failedCallChangedState = true;
            }
            calls["failingSwap"]++;
        }
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 1 days));
        calls["warp"]++;
    }
}
