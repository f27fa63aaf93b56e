// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {TwapOracle} from "../../src/libraries/TwapOracle.sol";

/// @notice The oracle library on its own, over a synthetic accumulator: a price held constant accumulates
/// price × seconds (UQ64.64), so every average can be checked exactly.
contract TwapOracleHarness {
    using TwapOracle for TwapOracle.Oracle;

    TwapOracle.Oracle internal _oracle;
    uint256 public constant WINDOW = 1800;

    function observe(uint128 cumulative, uint32 now_) external returns (bool) {
        return _oracle.observe(cumulative, now_, WINDOW);
    }

    function consult(uint128 cumulative, uint32 now_)
        external
        view
        returns (uint256 price, uint256 recent, bool fresh, uint32 newestAt)
    {
        return _oracle.consult(cumulative, now_, WINDOW, 1e18);
    }
}

contract TwapOracleTest is Test {
    TwapOracleHarness internal oracle;
    uint32 internal t;
    uint128 internal cumulative;
    /// @dev $1.40 per SCU as the pool stores it: 1.4e6 USDC base units per 1e18 SCU wei, UQ64.64.
    uint256 internal constant PRICE_140 = (uint256(1.4e6) << 64) / 1e18;
    uint256 internal price = PRICE_140;

    function setUp() public {
        oracle = new TwapOracleHarness();
        t = 1_800_000_000;
    }

    /// @dev Time passes at the current price.
    function pass(uint256 seconds_) internal {
        unchecked {
            cumulative += uint128(price * seconds_); // mod 2^128, as the pool accumulates
        }
        t += uint32(seconds_);
    }

    function consult() internal view returns (uint256 p, uint256 recent, bool fresh, uint32 newestAt) {
        return oracle.consult(cumulative, t);
    }

    function test_noPriceUntilAReadingIsAWindowOld() public {
        assertTrue(oracle.observe(cumulative, t));
        uint32 first = t;
        pass(1799);
        (uint256 p,, bool fresh, uint32 newestAt) = consult();
        assertFalse(fresh);
        assertEq(p, 0);
        assertEq(newestAt, first);
        pass(1);
        (p,, fresh,) = consult();
        assertTrue(fresh);
        assertApproxEqAbs(p, 1.4e6, 1); // UQ64.64 truncation: within a base unit
    }

    function test_recordsOnlyOnceTheNewestIsHalfAWindowOld() public {
        oracle.observe(cumulative, t);
        pass(899);
        assertFalse(oracle.observe(cumulative, t));
        pass(1);
        assertTrue(oracle.observe(cumulative, t));
    }

    function test_averagesTheSpanFromTheNewestReadingAWindowOld() public {
        oracle.observe(cumulative, t);
        pass(900);
        oracle.observe(cumulative, t);
        pass(900);
        oracle.observe(cumulative, t);
        price = 2 * PRICE_140; // the pool doubles and holds
        pass(900);
        // Readings are 2,700, 1,800 and 900 s old: the average runs from the 1,800 s one, half at each price.
        (uint256 p, uint256 recent, bool fresh,) = consult();
        assertTrue(fresh);
        assertApproxEqAbs(p, 2.1e6, 1);
        assertApproxEqAbs(recent, 2.8e6, 1); // since the newest reading: the doubled price only
    }

    function test_staleAfterTwoWindowsWithoutReadings() public {
        oracle.observe(cumulative, t);
        uint32 observed = t;
        pass(3600);
        (,, bool fresh,) = consult();
        assertTrue(fresh); // exactly two windows: the oldest span allowed
        pass(1);
        uint32 newestAt;
        (,, fresh, newestAt) = consult();
        assertFalse(fresh);
        assertEq(newestAt, observed);
    }

    /// @dev With a reading every half window or sooner, some reading is always between one and two windows
    /// old, for as long as the keeper keeps going (four readings, replaced oldest first).
    function testFuzz_aKeeperEveryHalfWindowKeepsItFresh(uint256 seed) public {
        oracle.observe(cumulative, t);
        uint32 first = t;
        for (uint256 i; i < 96; ++i) {
            uint256 step = bound(uint256(keccak256(abi.encode(seed, i))), 1, 900);
            pass(step);
            oracle.observe(cumulative, t);
            (,, bool fresh,) = consult();
            assertEq(fresh, t - first >= 1800); // fresh from a window after the first reading, for good
        }
    }

    function test_averagesAcrossTheAccumulatorsWrap() public {
        cumulative = type(uint128).max - uint128(price * 1000); // the pool's accumulator wraps in 1,000 s
        oracle.observe(cumulative, t);
        pass(2000);
        (uint256 p,, bool fresh,) = consult();
        assertTrue(fresh);
        assertApproxEqAbs(p, 1.4e6, 1);
    }

    function test_aPriceSetThisSecondIsNotInTheAverage() public {
        oracle.observe(cumulative, t);
        pass(1800);
        (uint256 before, uint256 recentBefore,,) = consult();
        price = 10 * PRICE_140; // a trade now: the accumulator has not advanced at the new price yet
        (uint256 p, uint256 recent,,) = consult();
        assertEq(p, before);
        assertEq(recent, recentBefore);
    }
}
