// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ThroughputWork} from "../../src/libraries/ThroughputWork.sol";
import {WorkShape} from "../../src/types/Verification.sol";

/// @dev The library's calldata functions, called externally as the verifier calls them.
contract ThroughputWorkHarness {
    function tileStat(bytes calldata tile) external pure returns (uint64) {
        return ThroughputWork.tileStat(tile);
    }

    function tileValue(bytes calldata tile, uint256 cols, uint256 row, uint256 col) external pure returns (int256) {
        return ThroughputWork.tileValue(tile, cols, row, col);
    }

    function verify(bytes32 root, bytes32 leaf, uint256 index, bytes32[] calldata proof) external pure returns (bool) {
        return ThroughputWork.verify(root, leaf, index, proof);
    }
}

/// @notice The work's definition against vectors computed independently, and the fast dot product against the
/// definition written out entry by entry.
/// The known answers come from a one-off Python transcription of the spec's §1 (naive loops over k, hashlib's
/// sha256, Python's unbounded ints masked to 64 bits), seed = sha256("hourglass").
contract ThroughputWorkTest is Test {
    ThroughputWorkHarness internal harness = new ThroughputWorkHarness();

    bytes32 internal constant SEED = 0xaf20a4cdb149e87bd038f3abdb309393a087c451718d7927780afe6e80c8279a;

    function shape(uint32 m, uint32 n, uint32 k, uint32 t) internal pure returns (WorkShape memory) {
        return WorkShape({rows: m, cols: n, inner: k, tileRows: t});
    }

    function test_mix64_knownAnswers() public pure {
        // splitmix64's first output from state 0 is mix64(GOLDEN) = 0xe220a8397b1dcdaf (Vigna's reference).
        assertEq(ThroughputWork.mix64(ThroughputWork.GOLDEN), 0xe220a8397b1dcdaf);
        assertEq(ThroughputWork.mix64(0), 0);
        assertEq(ThroughputWork.mix64(1), 0x5692161d100b05e5);
        assertEq(ThroughputWork.mix64(type(uint64).max), 0xb4d055fcf2cbbd7b);
    }

    function test_word_knownAnswer() public pure {
        assertEq(ThroughputWork.word(uint64(uint256(SEED)), 3, 1, 5, 7), 0xc000180eb97ba4ef);
    }

    function test_element_knownAnswers() public pure {
        assertEq(ThroughputWork.element(SEED, shape(8, 4, 16, 2), 0, 0, 0), -58);
        assertEq(ThroughputWork.element(SEED, shape(8, 4, 32, 2), 1, 2, 3), -89);
        assertEq(ThroughputWork.element(SEED, shape(64, 16, 256, 8), 0, 63, 15), 134);
        assertEq(ThroughputWork.element(SEED, shape(64, 16, 256, 8), 5, 17, 9), 302);
    }

    /// @dev Tile 2 of round 1 of the 8×4×32 (T = 2) work, its statistic, and the root of both rounds' 8 leaves.
    function test_tileLeafAndRoot_knownAnswers() public view {
        WorkShape memory s = shape(8, 4, 32, 2);
        int32[8] memory expected = [int32(23), 105, -38, -120, -94, -293, -30, 320];
        bytes memory tile = encodeTile(SEED, s, 1, 2);
        for (uint256 v; v < 8; ++v) {
            assertEq(harness.tileValue(tile, 4, v / 4, v % 4), expected[v]);
        }
        assertEq(harness.tileStat(tile), 225_383);
        bytes32[] memory leaves = new bytes32[](8);
        for (uint256 l; l < 8; ++l) {
            leaves[l] = ThroughputWork.leaf(SEED, l / 4, l % 4, harness.tileStat(encodeTile(SEED, s, l / 4, l % 4)));
        }
        assertEq(leaves[0], 0x8d4f6d171cffb08dab745b402c459d67fdc51df0f95baae2333b36e0ca382d31);
        bytes32 root = merkleRoot(leaves);
        assertEq(root, 0xa43af77b4e8688dbc330a232e83c68572da4d76fb742b81aa0f900b079977ff6);
        for (uint256 l; l < 8; ++l) {
            assertTrue(harness.verify(root, leaves[l], l, merkleProof(leaves, l)));
            assertFalse(harness.verify(root, leaves[l], l ^ 1, merkleProof(leaves, l)));
        }
    }

    function testFuzz_entriesAreMinus8To7(uint256 word, uint8 n) public pure {
        int256 e = ThroughputWork.entry(word, n % 16);
        assertGe(e, -8);
        assertLe(e, 7);
    }

    /// @dev The word-at-a-time dot product equals the sum of entry products, for any seed and position.
    function testFuzz_elementIsTheSumOfEntryProducts(bytes32 seed, uint16 round, uint8 row, uint8 col, uint8 words)
        public
        pure
    {
        WorkShape memory s = shape(256, 256, uint32(uint256(words % 8) + 1) * 16, 8);
        int256 naive;
        uint64 seed64 = uint64(uint256(seed));
        for (uint256 k; k < s.inner; ++k) {
            int256 a = ThroughputWork.entry(ThroughputWork.word(seed64, round, 0, row, k >> 4), k & 15);
            int256 b = ThroughputWork.entry(ThroughputWork.word(seed64, round, 1, col, k >> 4), k & 15);
            naive += a * b;
        }
        assertEq(ThroughputWork.element(seed, s, round, row, col), naive);
    }

    /// @dev The extremes of the lane arithmetic: all-zero nibbles (entries −8) and all-ones nibbles (entries 7).
    function test_element_boundsOfTheDotProduct() public pure {
        // Over many seeds the sum stays within ±64·K; a single word pair spans −1,024..1,024 by construction.
        for (uint256 i; i < 16; ++i) {
            int256 e = ThroughputWork.element(keccak256(abi.encode(i)), shape(16, 16, 16, 8), 0, i, 15 - i);
            assertLe(e, 1024);
            assertGe(e, -1024);
        }
    }

    /// @dev Values within ±2^22, the most an honest product yields (|C| ≤ 64·K).
    function testFuzz_tileStatIsTheSumOfSquares(int32[] memory values) public view {
        vm.assume(values.length <= 64);
        bytes memory tile;
        uint256 sum;
        for (uint256 i; i < values.length; ++i) {
            int32 v = values[i] % int32(1 << 22);
            tile = bytes.concat(tile, bytes4(uint32(v)));
            sum += uint256(int256(v) * int256(v));
        }
        assertEq(harness.tileStat(tile), sum);
    }

    /// @dev Five values of −2^31 square to 5·2^62 > 2^64: no leaf can commit that, so the tile is refused.
    function test_tileStat_refusesAnOverflowingTile() public {
        bytes memory tile;
        for (uint256 i; i < 5; ++i) {
            tile = bytes.concat(tile, bytes4(0x80000000));
        }
        vm.expectRevert(abi.encodeWithSelector(ThroughputWork.InvalidTile.selector, 20));
        harness.tileStat(tile);
    }

    function test_tileStat_refusesAPartialValue() public {
        vm.expectRevert(abi.encodeWithSelector(ThroughputWork.InvalidTile.selector, 5));
        harness.tileStat(hex"0000000100");
    }

    function test_element_refusesOutOfRange() public {
        WorkShape memory s = shape(8, 4, 32, 2);
        vm.expectRevert(abi.encodeWithSelector(ThroughputWork.ElementOutOfRange.selector, 0, 8, 0));
        this.elementOf(SEED, s, 0, 8, 0);
        vm.expectRevert(abi.encodeWithSelector(ThroughputWork.ElementOutOfRange.selector, 1 << 16, 0, 0));
        this.elementOf(SEED, s, 1 << 16, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(ThroughputWork.InvalidShape.selector, 8, 4, 24));
        this.elementOf(SEED, shape(8, 4, 24, 2), 0, 0, 0);
    }

    function test_auditIndex_isKeccakModLeaves() public pure {
        bytes32 h = keccak256("block");
        for (uint256 s; s < 8; ++s) {
            uint256 i = ThroughputWork.auditIndex(h, SEED, s, 37);
            assertEq(i, uint256(keccak256(abi.encode(h, SEED, s))) % 37);
            assertLt(i, 37);
        }
    }

    function test_depth() public pure {
        assertEq(ThroughputWork.depth(2), 1);
        assertEq(ThroughputWork.depth(3), 2);
        assertEq(ThroughputWork.depth(8), 3);
        assertEq(ThroughputWork.depth(9), 4);
        assertEq(ThroughputWork.depth(16_384 * 64), 20);
    }

    function elementOf(bytes32 seed, WorkShape memory s, uint256 r, uint256 row, uint256 col)
        external
        pure
        returns (int256)
    {
        return ThroughputWork.element(seed, s, r, row, col);
    }

    // ---------------------------------------------------------------- the host's side, in Solidity

    function encodeTile(bytes32 seed, WorkShape memory s, uint256 r, uint256 t)
        internal
        pure
        returns (bytes memory tile)
    {
        tile = new bytes(4 * uint256(s.tileRows) * s.cols);
        uint256 o;
        for (uint256 a; a < s.tileRows; ++a) {
            for (uint256 j; j < s.cols; ++j) {
                uint32 v = uint32(int32(ThroughputWork.element(seed, s, r, t * s.tileRows + a, j)));
                for (uint256 b; b < 4; ++b) {
                    tile[o++] = bytes1(uint8(v >> (24 - 8 * b)));
                }
            }
        }
    }

    function merkleRoot(bytes32[] memory leaves) internal pure returns (bytes32) {
        bytes32[] memory level = pad(leaves);
        while (level.length > 1) level = up(level);
        return level[0];
    }

    function merkleProof(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory proof) {
        bytes32[] memory level = pad(leaves);
        proof = new bytes32[](ThroughputWork.depth(leaves.length));
        for (uint256 d; level.length > 1; ++d) {
            proof[d] = level[index ^ 1];
            level = up(level);
            index >>= 1;
        }
    }

    function pad(bytes32[] memory leaves) internal pure returns (bytes32[] memory level) {
        level = new bytes32[](uint256(1) << ThroughputWork.depth(leaves.length));
        for (uint256 i; i < leaves.length; ++i) {
            level[i] = leaves[i];
        }
    }

    function up(bytes32[] memory level) internal pure returns (bytes32[] memory next) {
        next = new bytes32[](level.length / 2);
        for (uint256 i; i < next.length; ++i) {
            next[i] = sha256(abi.encodePacked(level[2 * i], level[2 * i + 1]));
        }
    }
}
