// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IComputeStandard} from "./interfaces/IComputeStandard.sol";

/// @title ComputeStandard
/// @notice GPU classes and their SCU ratings. The owner (governance, behind a timelock on a public chain)
/// lists classes and corrects ratings; a correction is announced and applies RATING_NOTICE later.
contract ComputeStandard is IComputeStandard, Ownable2Step {
    using SafeCast for uint256;

    /// @inheritdoc IComputeStandard
    uint256 public constant MAX_RATING = 1_000e18;
    /// @inheritdoc IComputeStandard
    uint256 public constant RATING_NOTICE = 7 days;

    /// @dev One slot: the rating in effect until `effectiveAt`, and the one after (0: none announced).
    /// MAX_RATING < 2^70, so 96 bits hold any rating.
    struct Rating {
        uint96 current;
        uint96 next;
        uint64 effectiveAt;
    }

    mapping(bytes32 classId => Rating) private _ratings;
    bytes32[] private _classIds;

    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @inheritdoc IComputeStandard
    function ratingOf(bytes32 classId) external view returns (uint256 ratingWad) {
        Rating memory r = _ratings[classId];
        if (r.current == 0) revert UnknownGpuClass(classId);
        return r.next != 0 && block.timestamp >= r.effectiveAt ? r.next : r.current;
    }

    /// @inheritdoc IComputeStandard
    function ratingSchedule(bytes32 classId)
        external
        view
        returns (uint256 ratingWad, uint256 nextRatingWad, uint64 effectiveAt)
    {
        Rating memory r = _settled(classId);
        return (r.current, r.next, r.effectiveAt);
    }

    /// @inheritdoc IComputeStandard
    function gpuClasses() external view returns (bytes32[] memory) {
        return _classIds;
    }

    /// @inheritdoc IComputeStandard
    function addGpuClass(bytes32 classId, string calldata name, uint256 ratingWad) external onlyOwner {
        if (_ratings[classId].current != 0) revert GpuClassExists(classId);
        _checkRating(classId, ratingWad);
        // forge-lint: disable-next-line(unsafe-typecast)
        _ratings[classId].current = uint96(ratingWad); // ≤ MAX_RATING < 2^96, checked above
        _classIds.push(classId);
        emit GpuClassAdded(classId, name, ratingWad);
    }

    /// @inheritdoc IComputeStandard
    function setRating(bytes32 classId, uint256 ratingWad) external onlyOwner {
        Rating memory r = _settled(classId);
        _checkRating(classId, ratingWad);
        uint64 effectiveAt = (block.timestamp + RATING_NOTICE).toUint64();
        // forge-lint: disable-next-line(unsafe-typecast)
        _ratings[classId] = Rating({current: r.current, next: uint96(ratingWad), effectiveAt: effectiveAt}); // ≤ MAX_RATING
        emit RatingChangeScheduled(classId, r.current, ratingWad, effectiveAt);
    }

    /// @dev The class's record with a change already in effect folded into `current`.
    function _settled(bytes32 classId) private view returns (Rating memory r) {
        r = _ratings[classId];
        if (r.current == 0) revert UnknownGpuClass(classId);
        if (r.next != 0 && block.timestamp >= r.effectiveAt) r = Rating({current: r.next, next: 0, effectiveAt: 0});
    }

    function _checkRating(bytes32 classId, uint256 ratingWad) private pure {
        if (ratingWad == 0 || ratingWad > MAX_RATING) revert InvalidRating(classId, ratingWad);
    }
}
