// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The matrix product a challenge runs per round (lib/verification/work.ts has the same): C = A·B with A
/// `rows`×`inner` and B `inner`×`cols`, committed in tiles of `tileRows` rows, one leaf per group of `groupTiles`
/// tiles of a round.
struct WorkShape {
    uint32 rows;
    uint32 cols;
    /// A multiple of 8, at most 65,536 (partial sums stay exact in FP32).
    uint32 inner;
    uint32 tileRows;
    /// Tiles per leaf: a power of two dividing rows / tileRows, at most 1,024 (a reveal carries 8 bytes of
    /// statistics per tile of each audited group).
    uint32 groupTiles;
}

/// @notice The verifier's parameters, fixed at deployment (script/Parameters.sol says why each value).
struct VerifierConfig {
    WorkShape shape;
    /// Seconds of work a challenge asks of a host at its rated throughput.
    uint32 targetSeconds;
    /// Seconds added to the deadline for what is not the product: reading the seed, hashing the leaves, sending
    /// the commitment.
    uint32 commitOverhead;
    /// Share of its rated throughput a host must reach to commit in time, in basis points.
    uint16 toleranceBps;
    /// Seconds after the commitment the host has to reveal the audited tiles.
    uint32 revealWindow;
    /// Seconds after the reveal anyone may prove a revealed value wrong.
    uint32 fraudWindow;
    /// How long a passed challenge keeps a host verified.
    uint32 verifiedFor;
    /// Most of a host's time challenges may take, in basis points (the span of one challenge over the time until
    /// the next may begin).
    uint16 dutyCycleBps;
    /// Share of the provider's stake a failed challenge takes, in basis points.
    uint16 failureSlashBps;
}

/// @notice Where a challenge stands.
enum ChallengeStatus {
    None,
    /// Opened while the host had jobs running: it begins when they end.
    Pending,
    /// Begun: the seed is fixed by the next block's hash; the host computes and must commit by `commitBy`.
    Proving,
    Committed,
    Revealed,
    Passed,
    Failed,
    /// Ended before it began: the host stopped offering its GPUs (its listing ended, or it paused) while the
    /// challenge waited for its jobs to end. The fee went back; the host's proof ended with it.
    Withdrawn
}

/// @notice Why a challenge failed.
enum FailureReason {
    MissedCommit,
    MissedReveal,
    WrongElement
}

/// @notice One challenge of a host's throughput.
struct Challenge {
    uint64 hostId;
    address challenger;
    /// SCU the challenger paid: the host's price for its GPUs over the challenge's span, held until the end.
    uint128 fee;
    uint32 rounds;
    uint32 gpus;
    uint64 begunAt;
    uint64 seedBlock;
    uint64 commitBy;
    uint64 committedAt;
    uint64 commitBlock;
    uint64 revealedAt;
    ChallengeStatus status;
    bytes32 seed;
    bytes32 root;
    bytes32 revealHash;
    /// blockhash(commitBlock + 1), recorded at the reveal: it picked the audited tiles, and a fraud proof needs
    /// their positions after the hash is out of the EVM's 256-block reach.
    bytes32 auditHash;
}

/// @notice A host's verification record (one slot and a half).
struct HostVerification {
    uint64 verifiedUntil;
    /// Throughput its last passed challenge measured, MFLOP/s for the whole host.
    uint64 measuredMflops;
    uint64 measuredAt;
    uint64 nextChallengeAt;
    uint64 lastChallengeId;
    /// The challenge now open on it (0: none).
    uint64 openChallengeId;
    /// Whether its last finished challenge failed (until a later one passes).
    bool failed;
    /// When its provider may next challenge it (SupplyVerifier.SELF_CHALLENGE_GAP after the last of its own ended).
    uint64 nextSelfChallengeAt;
}
