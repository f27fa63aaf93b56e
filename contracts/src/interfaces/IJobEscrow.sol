// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Job, JobParams, JobStatus, UsageReceipt} from "../types/Job.sol";

/// @title IJobEscrow
/// @notice Buyers lock SCU for GPU time on a host; the host starts, runs and signs a usage receipt; after a
/// dispute window the provider is paid what it used and the buyer gets the rest (PROTOCOL.md, "A job's life").
interface IJobEscrow {
    // ---------------------------------------------------------------- errors
    /// @notice Job `jobId` is `status`; the call needs it to be `expected`.
    error InvalidJobStatus(uint256 jobId, JobStatus status, JobStatus expected);
    /// @notice `caller` is not job `jobId`'s buyer.
    error NotBuyer(uint256 jobId, address caller);
    /// @notice `caller` is neither the host's signer nor its provider for job `jobId`.
    error NotHost(uint256 jobId, address caller);
    /// @notice `caller` is not the arbiter.
    error NotArbiter(address caller);
    /// @notice A job needs at least one GPU (`gpus` given); the host's free GPUs bound it above.
    error InvalidGpus(uint256 gpus);
    /// @notice An escrow timing parameter is outside its range (`value` given, `min`..`max` allowed).
    error InvalidTiming(bytes32 name, uint256 value, uint256 min, uint256 max);
    /// @notice A job's maximum duration must be `min` to `max` seconds (`duration` given).
    error InvalidDuration(uint256 duration, uint256 min, uint256 max);
    /// @notice The escrow holds `available` SCU beyond what it owes; funding the job needs `needed`.
    error InsufficientFunding(uint256 needed, uint256 available);
    /// @notice Job `jobId` had to start by `deadline`; it is now `currentTime`.
    error StartTimedOut(uint256 jobId, uint256 deadline, uint256 currentTime);
    /// @notice Job `jobId`'s receipt had to arrive by `deadline`; it is now `currentTime`.
    error ReceiptTooLate(uint256 jobId, uint256 deadline, uint256 currentTime);
    /// @notice Job `jobId` cannot be reclaimed before `deadline`; it is now `currentTime`.
    error ReclaimTooEarly(uint256 jobId, uint256 deadline, uint256 currentTime);
    /// @notice Job `jobId`'s dispute window closed at `deadline`; it is now `currentTime`.
    error DisputeWindowClosed(uint256 jobId, uint256 deadline, uint256 currentTime);
    /// @notice Job `jobId`'s dispute window is open until `deadline`; it is now `currentTime`.
    error DisputeWindowOpen(uint256 jobId, uint256 deadline, uint256 currentTime);
    /// @notice Job `jobId` was already stopped.
    error AlreadyStopped(uint256 jobId);
    /// @notice The receipt's end time `endedAt` is outside `earliest`..`latest` for job `jobId`.
    error InvalidEndTime(uint256 jobId, uint256 endedAt, uint256 earliest, uint256 latest);
    /// @notice The receipt charges `used` SCU; job `jobId` can owe at most `max` for the time it ran.
    error UsageExceedsLimit(uint256 jobId, uint256 used, uint256 max);
    /// @notice The receipt's signature recovers to `recovered`, not job `jobId`'s host signer.
    error InvalidReceiptSignature(uint256 jobId, address recovered);
    /// @notice The arbiter awarded the provider `awarded`, more than the receipt's `used`.
    error AwardExceedsUsage(uint256 jobId, uint256 awarded, uint256 used);
    /// @notice The arbiter asked to slash `amount` USDC, above the cap `cap` (the job's value at the reference price).
    error SlashExceedsCap(uint256 jobId, uint256 amount, uint256 cap);
    /// @notice The arbiter cannot be the zero address.
    error InvalidArbiter();

    // ---------------------------------------------------------------- events
    /// @notice `buyer` locked `locked` SCU for job `jobId` on host `hostId`.
    event JobCreated(
        uint256 indexed jobId,
        address indexed buyer,
        uint256 indexed hostId,
        address provider,
        uint32 gpus,
        uint32 maxDuration,
        bytes32 specHash,
        uint256 locked
    );
    /// @notice The host started job `jobId`.
    event JobStarted(uint256 indexed jobId, uint64 startedAt);
    /// @notice The buyer stopped job `jobId` early.
    event JobStopped(uint256 indexed jobId, uint64 stoppedAt);
    /// @notice A receipt for job `jobId` was submitted; the buyer may dispute until `disputeEndsAt`.
    event ReceiptSubmitted(
        uint256 indexed jobId, uint256 used, bytes32 resultHash, uint64 endedAt, uint64 disputeEndsAt
    );
    /// @notice The buyer disputed job `jobId`'s receipt.
    event JobDisputed(uint256 indexed jobId, string reason);
    /// @notice The arbiter resolved job `jobId`'s dispute: the provider is awarded `awarded` SCU and `slashed`
    /// USDC of its stake went to the buyer.
    event DisputeResolved(uint256 indexed jobId, uint256 awarded, uint256 slashed);
    /// @notice Job `jobId` settled: the provider was paid `paid` SCU (`burned` of it retired its obligation,
    /// the rest transferred) and the buyer refunded `refunded`.
    event JobSettled(uint256 indexed jobId, uint256 paid, uint256 burned, uint256 refunded);
    /// @notice Job `jobId` was cancelled before it started (a no-show when `noShow`); `refunded` returned.
    event JobCancelled(uint256 indexed jobId, bool noShow, uint256 refunded);
    /// @notice Job `jobId` ran out of time with no receipt; `refunded` returned to the buyer.
    event JobExpired(uint256 indexed jobId, uint256 refunded);
    /// @notice The arbiter is now `arbiter`.
    event ArbiterSet(address arbiter);

