// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IComputeStandard
/// @notice The on-chain copy of the SCU standard: each GPU class's rating in SCU per GPU-hour (WAD), set from
/// lib/scu/gpus.json at deployment by the formula in docs/scu.md. A new class is listed at once; a changed
/// rating takes effect only after RATING_NOTICE, so providers and buyers see it coming. Escrows read a rating
/// when a job is funded and keep the SCU they locked, and the registry never liquidates a provider because a
/// rating fell (it keeps each host's highest rating it minted against), so a change only ever applies forward.
interface IComputeStandard {
    /// @notice No class `classId` is listed.
    error UnknownGpuClass(bytes32 classId);
    /// @notice Class `classId` is already listed.
    error GpuClassExists(bytes32 classId);
    /// @notice A rating must be above zero and at most MAX_RATING (`ratingWad` was given for `classId`).
    error InvalidRating(bytes32 classId, uint256 ratingWad);

    /// @notice Class `classId` (its id as a left-aligned ASCII string, e.g. "h100-sxm") was listed.
    event GpuClassAdded(bytes32 indexed classId, string name, uint256 ratingWad);
    /// @notice Class `classId`'s rating will change from `oldRatingWad` to `newRatingWad` at `effectiveAt`
    /// (replacing any change announced before and not yet in effect).
    event RatingChangeScheduled(
        bytes32 indexed classId, uint256 oldRatingWad, uint256 newRatingWad, uint64 effectiveAt
    );

    /// @notice Highest rating a class may have: 1,000 SCU per GPU-hour, far above any GPU sold.
    function MAX_RATING() external view returns (uint256);

    /// @notice How long a rating change waits before it applies: seven days, a full maximum-length job.
    function RATING_NOTICE() external view returns (uint256);

    /// @notice `classId`'s rating in effect now, in SCU per GPU-hour (1e18 = the reference A100 80GB SXM).
    /// @dev Reverts with UnknownGpuClass for a class that is not listed.
    function ratingOf(bytes32 classId) external view returns (uint256 ratingWad);

    /// @notice `classId`'s rating now and the change announced for it (`nextRatingWad` at `effectiveAt`;
    /// both zero when none is pending).
    function ratingSchedule(bytes32 classId)
        external
        view
        returns (uint256 ratingWad, uint256 nextRatingWad, uint64 effectiveAt);

    /// @notice Every listed class, in the order they were added.
    function gpuClasses() external view returns (bytes32[] memory classIds);

    /// @notice Lists a class, in effect at once. Requirements: caller is the owner; not listed yet;
    /// 0 < rating ≤ MAX_RATING.
    function addGpuClass(bytes32 classId, string calldata name, uint256 ratingWad) external;

    /// @notice Announces a new rating for a listed class, in effect RATING_NOTICE from now.
    /// Requirements: caller is the owner; 0 < rating ≤ MAX_RATING.
    function setRating(bytes32 classId, uint256 ratingWad) external;
}
