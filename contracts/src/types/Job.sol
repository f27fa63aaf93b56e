// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Where a job is in its life (PROTOCOL.md, "A job's life").
enum JobStatus {
    None,
    /// SCU locked; waiting for the host to start. The buyer may cancel at any time, anyone once the host's time
    /// to start and the buyer's time to answer have passed.
    Created,
    /// Started by the host; ends with a signed receipt, or is reclaimed by the buyer after the grace.
    Running,
    /// A receipt is in; the buyer may confirm or dispute until the window closes.
    Submitted,
    /// The buyer disputed the receipt (posting a bond); the arbiter resolves it by a deadline, after which anyone
    /// applies the default ruling.
    Disputed,
    /// Paid out: the provider got what it was owed and the buyer the rest.
    Settled,
    /// Cancelled before it started: refunded less a reservation fee for the time its GPUs were held, or in full
    /// as a no-show when the host had acknowledged it and did not start in time.
    Cancelled,
    /// Started but no receipt by the end plus the grace: fully refunded.
    Expired
}

/// @notice What a buyer asks for.
struct JobParams {
    uint64 hostId;
    uint32 gpus;
    /// Longest the job may run, in seconds; the escrow locks GPUs × rating × this.
    uint32 maxDuration;
    /// keccak256 of the job spec (image, command, inputs) the host will be asked to run; the host checks the
    /// spec it is sent against it.
    bytes32 specHash;
}

/// @notice A job. Three packed slots carry who and when, one the amounts, two the hashes.
struct Job {
    address buyer;
    uint64 createdAt;
    uint32 gpus;
    address provider;
    uint64 startedAt;
    uint32 maxDuration;
    address signer;
    uint64 hostId;
    JobStatus status;
    uint128 locked;
    uint128 used;
    uint64 stoppedAt;
    uint64 endedAt;
    uint64 disputeEndsAt;
    /// Seconds the buyer added to maxDuration (`extend`): a failure weighs the job as first booked, so an
    /// extension the buyer chose (of a job whose host it sees is down, say) cannot inflate the host's record.
    uint32 extendedBy;
    bytes32 specHash;
    bytes32 resultHash;
}

/// @notice What a host signs when a job ends (EIP-712, lib/jobs/receipt.ts defines the same type). The escrow
/// bills min(endedAt, stoppedAt, startedAt + maxDuration, now) and at most `used`; it never refuses a receipt
/// for its times.
struct UsageReceipt {
    uint256 jobId;
    /// SCU the host charges: the escrow pays at most the locked price pro rata of the seconds billed.
    uint256 used;
    /// Hash of the job's outputs, for the buyer to check and an arbiter to weigh.
    bytes32 resultHash;
    /// When the job's program ended, on the host's clock added to the chain's start.
    uint64 endedAt;
}

/// @notice A dispute's terms, fixed when it opens.
struct Dispute {
    /// USDC of the provider's stake the ruling may slash (the job's locked SCU at the booking price then).
    uint128 stakeAtRisk;
    /// The arbiter rules before this; from then on anyone applies the default ruling.
    uint64 ruleBy;
}

/// @notice The escrow's clocks (seconds) and dispute bond, fixed at deployment.
struct EscrowConfig {
    /// How long a host has to start a created job (and, after it, how long the buyer alone may cancel it).
    uint32 startTimeout;
    /// How long after a job's maximum end its receipt may still arrive.
    uint32 receiptGrace;
    /// How long a buyer has to dispute a submitted receipt.
    uint32 disputeWindow;
    /// How long the arbiter has to rule on a dispute before the default ruling applies.
    uint32 rulingPeriod;
    /// The bond a dispute costs, in basis points of the job's locked SCU: lost to the provider if the ruling
    /// goes wholly its way.
    uint16 disputeBondBps;
}