    // ---------------------------------------------------------------- views
    /// @notice Job `jobId` (all zero for an unknown id).
    function job(uint256 jobId) external view returns (Job memory);
    /// @notice Number of jobs ever created (ids run from 1 to this).
    function jobCount() external view returns (uint256);
    /// @notice SCU the escrow holds for unsettled jobs.
    function totalLocked() external view returns (uint256);
    /// @notice What a job costs now, in SCU.
    function quote(JobParams calldata params) external view returns (uint256 scu);
    /// @notice The EIP-712 digest a host signs for `receipt`.
    function receiptDigest(UsageReceipt calldata receipt) external view returns (bytes32);
    /// @notice Start timeout + longest job + receipt grace + dispute window: the longest a job can tie stake.
    function maxJobLife() external view returns (uint256);

    // ---------------------------------------------------------------- buyers
    /// @notice Creates a job and locks its price from the caller (needs an SCU allowance).
    /// Requirements: 1 ≤ gpus ≤ host's free GPUs; MIN_DURATION ≤ maxDuration ≤ MAX_DURATION; the host is
    /// unpaused and listed past start timeout + maxDuration from now; its provider's stake covers the job.
    function createJob(JobParams calldata params) external returns (uint256 jobId);
    /// @notice `createJob` after an EIP-2612 permit of `permitValue` SCU (a permit already used, e.g.
    /// front-run, is fine when the allowance is there).
    function createJobWithPermit(
        JobParams calldata params,
        uint256 permitValue,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 jobId);
    /// @notice Creates a job for `buyer` paid by SCU already sent to the escrow in this transaction (by a
    /// router). Requirements: as createJob; the escrow holds the price beyond totalLocked.
    function createJobFunded(address buyer, JobParams calldata params) external returns (uint256 jobId);
    /// @notice Withdraws a job that has not started, for a full refund; after the start timeout it counts as
    /// the provider's no-show. Requirements: the caller is the buyer; the job is Created.
    function cancel(uint256 jobId) external;
    /// @notice Stops a running job early: the receipt may charge only up to now.
    function stop(uint256 jobId) external;
    /// @notice Refunds a started job in full when no receipt came by start + maxDuration + RECEIPT_GRACE
    /// (a no-show). Anyone may call; the SCU goes to the buyer.
    function reclaim(uint256 jobId) external;
    /// @notice Accepts the receipt before the window closes and settles at once. Requirements: the buyer.
    function confirm(uint256 jobId) external;
    /// @notice Disputes the receipt with a reason, before the window closes. Requirements: the buyer.
    function dispute(uint256 jobId, string calldata reason) external;

    // ---------------------------------------------------------------- hosts, anyone, arbiter
    /// @notice Starts a job. Requirements: the caller is the host's signer or provider; the job is Created;
    /// now < createdAt + START_TIMEOUT.
    function start(uint256 jobId) external;
    /// @notice Submits the host's signed receipt (anyone may) and opens the dispute window.
    /// Requirements: the job is Running; now < startedAt + maxDuration + RECEIPT_GRACE;
    /// startedAt ≤ endedAt ≤ min(now, stoppedAt or startedAt + maxDuration); used ≤ the job's price for
    /// endedAt − startedAt; an ECDSA signature (low s) by the host's signer.
    function submitReceipt(UsageReceipt calldata receipt, bytes calldata signature) external;
    /// @notice Settles a receipt whose dispute window has closed. Anyone may call.
    function finalize(uint256 jobId) external;
    /// @notice Resolves a dispute: the provider is paid `awarded` ≤ used, the buyer the rest, and up to
    /// `slashAmount` USDC of the provider's stake goes to the buyer, capped at the job's value at the
    /// reference price. Requirements: the caller is the arbiter; the job is Disputed.
    function resolve(uint256 jobId, uint256 awarded, uint256 slashAmount) external;
}
