// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ThroughputWork} from "../../src/libraries/ThroughputWork.sol";

/// @dev The library's calldata functions, called externally as the verifier calls them.
contract ThroughputWorkHarness {
    function tileStat(bytes calldata tile) external pure returns (uint64) {
        return ThroughputWork.tileStat(tile);
    }

    function tileValue(bytes calldata tile, uint256 cols, uint256 row, uint256 col) external pure returns (int256) {
        return ThroughputWork.tileValue(tile, cols, row, col);
    }

    function verify(bytes32 root, bytes32 leaf_, uint256 index, bytes32[] calldata proof) external pure returns (bool) {
        return ThroughputWork.verify(root, leaf_, index, proof);
    }

    function leaf(bytes32 seed, uint256 r, uint256 g, bytes calldata stats) external pure returns (bytes32) {
        return ThroughputWork.leaf(seed, r, g, stats);
    }

    function statAt(bytes calldata stats, uint256 p) external pure returns (uint64) {
        return ThroughputWork.statAt(stats, p);
    }
}
