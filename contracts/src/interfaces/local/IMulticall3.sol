// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IMulticall3
/// @notice The subset of the canonical Multicall3 interface that viem and wagmi use for batched reads.
interface IMulticall3 {
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice Call `index` failed and was not allowed to; `returnData` is its revert data.
    error Multicall3CallFailed(uint256 index, bytes returnData);

    /// @notice Runs each call in order and returns every outcome.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData);

    /// @notice `account`'s ETH balance, so ETH reads batch with token reads.
    function getEthBalance(address account) external view returns (uint256);

    function getBlockNumber() external view returns (uint256);

    function getCurrentBlockTimestamp() external view returns (uint256);
}
