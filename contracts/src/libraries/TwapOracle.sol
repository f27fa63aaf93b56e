// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title TwapOracle
/// @notice A time-weighted average of a pool's price accumulator over a span between one and two windows
/// ending now, or none (PROTOCOL.md, "Who holds what": no fresh span, no price).
/// @dev Four readings of the accumulator in two storage slots. A reading is recorded when the newest is at
/// least half a window old, replacing the oldest. The average runs from the newest reading that is at least a
/// window old; if that one is more than two windows old (nobody recorded for a while), there is no price until
/// a reading recorded now is a window old. With readings at least every half window, one always qualifies:
/// consecutive readings are then less than a window apart, so the first one at or past a window of age is
/// younger than two windows, and three readings span more than a window.
library TwapOracle {
    /// @dev A reading: when, and the accumulator then modulo 2^96. Averages take differences modulo 2^96,
    /// exact while the true difference over a span is below 2^96: spans are at most two windows (≤ 2 days,
    /// 172,800 s), so any price below 2^96 / 172,800 ≈ 2^78 in UQ64.64 (≈ 2^14 quote units per base unit)
    /// averages exactly. Timestamp 0 marks an empty reading (a real one would fall in 2106's wrap second).
    struct Observation {
        uint32 timestamp;
        uint96 cumulative;
    }

    struct Oracle {
        Observation[4] observations;
    }

    /// @notice Records a reading of `cumulative` at `now_` when the newest is at least half a window old or
    /// there is none. Returns whether it recorded one.
    function observe(Oracle storage self, uint128 cumulative, uint32 now_, uint256 window)
        internal
        returns (bool recorded)
    {
        Observation[4] memory readings = self.observations;
        uint256 newestAge = type(uint256).max;
        uint256 slot;
        uint256 slotAge;
        for (uint256 i; i < 4; ++i) {
            if (readings[i].timestamp == 0) {
                // An empty place is taken before any reading is replaced.
                (slot, slotAge) = (i, type(uint256).max);
                continue;
            }
            uint256 age = _age(readings[i].timestamp, now_);
            if (age < newestAge) newestAge = age;
            if (age > slotAge) (slot, slotAge) = (i, age); // otherwise the oldest is replaced
        }
        if (newestAge != type(uint256).max && newestAge < window / 2) return false;
        // forge-lint: disable-next-line(unsafe-typecast)
        self.observations[slot] = Observation(now_, uint96(cumulative)); // low 96 bits by design (see above)
        return true;
    }

    /// @notice The average price from the newest reading at least a window old to now (`price`, `fresh` false and
    /// the price 0 when no reading is between one and two windows old), and the recent average from the newest
    /// reading at least a second old to now (`recent`, 0 when none): neither counts a price set in this block,
    /// since the accumulator advances only with time. Prices are in the accumulator's unit scaled by `scale`
    /// and shifted out of UQ64.64. `newestAt` is the newest reading's time (0: none).
    function consult(Oracle storage self, uint128 cumulative, uint32 now_, uint256 window, uint256 scale)
        internal
        view
        returns (uint256 price, uint256 recent, bool fresh, uint32 newestAt)
    {
        Observation[4] memory readings = self.observations;
        uint256 newestAge = type(uint256).max;
        uint256 baseAge = type(uint256).max;
        uint256 recentAge = type(uint256).max;
        uint96 base;
        uint96 recentBase;
        for (uint256 i; i < 4; ++i) {
            uint32 t = readings[i].timestamp;
            if (t == 0) continue;
            uint256 age = _age(t, now_);
            if (age < newestAge) (newestAge, newestAt) = (age, t);
            if (age >= window && age < baseAge) (baseAge, base) = (age, readings[i].cumulative);
            if (age != 0 && age < recentAge) (recentAge, recentBase) = (age, readings[i].cumulative);
        }
        if (recentAge != type(uint256).max) recent = _average(recentBase, cumulative, recentAge, scale);
        if (baseAge <= 2 * window) (price, fresh) = (_average(base, cumulative, baseAge, scale), true);
    }

    /// @dev The average from a reading `age` seconds old to now.
    function _average(uint96 from, uint128 cumulative, uint256 age, uint256 scale) private pure returns (uint256) {
        uint96 delta;
        unchecked {
            // forge-lint: disable-next-line(unsafe-typecast)
            delta = uint96(cumulative) - from; // mod 2^96, exact for spans of at most two windows (see above)
        }
        // delta < 2^96 and scale ≤ 1e18 < 2^60: the product stays below 2^156.
        return (uint256(delta) * scale / age) >> 64;
    }

    function _age(uint32 timestamp, uint32 now_) private pure returns (uint256) {
        unchecked {
            return uint32(now_ - timestamp); // mod 2^32, as the pool stamps time
        }
    }
}
