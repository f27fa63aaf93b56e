// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Challenge, ChallengeStatus, FailureReason, WorkShape} from "../types/Verification.sol";

/// @title ISupplyVerifier
/// @notice Proves that a host has the GPUs it listed before its capacity backs a mint. Anyone challenges a host,
/// paying its price for the challenge's span; the host computes a seeded matrix product (ThroughputWork) sized to
/// take `targetSeconds` at its rated throughput, commits to a Merkle root of per-tile statistics (one leaf per
/// group of `groupTiles` tiles) before a deadline that allows for `toleranceBps` of that throughput, and reveals
/// eight tiles the next block's hash picks, each with its group's statistics. Anyone may then prove a revealed value wrong. A pass pays the host the fee and verifies it for
/// `verifiedFor`; a miss or a wrong value refunds the challenger, slashes the provider (the challenger's reward
/// at most ten fees, the rest burned) and takes the host's capacity out of every bound (ProviderRegistry).
interface ISupplyVerifier {
    // ---------------------------------------------------------------- errors
    /// @notice Parameter `name` must be within `min`..`max`; `value` was given.
    error InvalidParameter(bytes32 name, uint256 value, uint256 min, uint256 max);
    /// @notice `classIds` and the throughput table differ in length (`classes` ids, `rates` rates).
    error ClassTableMismatch(uint256 classes, uint256 rates);
    /// @notice GPU class `classId` has no throughput in this verifier's table.
    error UnknownClass(bytes32 classId);
    /// @notice Host `hostId`'s listing ended at `listedUntil`: there is nothing to verify.
    error HostNotListed(uint256 hostId, uint256 listedUntil);
    /// @notice Host `hostId` is paused.
    error HostIsPaused(uint256 hostId);
    /// @notice Host `hostId` already has challenge `challengeId` open.
    error ChallengeAlreadyOpen(uint256 hostId, uint256 challengeId);
    /// @notice Host `hostId` may not be challenged before `nextChallengeAt` (the duty cycle).
    error ChallengeTooSoon(uint256 hostId, uint256 nextChallengeAt);
    /// @notice Host `hostId`'s provider may challenge it again from `nextSelfChallengeAt` (anyone else sooner).
    error SelfChallengeTooSoon(uint256 hostId, uint256 nextSelfChallengeAt);
    /// @notice Host `hostId` would need `rounds` rounds, more than the work's `maxRounds`.
    error WorkTooLarge(uint256 hostId, uint256 rounds, uint256 maxRounds);
    /// @notice No challenge `id`.
    error UnknownChallenge(uint256 id);
    /// @notice Challenge `id` is `status`; the call needs `expected`.
    error WrongStatus(uint256 id, ChallengeStatus status, ChallengeStatus expected);
    /// @notice Host `hostId` has `gpusBusy` GPUs in jobs: the challenge begins when they end.
    error HostBusy(uint256 hostId, uint256 gpusBusy);
    /// @notice `caller` is not the signer of challenge `id`'s host.
    error NotHostSigner(uint256 id, address caller);
    /// @notice Block `seedBlock`'s hash, challenge `id`'s seed, is not available (not yet mined, or > 256 ago).
    error SeedUnavailable(uint256 id, uint256 seedBlock);
    /// @notice Challenge `id` had to be committed by `commitBy`.
    error CommitTooLate(uint256 id, uint256 commitBy);
    /// @notice Block `auditBlock`'s hash, which picks challenge `id`'s audited tiles, is not available.
    error AuditUnavailable(uint256 id, uint256 auditBlock);
    /// @notice Challenge `id` had to be revealed by `revealBy`.
    error RevealTooLate(uint256 id, uint256 revealBy);
    /// @notice A reveal takes AUDIT_SAMPLES tiles, as many groups' statistics and as many proofs (`tiles`,
    /// `groupStats` and `proofs` given).
    error WrongSampleCount(uint256 tiles, uint256 groupStats, uint256 proofs);
    /// @notice Sample `sample`'s tile is `length` bytes, not `expected` (4 · tileRows · cols).
    error WrongTileLength(uint256 sample, uint256 length, uint256 expected);
    /// @notice Sample `sample`'s group statistics are `length` bytes, not `expected` (8 · groupTiles).
    error WrongStatsLength(uint256 sample, uint256 length, uint256 expected);
    /// @notice Sample `sample` of challenge `id`: its group's statistics give its tile `revealed`, but the revealed
    /// tile's values sum to `computed`.
    error StatMismatch(uint256 id, uint256 sample, uint256 revealed, uint256 computed);
    /// @notice Sample `sample`'s proof has `length` nodes, not the tree's depth `expected`.
    error WrongProofLength(uint256 sample, uint256 length, uint256 expected);
    /// @notice Sample `sample`'s group statistics do not prove leaf `leafIndex` of challenge `id`'s root.
    error InvalidProof(uint256 id, uint256 sample, uint256 leafIndex);
    /// @notice The tile or the tile hashes given are not what challenge `id`'s host revealed.
    error NotRevealed(uint256 id, uint256 sample);
    /// @notice Row `row`, column `col` is outside a tile.
    error OutsideTile(uint256 row, uint256 col);
    /// @notice The value at (`row`, `col`) of sample `sample` of challenge `id` is right.
    error NoFraud(uint256 id, uint256 sample, uint256 row, uint256 col);
    /// @notice Challenge `id` (`status`) has time left, until `deadline`.
    error NotExpired(uint256 id, ChallengeStatus status, uint256 deadline);
    /// @notice Challenge `id`'s fraud window is open until `endsAt`.
    error FraudWindowOpen(uint256 id, uint256 endsAt);

