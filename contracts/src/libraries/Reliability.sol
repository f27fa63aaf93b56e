// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Reliability
/// @notice A provider's reliability score from GPU-time (docs/protocol.md, "Reliability").
library Reliability {
    uint256 internal constant BPS = 10_000;
    /// @notice The score's prior: one GPU-hour served and one failed, so a new provider scores 50%.
    uint256 internal constant PRIOR_GPU_SECONDS = 3600;
    /// @notice A failed throughput challenge weighs as an hour of each of the host's GPUs failed: the prior's
    /// weight per GPU, so a new provider whose one-GPU host fails once scores 33%, and an 8-GPU host's failure
    /// weighs as much as 8 GPU-hours served.
    uint256 internal constant FAILED_CHALLENGE_SECONDS_PER_GPU = 3600;

    /// @dev Laplace's rule over GPU-time: an imagined GPU-hour served and one failed, so a new provider is an
    /// even bet. GPU-time served grows no faster than the chain's clock times the GPUs a provider lists, which a
    /// provider filling its own record cannot buy; a failure weighs the whole booked job.
    function scoreBps(uint256 servedGpuSeconds, uint256 failedGpuSeconds) internal pure returns (uint256) {
        return
            (servedGpuSeconds + PRIOR_GPU_SECONDS) * BPS / (servedGpuSeconds + failedGpuSeconds + 2 * PRIOR_GPU_SECONDS);
    }
}
