// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ReferencePrice} from "../../src/libraries/ReferencePrice.sol";

/// @notice The registry's price arithmetic on its own (the oracle reads are covered by ProviderRegistry.t.sol and
/// PriceOracle.t.sol).
contract ReferencePriceTest is Test {
    uint256 internal constant FLOOR = 1e6;

    function test_fromTwap_neverBelowTheFloor() public pure {
        assertEq(ReferencePrice.fromTwap(0.5e6, FLOOR), FLOOR);
        assertEq(ReferencePrice.fromTwap(1.4e6, FLOOR), 1.4e6);
    }

    function test_booking_theFloorWithoutAFreshPrice() public pure {
        assertEq(ReferencePrice.booking(1.4e6, true, FLOOR), 1.4e6);
        assertEq(ReferencePrice.booking(0, false, FLOOR), FLOOR);
    }

    function test_market_theLowerOfTwapAndRecent() public pure {
        assertEq(ReferencePrice.market(1.4e6, 1.2e6), 1.2e6);
        assertEq(ReferencePrice.market(1.4e6, 1.6e6), 1.4e6);
        assertEq(ReferencePrice.market(1.4e6, 0), 1.4e6, "no recent price: the TWAP");
    }

    function test_maxCost_thePremiumOverTheMarket() public pure {
        // 10 SCU at $1.40 plus 5%: $14.70.
        assertEq(ReferencePrice.maxCost(10e18, 1.4e6, 500), 14.7e6);
    }
}
