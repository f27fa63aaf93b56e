// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Collateral} from "../../src/libraries/Collateral.sol";
import {Provider} from "../../src/types/Provider.sol";

/// @notice The collateral arithmetic on its own, at docs/protocol.md's parameters (150% collateral, 5% premium and
/// bonus, 10% buffer); the registry's tests cover it in use.
contract CollateralTest is Test {
    uint256 internal constant CR_BPS = 15_000;
    uint256 internal constant PRICE = 1.4e6;

    Provider internal p;

    function test_requiredStake_ratioTimesObligationPlusJobsAtThePrice_plusDisputes() public {
        (p.obligation, p.jobCredits, p.disputeStake) = (100e18, 10e18, 7e6);
        // (1.5 × 100 + 10) SCU × $1.40 + $7 = $231.
        assertEq(Collateral.requiredStake(p, PRICE, CR_BPS), 231e6);
    }

    function test_shortfalls_eachRule() public {
        (p.obligation, p.stake) = (100e18, 210e6); // exactly 150% at $1.40
        (bool capacityShort, bool collateralShort) = Collateral.shortfalls(p, 100e18, PRICE, CR_BPS);
        assertFalse(capacityShort || collateralShort);
        (capacityShort, collateralShort) = Collateral.shortfalls(p, 99e18, PRICE, CR_BPS);
        assertTrue(capacityShort && !collateralShort);
        p.stake = 210e6 - 1;
        (, collateralShort) = Collateral.shortfalls(p, 100e18, PRICE, CR_BPS);
        assertTrue(collateralShort);
        (, collateralShort) = Collateral.shortfalls(p, 100e18, 0, CR_BPS);
        assertFalse(collateralShort, "no price: only the capacity bound is judged");
    }

    function test_liquidationLimit_theCapacityExcessPlusTheBuffer() public {
        (p.obligation, p.stake) = (100e18, 1_000e6);
        assertEq(Collateral.liquidationLimit(p, 90e18, false, PRICE, 0, CR_BPS, 1_000), 11e18);
    }

    function testFuzz_liquidationLimit_restoresTheCollateralRatio(uint96 stake) public {
        p.obligation = 100e18;
        p.stake = uint128(bound(stake, 1e6, 209e6));
        uint256 cost = Collateral.liquidationCost(PRICE, 500, 500);
        uint256 most = Collateral.liquidationLimit(p, type(uint256).max, true, PRICE, cost, CR_BPS, 0);
        assertLe(most, p.obligation);
        // Buying `most` at the most it may cost leaves the stake covering what remains.
        uint256 spent = most * cost / 1e18;
        if (spent < p.stake && most < p.obligation) {
            p.stake -= uint128(spent);
            p.obligation -= uint128(most);
            (, bool collateralShort) = Collateral.shortfalls(p, type(uint256).max, PRICE, CR_BPS);
            assertFalse(collateralShort);
        }
    }
}
