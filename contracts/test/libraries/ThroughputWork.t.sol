// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {ThroughputWork} from "../../src/libraries/ThroughputWork.sol";
import {WorkShape} from "../../src/types/Verification.sol";
import {ThroughputWorkHarness} from "../utils/ThroughputWorkHarness.sol";

/// @notice The work's definition against vectors computed independently, and the fast dot product against the
/// definition written out entry by entry.
/// The known answers come from a one-off Python transcription of the v2 work (docs/verification.md: naive loops
/// over k, A's words at round 0, hashlib's sha256, Python's unbounded ints masked to 64 bits; the same script with
/// v1's counter gives v1's answers), seed = sha256("hourglass").
contract ThroughputWorkTest is Test {
    ThroughputWorkHarness internal harness = new ThroughputWorkHarness();

    bytes32 internal constant SEED = 0xaf20a4cdb149e87bd038f3abdb309393a087c451718d7927780afe6e80c8279a;

    function shape(uint32 m, uint32 n, uint32 k, uint32 t) internal pure returns (WorkShape memory) {
        return WorkShape({rows: m, cols: n, inner: k, tileRows: t, groupTiles: 1});
    }

    function test_mix64_knownAnswers() public pure {
        // splitmix64's first output from state 0 is mix64(GOLDEN) = 0xe220a8397b1dcdaf (Vigna's reference).
        assertEq(ThroughputWork.mix64(ThroughputWork.GOLDEN), 0xe220a8397b1dcdaf);
        assertEq(ThroughputWork.mix64(0), 0);
        assertEq(ThroughputWork.mix64(1), 0x5692161d100b05e5);
        assertEq(ThroughputWork.mix64(type(uint64).max), 0xb4d055fcf2cbbd7b);
    }

    function test_word_knownAnswer() public pure {
        assertEq(ThroughputWork.word(uint64(uint256(SEED)), 3, 1, 5, 7), 0x4ca2b865d62c2d96);
        assertEq(ThroughputWork.word(uint64(uint256(SEED)), 0, 0, 5, 7), 0xca76fe3c8ae5235e);
    }

    /// @dev The counter's fields: ((m << 23 | r) << 20 | i) << 20 | w, so the largest round, row and word of B fill
    /// 64 bits and stay distinct from A's (a field overflowing into the next would alias two words).
    function test_word_counterFieldsAreDisjoint() public pure {
        uint64 seed64 = uint64(uint256(SEED));
        (uint256 r, uint256 i, uint256 w) = ((1 << 23) - 1, (1 << 20) - 1, (1 << 20) - 1);
        uint256 c = (((((uint256(1) << 23) | r) << 20) | i) << 20) | w;
        assertEq(c, type(uint64).max);
        assertEq(
            ThroughputWork.word(seed64, r, 1, i, w),
            ThroughputWork.mix64((uint256(seed64) + (c + 1) * ThroughputWork.GOLDEN) & ThroughputWork.MASK64)
        );
        assertTrue(ThroughputWork.word(seed64, 0, 1, 0, 0) != ThroughputWork.word(seed64, 0, 0, 0, 0));
    }

    function test_element_knownAnswers() public pure {
        assertEq(ThroughputWork.element(SEED, shape(8, 4, 16, 2), 0, 0, 0), -349);
        assertEq(ThroughputWork.element(SEED, shape(8, 4, 32, 2), 1, 2, 3), 496);
        assertEq(ThroughputWork.element(SEED, shape(64, 16, 256, 8), 0, 63, 15), 1218);
        assertEq(ThroughputWork.element(SEED, shape(64, 16, 256, 8), 5, 17, 9), -519);
    }

    /// @dev Tile 2 of round 1 of the 8×4×32 (T = 2, G = 2) work, its statistic, the leaves of both rounds' 2 groups
    /// (sha256 of seed, round, group and the group's two statistics) and their root.
    function test_tileGroupLeafAndRoot_knownAnswers() public view {
        WorkShape memory s = shape(8, 4, 32, 2);
        s.groupTiles = 2;
        int32[8] memory expected = [int32(-430), -12, 350, -244, 331, 336, -163, 335];
        bytes memory tile = encodeTile(SEED, s, 1, 2);
        for (uint256 v; v < 8; ++v) {
            assertEq(harness.tileValue(tile, 4, v / 4, v % 4), expected[v]);
        }
        assertEq(harness.tileStat(tile), 728_331);
        bytes32[] memory leaves = new bytes32[](4);
        for (uint256 l; l < 4; ++l) {
            (uint256 r, uint256 g) = (l / 2, l % 2);
            bytes memory stats = bytes.concat(
                bytes8(harness.tileStat(encodeTile(SEED, s, r, 2 * g))),
                bytes8(harness.tileStat(encodeTile(SEED, s, r, 2 * g + 1)))
            );
            leaves[l] = harness.leaf(SEED, r, g, stats);
            assertEq(leaves[l], sha256(abi.encodePacked(SEED, uint32(r), uint32(g), stats)));
            if (l == 3) assertEq(harness.statAt(stats, 0), 728_331, "tile 2 of round 1 is group 1's first");
        }
        assertEq(leaves[0], 0x4d5436e7b165bd5e1bb267fef1eb57fd38785e9f25e86c2f4e55e17abc6dc033);
        assertEq(leaves[3], 0x59d87b933986fc9cf86b84b2a1ce69e6721dc1e11d781f75b2841e4fe7bb0278);
        bytes32 root = merkleRoot(leaves);
        assertEq(root, 0xc2003234f54504f2bcb9668312880fc7d132984c56b82279fd4bd9b4eb7fbfe1);
        for (uint256 l; l < 4; ++l) {
            assertTrue(harness.verify(root, leaves[l], l, merkleProof(leaves, l)));
            assertFalse(harness.verify(root, leaves[l], l ^ 1, merkleProof(leaves, l)));
        }
    }

    /// @dev The leaf commits the order of its group's statistics: two positions swapped make another leaf.
    function test_leaf_bindsTheOrderOfTheStatistics() public view {
        bytes memory stats = bytes.concat(bytes8(uint64(746_201)), bytes8(uint64(1_116_183)));
        bytes memory swapped = bytes.concat(bytes8(uint64(1_116_183)), bytes8(uint64(746_201)));
        assertTrue(harness.leaf(SEED, 0, 0, stats) != harness.leaf(SEED, 0, 0, swapped));
        assertEq(harness.leaf(SEED, 0, 0, stats), 0x4d5436e7b165bd5e1bb267fef1eb57fd38785e9f25e86c2f4e55e17abc6dc033);
    }

    function testFuzz_statAt_readsTheBigEndianUint64AtItsPosition(uint64[4] memory stats, uint8 p) public view {
        bytes memory blob = bytes.concat(bytes8(stats[0]), bytes8(stats[1]), bytes8(stats[2]), bytes8(stats[3]));
        assertEq(harness.statAt(blob, p % 4), stats[p % 4]);
    }

    function test_statAt_refusesAPositionPastTheGroup() public {
        vm.expectRevert(); // a calldata slice past the end
        harness.statAt(new bytes(16), 2);
    }

    /// @dev A is the same in every round (only B_r changes, so a runner generates A once per challenge): C_r's
    /// element is round 0's A row against round r's B column, for the first and the last round the counter holds;
    /// with v1's round-dependent A this fails.
    function test_A_isTheSameInEveryRound() public pure {
        WorkShape memory s = shape(64, 16, 64, 8);
        uint64 seed64 = uint64(uint256(SEED));
        uint256[3] memory rounds = [uint256(0), 1, (1 << 23) - 1];
        for (uint256 q; q < 3; ++q) {
            (uint256 r, uint256 row, uint256 col) = (rounds[q], 17 + q, 9 - q);
            int256 naive;
            for (uint256 k; k < s.inner; ++k) {
                int256 a = ThroughputWork.entry(ThroughputWork.word(seed64, 0, 0, row, k >> 3), k & 7);
                int256 b = ThroughputWork.entry(ThroughputWork.word(seed64, r, 1, col, k >> 3), k & 7);
                naive += a * b;
            }
            assertEq(ThroughputWork.element(SEED, s, r, row, col), naive);
        }
        // And two rounds' products differ only through B: a B column equal in both would give equal elements, and
        // B does differ (another round's column is other words).
        assertTrue(ThroughputWork.word(seed64, 1, 1, 3, 0) != ThroughputWork.word(seed64, 2, 1, 3, 0));
    }

    /// @dev 5-bit entries: 32 values, more than INT4 holds (docs/verification.md, "Which engines the work admits").
    function testFuzz_entriesAreMinus16To15(uint256 word, uint8 n) public pure {
        int256 e = ThroughputWork.entry(word, n % 8);
        assertGe(e, -16);
        assertLe(e, 15);
    }

    function test_entry_spansAll32Values() public pure {
        assertEq(ThroughputWork.entry(0x1f00, 0), -16);
        assertEq(ThroughputWork.entry(0x1f00, 1), 15);
        assertEq(ThroughputWork.entry(0xe0, 0), -16, "the top 3 bits of a byte are not the entry's");
        assertEq(ThroughputWork.entry(0x11 << 56, 7), 1);
    }

    /// @dev The word-at-a-time dot product equals the sum of entry products, for any seed and position.
    function testFuzz_elementIsTheSumOfEntryProducts(bytes32 seed, uint24 r, uint8 row, uint8 col, uint8 words)
        public
        pure
    {
        uint256 round = r % ThroughputWork.MAX_ROUNDS;
        WorkShape memory s = shape(256, 256, uint32(uint256(words % 16) + 1) * 8, 8);
        int256 naive;
        uint64 seed64 = uint64(uint256(seed));
        for (uint256 k; k < s.inner; ++k) {
            int256 a = ThroughputWork.entry(ThroughputWork.word(seed64, 0, 0, row, k >> 3), k & 7);
            int256 b = ThroughputWork.entry(ThroughputWork.word(seed64, round, 1, col, k >> 3), k & 7);
            naive += a * b;
        }
        assertEq(ThroughputWork.element(seed, s, round, row, col), naive);
    }

    /// @dev One word pair (K = 8) over many seeds: 8 products of −16..15 span −1,920..2,048.
    function test_element_boundsOfTheDotProduct() public pure {
        for (uint256 i; i < 16; ++i) {
            int256 e = ThroughputWork.element(keccak256(abi.encode(i)), shape(16, 16, 8, 8), 0, i, 15 - i);
            assertLe(e, 2048);
            assertGe(e, -1920);
        }
    }

    /// @dev Values within ±2^24, the most an honest product yields (|C| ≤ 256·K).
    function testFuzz_tileStatIsTheSumOfSquares(int32[] memory values) public view {
        vm.assume(values.length <= 64);
        bytes memory tile;
        uint256 sum;
        for (uint256 i; i < values.length; ++i) {
            int32 v = values[i] % int32(1 << 24);
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
        vm.expectRevert(abi.encodeWithSelector(ThroughputWork.ElementOutOfRange.selector, 1 << 23, 0, 0));
        this.elementOf(SEED, s, 1 << 23, 0, 0);
        this.elementOf(SEED, s, (1 << 23) - 1, 0, 0); // the last round the counter holds
        vm.expectRevert(abi.encodeWithSelector(ThroughputWork.InvalidShape.selector, 8, 4, 20));
        this.elementOf(SEED, shape(8, 4, 20, 2), 0, 0, 0); // not whole words of 8 entries
        this.elementOf(SEED, shape(8, 4, 24, 2), 0, 0, 0); // three words
        vm.expectRevert(abi.encodeWithSelector(ThroughputWork.InvalidShape.selector, (1 << 20) + 1, 4, 32));
        this.elementOf(SEED, shape((1 << 20) + 1, 4, 32, 2), 0, 0, 0);
    }

    function test_auditIndex_isKeccakModTiles() public pure {
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
