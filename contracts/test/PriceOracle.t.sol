// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {PriceOracle} from "../src/PriceOracle.sol";
import {IPriceOracle} from "../src/interfaces/IPriceOracle.sol";
import {Deployers} from "./utils/Deployers.sol";

/// @notice The oracle contract over the protocol's pool (its averaging is TwapOracleTest's; the registry's use of
/// it, ProviderRegistryTest's).
contract PriceOracleTest is ProtocolFixture {
    function test_constructor_boundsTheWindow() public {
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.InvalidWindow.selector, 59, 60, 1 days));
        Deployers.priceOracle(pool, address(scu), 59);
        vm.expectRevert(abi.encodeWithSelector(IPriceOracle.InvalidWindow.selector, 1 days + 1, 60, 1 days));
        Deployers.priceOracle(pool, address(scu), 1 days + 1);
    }

    function test_observe_recordsWhenDueAndAnyoneMay() public {
        skipFresh(TWAP_WINDOW); // a reading a window old
        vm.recordLogs();
        vm.prank(makeAddr("anyone"));
        oracle.observe(); // the newest is a window old: due
        assertEq(vm.getRecordedLogs().length, 1);
        vm.recordLogs();
        oracle.observe(); // recorded this second: not due
        registry.observe(); // the registry's passthrough
        assertEq(vm.getRecordedLogs().length, 0);
    }

    function test_prices_areThePoolsAndFreshOrNone() public {
        skipFresh(TWAP_WINDOW);
        (uint256 twap, uint256 recent, bool fresh, uint32 newest) = oracle.prices();
        assertTrue(fresh);
        assertApproxEqRel(twap, 1.4e6, 1e12);
        assertApproxEqRel(recent, 1.4e6, 1e12);
        assertEq(newest, vm.getBlockTimestamp() - TWAP_WINDOW);
        vm.warp(vm.getBlockTimestamp() + 2 * TWAP_WINDOW);
        (twap,, fresh,) = oracle.prices();
        assertFalse(fresh);
        assertEq(twap, 0);
    }
}
