// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IComputeStandard} from "./interfaces/IComputeStandard.sol";

/// @title ComputeStandard
/// @notice GPU classes and their SCU ratings. The owner (governance) lists classes and corrects ratings; every
/// change is an event, and nothing funded before it is affected.
contract ComputeStandard is IComputeStandard, Ownable2Step {
    /// @inheritdoc IComputeStandard
    uint256 public constant MAX_RATING = 1_000e18;

    mapping(bytes32 classId => uint256) private _ratings;
    bytes32[] private _classIds;

    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @inheritdoc IComputeStandard
    function ratingOf(bytes32 classId) external view returns (uint256 ratingWad) {
        ratingWad = _ratings[classId];
        if (ratingWad == 0) revert UnknownGpuClass(classId);
    }

    /// @inheritdoc IComputeStandard
    function gpuClasses() external view returns (bytes32[] memory) {
        return _classIds;
    }

    /// @inheritdoc IComputeStandard
    function addGpuClass(bytes32 classId, string calldata name, uint256 ratingWad) external onlyOwner {
        if (_ratings[classId] != 0) revert GpuClassExists(classId);
        _checkRating(classId, ratingWad);
        _ratings[classId] = ratingWad;
        _classIds.push(classId);
        emit GpuClassAdded(classId, name, ratingWad);
    }

    /// @inheritdoc IComputeStandard
    function setRating(bytes32 classId, uint256 ratingWad) external onlyOwner {
        uint256 old = _ratings[classId];
        if (old == 0) revert UnknownGpuClass(classId);
        _checkRating(classId, ratingWad);
        _ratings[classId] = ratingWad;
        emit RatingChanged(classId, old, ratingWad);
    }

    function _checkRating(bytes32 classId, uint256 ratingWad) private pure {
        if (ratingWad == 0 || ratingWad > MAX_RATING) revert InvalidRating(classId, ratingWad);
    }
}