    // ---------------------------------------------------------------- events
    /// @notice `challenger` opened challenge `id` of host `hostId` for `rounds` rounds, paying `fee` SCU.
    event ChallengeOpened(
        uint256 indexed id, uint256 indexed hostId, address indexed challenger, uint256 rounds, uint256 fee
    );
    /// @notice Challenge `id` began: block `seedBlock`'s hash seeds it and the host commits by `commitBy`.
    event ChallengeBegun(uint256 indexed id, uint256 indexed hostId, uint256 seedBlock, uint256 commitBy);
    /// @notice Challenge `id`'s host committed to `root`.
    event Committed(uint256 indexed id, bytes32 root);
    /// @notice Challenge `id`'s host revealed its audited tiles, hashed to `revealHash`.
    event Revealed(uint256 indexed id, bytes32 revealHash);
    /// @notice Challenge `id` passed: host `hostId` measured `measuredMflops` MFLOP/s and is verified until
    /// `verifiedUntil`.
    event ChallengePassed(uint256 indexed id, uint256 indexed hostId, uint256 measuredMflops, uint256 verifiedUntil);
    /// @notice Challenge `id` failed for `reason`; host `hostId`'s provider lost `slashed` USDC of stake, of which
    /// `rewarded` went to the challenger and the rest was burned.
    event ChallengeFailed(
        uint256 indexed id, uint256 indexed hostId, FailureReason reason, uint256 slashed, uint256 rewarded
    );
    /// @notice Challenge `id` of host `hostId` was withdrawn before it began (the host was no longer listed, or
    /// paused): its fee went back to the challenger and the host is no longer verified.
    event ChallengeWithdrawn(uint256 indexed id, uint256 indexed hostId);

