// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMulticall3} from "../interfaces/local/IMulticall3.sol";

/// @title Multicall3
/// @notice A Multicall3-compatible batcher for local chains, which have none. Public chains already have the
/// canonical deployment at 0xcA11bde05977b3631167028862bE2a173976CA11, and the deploy script uses that.
contract Multicall3 is IMulticall3 {
    /// @inheritdoc IMulticall3
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData) {
        returnData = new Result[](calls.length);
        for (uint256 i; i < calls.length; ++i) {
            Call3 calldata c = calls[i];
            (bool success, bytes memory data) = c.target.call(c.callData);
            if (!success && !c.allowFailure) revert Multicall3CallFailed(i, data);
            returnData[i] = Result(success, data);
        }
    }

    /// @inheritdoc IMulticall3
    function getEthBalance(address account) external view returns (uint256) {
        return account.balance;
    }

    /// @inheritdoc IMulticall3
    function getBlockNumber() external view returns (uint256) {
        return block.number;
    }

    /// @inheritdoc IMulticall3
    function getCurrentBlockTimestamp() external view returns (uint256) {
        return block.timestamp;
    }
}
