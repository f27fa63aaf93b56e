// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Where a job is in its life (PROTOCOL.md, "A job's life").
enum JobStatus {
    None,
    /// SCU locked; waiting for the host to start.
    Created,
    /// Started by the host; ends with a signed receipt, or is reclaimed by the buyer after the grace.
    Running,
    /// A receipt is in; the buyer may confirm or dispute until the window closes.
    Submitted,
    /// The buyer disputed the receipt; the arbiter resolves it.
    Disputed,
    /// Paid out: the provider got what it was owed and the buyer the rest.
    Settled,
    /// Withdrawn by the buyer before it started (a no-show when past the start timeout): fully refunded.
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
    bytes32 specHash;
    bytes32 resultHash;
}

/// @notice What a host signs when a job ends (EIP-712, lib/jobs/receipt.ts defines the same type).
struct UsageReceipt {
    uint256 jobId;
    /// SCU the job used: at most what it locked and at most its GPUs × rating × time it ran.
    uint256 used;
    /// Hash of the job's outputs, for the buyer to check and an arbiter to weigh.
    bytes32 resultHash;
    uint64 endedAt;
}

/// @notice The escrow's clocks, fixed at deployment, in seconds.
struct EscrowConfig {
    /// How long a host has to start a created job.
    uint32 startTimeout;
    /// How long after a job's maximum end its receipt may still arrive.
    uint32 receiptGrace;
    /// How long a buyer has to dispute a submitted receipt.
    uint32 disputeWindow;
}