    // ---------------------------------------------------------------- views
    /// @notice Challenge `id` (all zero when none).
    function challengeOf(uint256 id) external view returns (Challenge memory);
    /// @notice Challenges opened so far (ids run from 1 to this).
    function challengeCount() external view returns (uint256);
    /// @notice The work's shape.
    function shape() external view returns (WorkShape memory);
    /// @notice Host `hostId`'s verification: verified until `verifiedUntil`; the throughput its last passed
    /// challenge measured and when; its rated throughput (per-GPU rate × GPUs), MFLOP/s; its last challenge;
    /// when it may next be challenged; whether its last finished challenge failed.
    function hostVerification(uint256 hostId)
        external
        view
        returns (
            uint64 verifiedUntil,
            uint64 measuredMflops,
            uint64 ratedMflops,
            uint64 measuredAt,
            uint64 lastChallengeId,
            uint64 nextChallengeAt,
            bool failed
        );
    /// @notice The challenge open on host `hostId` (0: none).
    function openChallengeOf(uint256 hostId) external view returns (uint256 id);
    /// @notice What a challenge of host `hostId` would ask now: `rounds` rounds, committed within `span` seconds
    /// of beginning, for a fee of `fee` SCU.
    function work(uint256 hostId) external view returns (uint256 rounds, uint256 span, uint256 fee);
    /// @notice Per-GPU throughput class `classId` must prove, MFLOP/s (0: not verifiable here).
    function mflopsPerGpu(bytes32 classId) external view returns (uint64);
    /// @notice C_r[row][col] of the work seeded with `seed`, in this deployment's shape.
    function element(bytes32 seed, uint256 round, uint256 row, uint256 col) external view returns (int256);
    /// @notice Challenge `id`'s seed: keccak256(blockhash(seedBlock), this verifier, chain id, id); zero before
    /// the seed block is mined or once its hash is out of reach (256 blocks).
    function seedOf(uint256 id) external view returns (bytes32);
    /// @notice The tile indices (r · rows/tileRows + t) challenge `id`'s reveal must open, once the block after its
    /// commitment is mined; tile τ's leaf is τ / groupTiles, its position in the group τ % groupTiles.
    function auditIndices(uint256 id) external view returns (uint256[8] memory indices);

    // ---------------------------------------------------------------- actions
    /// @notice Challenges host `hostId` (anyone). Requirements: the host is listed and unpaused, has no open
    /// challenge and the duty cycle allows one; the caller allowed this verifier the fee in SCU. The host takes
    /// no new job until it commits; the challenge begins now, or when its running jobs end (`begin`).
    function challenge(uint256 hostId) external returns (uint256 id);
    /// @notice Begins pending challenge `id` (anyone) once its host's jobs ended; withdraws it instead (fee back,
    /// the host unverified, no slash) if the host is no longer listed or is paused.
    function begin(uint256 id) external;
    /// @notice The host's signer commits challenge `id` to `root`, the Merkle root of every group's leaf. Requirements:
    /// Proving, the seed block mined and within reach, not past `commitBy`.
    function commit(uint256 id, bytes32 root) external;
    /// @notice The host's signer opens the audited tiles of challenge `id` (in `auditIndices` order): `tiles[s]` the
    /// tile's T·N int32 values (big-endian, row-major), `groupStats[s]` its group's G statistics (big-endian uint64,
    /// tile order; the tile's own must be the sum of its values' squares) and `proofs[s]` the Merkle proof of the
    /// group's leaf. Requirements: Committed, within the reveal window.
    function reveal(uint256 id, bytes[] calldata tiles, bytes[] calldata groupStats, bytes32[][] calldata proofs)
        external;
    /// @notice Fails challenge `id` (anyone) by showing that the value at (`row`, `col`) of revealed sample
    /// `sample`'s `tile` is not the product's. `tileHashes` are the keccak256 of the eight revealed tiles.
    function proveFraud(
        uint256 id,
        uint256 sample,
        bytes calldata tile,
        bytes32[] calldata tileHashes,
        uint256 row,
        uint256 col
    ) external;
    /// @notice Fails challenge `id` (anyone) whose host missed its commit deadline or reveal window.
    function expire(uint256 id) external;
    /// @notice Passes challenge `id` (anyone) once its fraud window closed.
    function finalize(uint256 id) external;
}
