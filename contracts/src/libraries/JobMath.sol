// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title JobMath
/// @notice GPU-time in SCU (PROTOCOL.md, "The unit"): g GPUs of rating r for s seconds are g · r · s / 3600 SCU.
/// `lib/jobs/cost.ts` computes the same, so a quote in the browser is the amount the escrow locks.
library JobMath {
    uint256 internal constant SECONDS_PER_HOUR = 3600;

    /// @notice What a job costs, rounded up (the buyer locks at most one wei more than the exact price).
    /// @dev gpus < 2^32, rating ≤ 1e21, seconds < 2^32: the product stays below 2^137.
    function cost(uint256 gpus, uint256 ratingWad, uint256 seconds_) internal pure returns (uint256) {
        return Math.mulDiv(gpus * ratingWad, seconds_, SECONDS_PER_HOUR, Math.Rounding.Ceil);
    }

    /// @notice Listed capacity, rounded down (a provider's bound never rounds in its favour).
    function capacity(uint256 gpus, uint256 ratingWad, uint256 seconds_) internal pure returns (uint256) {
        return gpus * ratingWad * seconds_ / SECONDS_PER_HOUR;
    }
}
