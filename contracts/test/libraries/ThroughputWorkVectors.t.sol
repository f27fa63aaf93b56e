// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ThroughputWork} from "../../src/libraries/ThroughputWork.sol";
import {WorkShape} from "../../src/types/Verification.sol";
import {ThroughputWorkHarness} from "../utils/ThroughputWorkHarness.sol";

/// @notice The differential test of the work: the contract's recomputation against the TypeScript verifier's
/// answers (test/fixtures/throughput-vectors.json, written by `npm run verification:vectors` from
/// lib/verification/work.ts; host/verifier/torchRunner.test.ts holds the PyTorch runner to the same code). 20 seeds
/// × 3 positions × K = 256 and 65,536, words, tiles with their statistics, groups with their leaves, Merkle proofs,
/// audits (v2: A the same in every round, one leaf per group of G tiles, audits over tiles).
contract ThroughputWorkVectorsTest is Test {
    ThroughputWorkHarness internal harness = new ThroughputWorkHarness();
    string internal json;

    function setUp() public {
        json = vm.readFile("test/fixtures/throughput-vectors.json");
    }

    function test_words_matchTheTypeScriptVerifier() public view {
        uint256 n = count(".words");
        for (uint256 i; i < n; ++i) {
            string memory at = item(".words", i);
            uint64 seed64 = uint64(uint256(vm.parseJsonBytes32(json, field(at, "seed"))));
            uint256 got = ThroughputWork.word(
                seed64,
                vm.parseJsonUint(json, field(at, "round")),
                vm.parseJsonUint(json, field(at, "matrix")),
                vm.parseJsonUint(json, field(at, "index")),
                vm.parseJsonUint(json, field(at, "wordIndex"))
            );
            assertEq(got, vm.parseJsonUint(json, field(at, "word")), at);
        }
    }

    function test_elements_matchTheTypeScriptVerifier() public view {
        uint256 n = count(".elements");
        assertGe(n, 100);
        for (uint256 i; i < n; ++i) {
            string memory at = item(".elements", i);
            int256 got = ThroughputWork.element(
                vm.parseJsonBytes32(json, field(at, "seed")),
                shapeAt(field(at, "shape")),
                vm.parseJsonUint(json, field(at, "round")),
                vm.parseJsonUint(json, field(at, "row")),
                vm.parseJsonUint(json, field(at, "col"))
            );
            assertEq(got, vm.parseJsonInt(json, field(at, "value")), at);
        }
    }

    function test_words_ofAAreRoundZeros() public view {
        uint256 n = count(".words");
        for (uint256 i; i < n; ++i) {
            string memory at = item(".words", i);
            if (vm.parseJsonUint(json, field(at, "matrix")) == 0) {
                assertEq(vm.parseJsonUint(json, field(at, "round")), 0);
            }
        }
    }

    function test_tiles_statisticsMatch() public view {
        uint256 n = count(".tiles");
        for (uint256 i; i < n; ++i) {
            string memory at = item(".tiles", i);
            WorkShape memory s = shapeAt(field(at, "shape"));
            bytes memory values = vm.parseJsonBytes(json, field(at, "values"));
            assertEq(values.length, 4 * uint256(s.tileRows) * s.cols, at);
            assertEq(harness.tileStat(values), vm.parseJsonUint(json, field(at, "stat")), at);
        }
    }

    function test_groups_leavesMatch() public view {
        uint256 n = count(".groups");
        for (uint256 i; i < n; ++i) {
            string memory at = item(".groups", i);
            bytes memory stats = vm.parseJsonBytes(json, field(at, "stats"));
            assertEq(stats.length, 8 * uint256(shapeAt(field(at, "shape")).groupTiles), at);
            bytes32 got = harness.leaf(
                vm.parseJsonBytes32(json, field(at, "seed")),
                vm.parseJsonUint(json, field(at, "round")),
                vm.parseJsonUint(json, field(at, "group")),
                stats
            );
            assertEq(got, vm.parseJsonBytes32(json, field(at, "leaf")), at);
        }
    }

    function test_merkleProofs_verifyAndAWrongIndexDoesNot() public view {
        uint256 n = count(".merkle");
        for (uint256 i; i < n; ++i) {
            string memory at = item(".merkle", i);
            bytes32 root = vm.parseJsonBytes32(json, field(at, "root"));
            bytes32[] memory leaves = vm.parseJsonBytes32Array(json, field(at, "leaves"));
            for (uint256 l; l < leaves.length; ++l) {
                bytes32[] memory proof = vm.parseJsonBytes32Array(json, item(field(at, "proofs"), l));
                assertTrue(harness.verify(root, leaves[l], l, proof), at);
                assertFalse(harness.verify(root, leaves[l], l ^ 1, proof), at);
            }
        }
    }

    function test_audits_pickTheSameIndices() public view {
        uint256 n = count(".audits");
        for (uint256 i; i < n; ++i) {
            string memory at = item(".audits", i);
            uint256[] memory indices = vm.parseJsonUintArray(json, field(at, "indices"));
            for (uint256 s; s < indices.length; ++s) {
                uint256 got = ThroughputWork.auditIndex(
                    vm.parseJsonBytes32(json, field(at, "auditHash")),
                    vm.parseJsonBytes32(json, field(at, "seed")),
                    s,
                    vm.parseJsonUint(json, field(at, "tileCount"))
                );
                assertEq(got, indices[s], at);
            }
        }
    }

    function shapeAt(string memory at) internal view returns (WorkShape memory) {
        return WorkShape({
            rows: uint32(vm.parseJsonUint(json, field(at, "rows"))),
            cols: uint32(vm.parseJsonUint(json, field(at, "cols"))),
            inner: uint32(vm.parseJsonUint(json, field(at, "inner"))),
            tileRows: uint32(vm.parseJsonUint(json, field(at, "tileRows"))),
            groupTiles: uint32(vm.parseJsonUint(json, field(at, "groupTiles")))
        });
    }

    function count(string memory path) internal view returns (uint256 n) {
        while (vm.keyExistsJson(json, item(path, n))) ++n;
        assertGt(n, 0, path);
    }

    function item(string memory path, uint256 i) internal pure returns (string memory) {
        return string.concat(path, "[", vm.toString(i), "]");
    }

    function field(string memory at, string memory name) internal pure returns (string memory) {
        return string.concat(at, ".", name);
    }
}
