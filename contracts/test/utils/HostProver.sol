// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {SupplyVerifier} from "../../src/SupplyVerifier.sol";
import {ThroughputWork} from "../../src/libraries/ThroughputWork.sol";
import {WorkShape} from "../../src/types/Verification.sol";
import {Host} from "../../src/types/Provider.sol";

/// @notice A host's side of a SupplyVerifier challenge, in Solidity, through the verifier's real entry points.
/// @dev The EVM cannot compute a real challenge's every tile in a test's time, but a test picks the block hashes
/// itself: it fixes the audit hash (blockhash(commitBlock + 1)) before the commitment, computes the eight audited
/// tiles' groups honestly (every tile of each, for its statistics) and leaves every other leaf zero (a sparse tree:
/// O(8 · depth) hashes). A real host cannot know
/// the audit hash; the attack tests show that one who guesses wrong fails.
abstract contract HostProver is CommonBase {
    /// @dev How a test host behaves at each audited sample.
    struct Behaviour {
        /// Commit a garbage leaf (the tile was never computed) at these samples.
        bool[8] garbage;
        /// Commit (and open) made-up statistics for these samples' groups, every one 1 more than the truth: a host
        /// that hashed leaves without computing their tiles, and computes only the audited tiles afterwards.
        bool[8] fakeStats;
        /// Compute the tiles from this seed instead of the chain's (a host that precomputed).
        bytes32 guessedSeed;
        /// Compute nothing: commit and open all-zero tiles and statistics (the statistic, 0, matches; the values do
        /// not).
        bool zeroTiles;
    }

    /// @dev The audit hash tests give the block after a commitment, per challenge.
    function auditHashFor(uint256 id) internal pure returns (bytes32) {
        return keccak256(abi.encode("audit", id));
    }

    /// @dev The seed block mined (with a hash derived from the id) and the chain one block past it.
    function mineSeed(SupplyVerifier verifier, uint256 id) internal returns (bytes32 seed) {
        uint256 seedBlock = verifier.challengeOf(id).seedBlock;
        if (vm.getBlockNumber() <= seedBlock) vm.roll(seedBlock + 1);
        vm.setBlockhash(seedBlock, keccak256(abi.encode("seed", id)));
        seed = verifier.seedOf(id);
    }

    /// @dev Commits challenge `id` as its host (honest unless `b` says otherwise) and returns what the host can
    /// open: the audited tiles, their groups' statistics and the groups' proofs. The chain is left a block past the
    /// commitment's with the audit hash set.
    function commitWork(SupplyVerifier verifier, uint256 id, Behaviour memory b)
        internal
        returns (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs)
    {
        bytes32 seed = mineSeed(verifier, id);
        WorkShape memory s = verifier.shape();
        uint256 tilesPerRound = s.rows / s.tileRows;
        uint256 tileCount = uint256(verifier.challengeOf(id).rounds) * tilesPerRound;
        uint256 leaves = tileCount / s.groupTiles;
        uint256[] memory indices = new uint256[](8); // leaf (group) indices
        bytes32[] memory leafOf = new bytes32[](8);
        (tiles, groupStats) = (new bytes[](8), new bytes[](8));
        bytes32 workSeed = b.guessedSeed == 0 ? seed : b.guessedSeed;
        for (uint256 i; i < 8; ++i) {
            uint256 tile = ThroughputWork.auditIndex(auditHashFor(id), seed, i, tileCount);
            indices[i] = tile / s.groupTiles;
            (uint256 r, uint256 t) = (tile / tilesPerRound, tile % tilesPerRound);
            tiles[i] = b.zeroTiles ? new bytes(4 * uint256(s.tileRows) * s.cols) : tileOf(workSeed, s, r, t);
            groupStats[i] =
                b.zeroTiles ? new bytes(8 * uint256(s.groupTiles)) : groupStatsOf(workSeed, s, r, t, b.fakeStats[i]);
            leafOf[i] = b.garbage[i]
                ? keccak256(abi.encode("garbage", i))
                : sha256(abi.encodePacked(workSeed, uint32(r), uint32(t / s.groupTiles), groupStats[i]));
        }
        // A duplicate group takes the first sample's leaf and statistics (a host commits one leaf per position).
        for (uint256 i; i < 8; ++i) {
            for (uint256 j; j < i; ++j) {
                if (indices[j] == indices[i]) (leafOf[i], groupStats[i]) = (leafOf[j], groupStats[j]);
            }
        }
        uint256 depth = ThroughputWork.depth(leaves);
        bytes32[] memory zeros = zeroHashes(depth);
        bytes32 root = node(depth, 0, indices, leafOf, zeros); // before the prank: sha256 is a call too
        vm.prank(verifier.registry().host(verifier.challengeOf(id).hostId).signer);
        verifier.commit(id, root);
        proofs = new bytes32[][](8);
        for (uint256 i; i < 8; ++i) {
            proofs[i] = new bytes32[](depth);
            for (uint256 d; d < depth; ++d) {
                proofs[i][d] = node(d, (indices[i] >> d) ^ 1, indices, leafOf, zeros);
            }
        }
        uint256 auditBlock = vm.getBlockNumber() + 1;
        vm.roll(auditBlock + 1);
        vm.setBlockhash(auditBlock, auditHashFor(id));
    }

    /// @dev The honest host's whole challenge: commit, reveal, wait out the fraud window, finalize. With `rewind`,
    /// the clock goes back to where it was (the fixture proves hosts at registration without moving tests' time).
    function proveHost(SupplyVerifier verifier, uint256 id, bool rewind) internal {
        uint256 startedAt = vm.getBlockTimestamp();
        Behaviour memory honest;
        (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs) = commitWork(verifier, id, honest);
        address signer = verifier.registry().host(verifier.challengeOf(id).hostId).signer;
        vm.prank(signer);
        verifier.reveal(id, tiles, groupStats, proofs);
        vm.warp(vm.getBlockTimestamp() + verifier.fraudWindow());
        verifier.finalize(id);
        if (rewind) vm.warp(startedAt);
    }

    /// @dev The provider challenges its own host (no fee) and proves it honestly.
    function selfVerify(SupplyVerifier verifier, uint256 hostId, bool rewind) internal returns (uint256 id) {
        Host memory h = verifier.registry().host(hostId);
        vm.prank(h.provider);
        id = verifier.challenge(hostId);
        proveHost(verifier, id, rewind);
    }

    function tileOf(bytes32 seed, WorkShape memory s, uint256 r, uint256 t) internal pure returns (bytes memory tile) {
        tile = new bytes(4 * uint256(s.tileRows) * s.cols);
        uint256 o;
        for (uint256 a; a < s.tileRows; ++a) {
            for (uint256 j; j < s.cols; ++j) {
                uint32 v = uint32(int32(ThroughputWork.element(seed, s, r, t * s.tileRows + a, j)));
                for (uint256 k; k < 4; ++k) {
                    tile[o++] = bytes1(uint8(v >> (24 - 8 * k)));
                }
            }
        }
    }

    /// @dev The statistics of the group holding tile `t` of round `r` (G big-endian uint64, tile order), each 1 more
    /// than the truth when `fake`.
    function groupStatsOf(bytes32 seed, WorkShape memory s, uint256 r, uint256 t, bool fake)
        internal
        pure
        returns (bytes memory stats)
    {
        uint256 first = t - t % s.groupTiles;
        for (uint256 q; q < s.groupTiles; ++q) {
            uint64 stat = statOf(tileOf(seed, s, r, first + q));
            stats = bytes.concat(stats, bytes8(fake ? stat + 1 : stat));
        }
    }

    function statOf(bytes memory tile) internal pure returns (uint64 stat) {
        for (uint256 o; o < tile.length; o += 4) {
            int256 v = int32(uint32(bytes4(bytes.concat(tile[o], tile[o + 1], tile[o + 2], tile[o + 3]))));
            stat += uint64(uint256(v * v));
        }
    }

    /// @dev `tile` with the int32 at (`row`, `col`) of a `cols`-wide tile replaced by `value`.
    function withValue(bytes memory tile, uint256 cols, uint256 row, uint256 col, int32 value)
        internal
        pure
        returns (bytes memory out)
    {
        out = bytes.concat(tile); // a copy
        uint256 o = (row * cols + col) * 4;
        for (uint256 k; k < 4; ++k) {
            out[o + k] = bytes1(uint8(uint32(value) >> (24 - 8 * k)));
        }
    }

    function zeroHashes(uint256 depth) internal pure returns (bytes32[] memory zeros) {
        zeros = new bytes32[](depth + 1);
        for (uint256 d = 1; d <= depth; ++d) {
            zeros[d] = sha256(abi.encodePacked(zeros[d - 1], zeros[d - 1]));
        }
    }

    /// @dev The node at `position` of level `d` (0: leaves) of a tree whose only non-zero leaves are `leafOf` at
    /// `indices`.
    function node(
        uint256 d,
        uint256 position,
        uint256[] memory indices,
        bytes32[] memory leafOf,
        bytes32[] memory zeros
    ) internal pure returns (bytes32) {
        (uint256 lo, uint256 hi) = (position << d, (position + 1) << d);
        for (uint256 i; i < indices.length; ++i) {
            if (indices[i] < lo || indices[i] >= hi) continue;
            if (d == 0) return leafOf[i];
            return sha256(
                abi.encodePacked(
                    node(d - 1, 2 * position, indices, leafOf, zeros),
                    node(d - 1, 2 * position + 1, indices, leafOf, zeros)
                )
            );
        }
        return zeros[d];
    }
}
