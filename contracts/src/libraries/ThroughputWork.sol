// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {WorkShape} from "../types/Verification.sol";

/// @title ThroughputWork
/// @notice The work a host proves its GPUs with (docs/verification.md), as the chain checks it: a seeded matrix
/// product with 5-bit entries, C_r = A · B_r per round (A the same in every round, so a runner generates it once
/// and may batch rounds into one wide product), a quadratic statistic per tile of rows, one leaf per group of G tiles
/// of a round, a sha256 Merkle tree over the leaves and the audit's sample (tile) indices. lib/verification/work.ts and
/// host/verifier/throughput.py compute the same bit for bit.
/// @dev All 64-bit arithmetic is mod 2^64. Entries are the low 5 bits of each byte of splitmix64 words, minus 16:
/// −16..15, which no 4-bit integer or 4-bit float holds, so INT4 tensor cores cannot run the work in one pass (an
/// A100's INT4 rate would pass it as an H100; docs/verification.md, "Which engines the work admits").
library ThroughputWork {
    /// @notice splitmix64's increment, ⌊2^64/φ⌋.
    uint256 internal constant GOLDEN = 0x9E3779B97F4A7C15;
    uint256 internal constant MASK64 = 0xFFFFFFFFFFFFFFFF;
    /// @notice Entries per generated word: one per byte of a 64-bit word.
    uint256 internal constant ENTRIES_PER_WORD = 8;
    /// @notice Largest inner dimension: |partial sum| ≤ 256·K ≤ 2^24 (|entry| ≤ 16), and every integer of magnitude
    /// ≤ 2^24 is an FP32: exact in FP32 accumulation in any order.
    uint256 internal constant MAX_INNER = 65_536;
    /// @notice Bound of the round field in a word's counter (23 bits: with the matrix bit, the row/column's 20 and
    /// the word's 20 the counter fills 64 bits). 2^23 rounds of the GPU shape's 2^39 FLOP is 4.6e18 FLOP.
    uint256 internal constant MAX_ROUNDS = 1 << 23;
    /// @notice Bound of the row/column field in a word's counter (20 bits).
    uint256 internal constant MAX_INDEX = 1 << 20;
    /// @notice Samples an audit reveals.
    uint256 internal constant AUDIT_SAMPLES = 8;

    // Lane layout for the dot product of two words' 8 entries (see `_dot`): byte n of a word is spread to bits
    // 16n..16n+7 of a 256-bit word by three halving steps, each moving the upper half of every group up.
    uint256 private constant _SPREAD2_KEEP = 0xffff000000000000ffff;
    uint256 private constant _SPREAD2_MOVE = 0xffff000000000000ffff0000;
    uint256 private constant _SPREAD3_KEEP = 0xff000000ff000000ff000000ff;
    uint256 private constant _SPREAD3_MOVE = 0xff000000ff000000ff000000ff00;
    /// @dev The low 5 bits of each byte of a 64-bit word: the entries' fields.
    uint256 private constant _FIELDS = 0x1f1f1f1f1f1f1f1f;
    /// @dev 1 in each of the 8 16-bit lanes.
    uint256 private constant _ONES = 0x10001000100010001000100010001;

    /// @notice The splitmix64 finalizer.
    function mix64(uint256 z) internal pure returns (uint256) {
        unchecked {
            // z < 2^64 in and after each masked product; shifts only shrink it, so no step leaves 256 bits.
            z &= MASK64;
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64;
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64;
            return z ^ (z >> 31);
        }
    }

    /// @notice Word `w` of row (m = 0, of A, whose words use r = 0) or column (m = 1, of B_r) `i` in round `r`.
    function word(uint64 seed64, uint256 r, uint256 m, uint256 i, uint256 w) internal pure returns (uint256) {
        unchecked {
            // The counter is < 2^64 for in-range fields (the callers check them), so (c + w + 1)·GOLDEN < 2^129 and
            // the sum stays far below 2^256; mix64 reduces it mod 2^64.
            return mix64(seed64 + (_counter(r, m, i) + w + 1) * GOLDEN);
        }
    }

    /// @notice Entry `n` (0..7) of a generated word: the low 5 bits of byte n, minus 16: −16..15.
    function entry(uint256 word_, uint256 n) internal pure returns (int256) {
        return int256((word_ >> (8 * n)) & 31) - 16;
    }

    /// @notice C_r[row][col] = Σ_k A[row][k] · B_r[k][col], generated from `seed` (A's words are round 0's). Reverts when the shape or
    /// the indices are out of range.
    function element(bytes32 seed, WorkShape memory shape, uint256 round, uint256 row, uint256 col)
        internal
        pure
        returns (int256 sum)
    {
        if (
            shape.rows > MAX_INDEX || shape.cols > MAX_INDEX || shape.inner > MAX_INNER
                || shape.inner % ENTRIES_PER_WORD != 0
        ) {
            revert InvalidShape(shape.rows, shape.cols, shape.inner);
        }
        if (round >= MAX_ROUNDS || row >= shape.rows || col >= shape.cols) revert ElementOutOfRange(round, row, col);
        uint64 seed64 = uint64(uint256(seed));
        uint256 words = shape.inner / ENTRIES_PER_WORD;
        unchecked {
            // Word w of the row is mix64(seed64 + (c + w + 1)·GOLDEN): each next word adds GOLDEN (mod 2^64).
            // The products are < 2^64 · 2^64 and the sums are masked, so nothing wraps 256 bits.
            uint256 xa = (seed64 + (_counter(0, 0, row) + 1) * GOLDEN) & MASK64;
            uint256 xb = (seed64 + (_counter(round, 1, col) + 1) * GOLDEN) & MASK64;
            // Each word pair adds 8 products of −16..15, each of magnitude ≤ 256: |sum| ≤ 256·K ≤ 2^24.
            for (uint256 w; w < words; ++w) {
                sum += _dot(mix64(xa), mix64(xb));
                xa = (xa + GOLDEN) & MASK64;
                xb = (xb + GOLDEN) & MASK64;
            }
        }
    }

    /// @notice Σ over `tile` of v² for its int32 values (big-endian, 4 bytes each), as the leaf commits it.
    /// @dev Exact in uint64 for honest work: a tile holds at most T·N ≤ 2^15 values, each |v| ≤ 2^24 (see MAX_INNER).
    function tileStat(bytes calldata tile) internal pure returns (uint64 stat) {
        if (tile.length % 4 != 0) revert InvalidTile(tile.length);
        uint256 sum;
        unchecked {
            // Each square is < 2^62 and a calldata tile has < 2^32 values: the sum is < 2^94, no 256-bit wrap.
            for (uint256 o; o < tile.length; o += 4) {
                int256 v = int32(uint32(bytes4(tile[o:o + 4])));
                // forge-lint: disable-next-line(unsafe-typecast)
                sum += uint256(v * v); // a square, ≥ 0
            }
        }
        // Above 2^64 only from values no honest work yields: refuse rather than reduce.
        if (sum > type(uint64).max) revert InvalidTile(tile.length);
        // forge-lint: disable-next-line(unsafe-typecast)
        stat = uint64(sum); // ≤ 2^64 − 1, checked above
    }

    /// @notice The int32 at (`row`, `col`) of a tile `cols` wide.
    function tileValue(bytes calldata tile, uint256 cols, uint256 row, uint256 col) internal pure returns (int256) {
        uint256 o = (row * cols + col) * 4;
        return int32(uint32(bytes4(tile[o:o + 4]))); // slicing past the end reverts
    }

    /// @notice The leaf of group `g` of round `r` whose G tiles have statistics `stats` (G big-endian uint64, in
    /// tile order): sha256(seed ‖ u32 r ‖ u32 g ‖ stats). The caller checks the length of `stats`.
    function leaf(bytes32 seed, uint256 r, uint256 g, bytes calldata stats) internal pure returns (bytes32) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return sha256(abi.encodePacked(seed, uint32(r), uint32(g), stats)); // r < 2^23, g < 2^20 (the counter's)
    }

    /// @notice The statistic at position `p` of a group's `stats` (the big-endian uint64 at bytes 8p..8p+7).
    function statAt(bytes calldata stats, uint256 p) internal pure returns (uint64) {
        return uint64(bytes8(stats[8 * p:8 * p + 8])); // slicing past the end reverts
    }

    /// @notice Whether `proof` (siblings from the leaf level up) leads from `leaf_` at `index` to `root`. The
    /// proof's length is the tree's depth: the caller checks it against the number of leaves.
    function verify(bytes32 root, bytes32 leaf_, uint256 index, bytes32[] calldata proof) internal pure returns (bool) {
        bytes32 node = leaf_;
        for (uint256 b; b < proof.length; ++b) {
            node = (index >> b) & 1 == 1
                ? sha256(abi.encodePacked(proof[b], node))
                : sha256(abi.encodePacked(node, proof[b]));
        }
        return node == root;
    }

    /// @notice Depth of the Merkle tree over `leaves` leaves (padded to a power of two, at least 2).
    function depth(uint256 leaves) internal pure returns (uint256 d) {
        d = 1;
        while ((uint256(1) << d) < leaves) ++d;
    }

    /// @notice Sample `s`'s tile index among `tiles`: keccak256(auditHash, seed, s) mod tiles.
    function auditIndex(bytes32 auditHash, bytes32 seed, uint256 s, uint256 tiles) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(auditHash, seed, s))) % tiles;
    }

    /// @notice FLOPs of one round: 2·M·N·K (a multiply and an add per inner term).
    function flopsPerRound(WorkShape memory shape) internal pure returns (uint256) {
        return 2 * uint256(shape.rows) * shape.cols * shape.inner;
    }

    /// @dev Word counter base: ((m << 23 | r) << 20 | i) << 20, with w added (w < 2^20): < 2^64 for m < 2,
    /// r < 2^23, i < 2^20.
    function _counter(uint256 r, uint256 m, uint256 i) private pure returns (uint256) {
        return ((((m << 23) | r) << 20) | i) << 20;
    }

    /// @dev Σ_n entry(a, n)·entry(b, n) without a loop: with a's 8 fields spread to 16-bit lanes and b's spread in
    /// reverse order, lane 7 of their product is Σ_n a_n·b_n (each lane of the product is a sum of ≤ 8 products of
    /// fields ≤ 31·31, < 2^13, so no lane carries into the next; the 15 lanes end below bit 240, nothing wraps).
    /// Lane 7 of (a + b spread) × ones is Σa_n + Σb_n (< 2^9). Then Σ(a_n − 16)(b_n − 16) = Σab − 16(Σa + Σb) + 8·256.
    function _dot(uint256 a, uint256 b) private pure returns (int256) {
        uint256 sa = _spread(a & _FIELDS);
        uint256 sb = _spread(_reverseBytes(b) & _FIELDS);
        unchecked {
            // Lane 7 sits at bits 112..127; the lane sums are < 2^13 (see above): the masks take them exactly.
            uint256 products = ((sa * sb) >> 112) & 0xffff;
            uint256 sums = (((sa + sb) * _ONES) >> 112) & 0xffff;
            // forge-lint: disable-next-line(unsafe-typecast)
            return int256(products) - 16 * int256(sums) + 2048; // both < 2^13
        }
    }

    /// @dev Byte n of a 64-bit x to bits 16n..16n+7.
    function _spread(uint256 x) private pure returns (uint256) {
        x = (x & 0xffffffff) | ((x >> 32) << 64);
        x = (x & _SPREAD2_KEEP) | ((x & _SPREAD2_MOVE) << 16);
        return (x & _SPREAD3_KEEP) | ((x & _SPREAD3_MOVE) << 8);
    }

    /// @dev Byte n of a 64-bit x to byte 7 − n.
    function _reverseBytes(uint256 x) private pure returns (uint256) {
        x = (x >> 32) | ((x & 0xffffffff) << 32);
        x = ((x >> 16) & 0x0000ffff0000ffff) | ((x & 0x0000ffff0000ffff) << 16);
        return ((x >> 8) & 0x00ff00ff00ff00ff) | ((x & 0x00ff00ff00ff00ff) << 8);
    }

    /// @notice A shape with more than 2^20 rows or columns, or an inner dimension above MAX_INNER or not a
    /// multiple of 8.
    error InvalidShape(uint256 rows, uint256 cols, uint256 inner);
    /// @notice Round `round` ≥ 2^23, or (`row`, `col`) outside the shape.
    error ElementOutOfRange(uint256 round, uint256 row, uint256 col);
    /// @notice A tile of `length` bytes is not a whole number of int32 values, or its statistic overflows 64 bits.
    error InvalidTile(uint256 length);
}
