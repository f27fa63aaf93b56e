// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPool} from "../src/interfaces/IPool.sol";
import {AmmFixture} from "./utils/AmmFixture.sol";

/// @notice The classic share-price attacks on a constant-product pool never pay the attacker, valued at the
/// pool's final price.
contract PoolAttacksTest is AmmFixture {
    address internal attacker = makeAddr("attacker");
    address internal victim = makeAddr("victim");

    function setUp() public override {
        super.setUp();
        fund(attacker, 10_000_000e18, 10_000_000e6);
        fund(victim, 10_000_000e18, 10_000_000e6);
    }

    /// @dev Value of (scu, usdc) in USDC at the pool's current price.
    function value(uint256 amountScu, uint256 amountUsdc) internal view returns (uint256) {
        (uint256 rScu, uint256 rUsdc) = reservesOf(pool, address(scu));
        return amountUsdc + amountScu * rUsdc / rScu;
    }

    function testFuzz_firstDepositorInflation_neverProfits(uint256 donationUsdc, uint256 victimUsdc) public {
        donationUsdc = bound(donationUsdc, 1, 1_000_000e6);
        victimUsdc = bound(victimUsdc, 1, 1_000_000e6);
        uint256 scuBefore = scu.balanceOf(attacker);
        uint256 usdcBefore = usdc.balanceOf(attacker);

        // 1. The attacker creates the market with the smallest deposit that mints: √(1,002,001 · 1) = 1001,
        //    so it holds one share against the 1,000 locked ones.
        vm.startPrank(attacker);
        scu.transfer(address(pool), 1_002_001);
        usdc.transfer(address(pool), 1);
        assertEq(pool.mint(attacker), 1);
        // 2. It donates at $1.40 per SCU to make each share expensive, and syncs.
        usdc.transfer(address(pool), donationUsdc);
        scu.transfer(address(pool), donationUsdc * 1e12 * 10 / 14);
        pool.sync();
        vm.stopPrank();

        // 3. The victim deposits at the pool's ratio with no minimum; a deposit worth less than a share reverts.
        vm.prank(victim);
        try router.addLiquidity(
            address(scu), address(usdc), type(uint128).max, victimUsdc, 0, 0, victim, block.timestamp
        ) {}
        catch (bytes memory reason) {
            assertEq(bytes4(reason), IPool.InsufficientLiquidityMinted.selector);
        }

        // 4. The attacker takes its share out (a share worth less than a unit of a token cannot be burned:
        //    then the attacker simply lost what it put in).
        vm.prank(attacker);
        try pool.burn(attacker, 1, attacker) {}
        catch (bytes memory reason) {
            assertEq(bytes4(reason), IPool.InsufficientLiquidityBurned.selector);
        }
        assertGe(scuBefore, scu.balanceOf(attacker), "attacker ended with more SCU");
        assertGe(usdcBefore, usdc.balanceOf(attacker), "attacker ended with more USDC");
    }

    function testFuzz_donationAroundADeposit_neverProfits(uint256 donationUsdc, uint256 victimUsdc) public {
        seedPool();
        donationUsdc = bound(donationUsdc, 1, 1_000_000e6);
        victimUsdc = bound(victimUsdc, 1e6, 1_000_000e6);
        uint256 scuBefore = scu.balanceOf(attacker);
        uint256 usdcBefore = usdc.balanceOf(attacker);

        vm.startPrank(attacker);
        (,, uint256 shares) =
            router.addLiquidity(address(scu), address(usdc), 10_000e18, 14_000e6, 0, 0, attacker, block.timestamp);
        // A one-sided donation, synced, moves the price the victim deposits at.
        usdc.transfer(address(pool), donationUsdc);
        pool.sync();
        vm.stopPrank();

        vm.prank(victim);
        router.addLiquidity(address(scu), address(usdc), type(uint128).max, victimUsdc, 0, 0, victim, block.timestamp);

        vm.startPrank(attacker);
        pool.burn(attacker, shares, attacker);
        vm.stopPrank();

        uint256 valueIn = value(
            scuBefore - _min(scuBefore, scu.balanceOf(attacker)),
            usdcBefore - _min(usdcBefore, usdc.balanceOf(attacker))
        );
        uint256 valueOut = value(_sub0(scu.balanceOf(attacker), scuBefore), _sub0(usdc.balanceOf(attacker), usdcBefore));
        assertLe(valueOut, valueIn, "the attacker gained value");
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    function _sub0(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a - b : 0;
    }
}
