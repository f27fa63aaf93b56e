// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Dispute, Job, JobParams, JobStatus, UsageReceipt} from "../types/Job.sol";
import {IRouter} from "./IRouter.sol";

/// @title IJobEscrow
/// @notice Buyers lock SCU for GPU time on a host; the host starts, runs and signs a usage receipt billed per
/// second; after a dispute window the provider is paid what it used and the buyer gets the rest (PROTOCOL.md,
/// "A job's life"). Every state has an exit someone can take: a created job can be cancelled, a running one
/// reclaimed, a receipt finalized, a dispute resolved or defaulted.
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
    /// @notice A job's buyer cannot be the zero address (its refunds could never be paid, nor the job end).
    error InvalidBuyer();
    /// @notice An escrow parameter is outside its range (`value` given, `min`..`max` allowed).
    error InvalidTiming(bytes32 name, uint256 value, uint256 min, uint256 max);
    /// @notice A job's maximum duration must be `min` to `max` seconds (`duration` given).
    error InvalidDuration(uint256 duration, uint256 min, uint256 max);
    /// @notice `needed` SCU must arrive in this transaction to fund the job; `arrived` did.
    error InsufficientFunding(uint256 needed, uint256 arrived);
    /// @notice `createJobFunded` needs `openFunding` earlier in the same transaction.
    error FundingNotOpen();
    /// @notice Job `jobId` had to start by `deadline`; it is now `currentTime`.
    error StartTimedOut(uint256 jobId, uint256 deadline, uint256 currentTime);
    /// @notice Only job `jobId`'s buyer may cancel it before `allowedAt` (the start timeout, then the buyer's
    /// time to present the host's acknowledgement); it is now `currentTime`.
    error CancelTooEarly(uint256 jobId, uint256 allowedAt, uint256 currentTime);
    /// @notice The acknowledgement given for job `jobId` is not its host's signature over its dispatch (it
    /// recovers to `recovered`).
    error InvalidDispatchAck(uint256 jobId, address recovered);
    /// @notice Job `jobId`'s receipt had to arrive by `deadline`; it is now `currentTime`.
    error ReceiptTooLate(uint256 jobId, uint256 deadline, uint256 currentTime);
    /// @notice Job `jobId` cannot be reclaimed before `deadline`; it is now `currentTime`.
    error ReclaimTooEarly(uint256 jobId, uint256 deadline, uint256 currentTime);
    /// @notice Job `jobId`'s dispute window closed at `deadline`; it is now `currentTime`.
    error DisputeWindowClosed(uint256 jobId, uint256 deadline, uint256 currentTime);
    /// @notice Job `jobId`'s dispute window is open until `deadline`; it is now `currentTime`.
    error DisputeWindowOpen(uint256 jobId, uint256 deadline, uint256 currentTime);
    /// @notice A dispute's reason is at most `max` bytes (`length` given).
    error ReasonTooLong(uint256 length, uint256 max);
    /// @notice The arbiter's time to rule on job `jobId` ended at `ruleBy`; the default ruling applies now.
    error RulingDeadlinePassed(uint256 jobId, uint256 ruleBy, uint256 currentTime);
    /// @notice The arbiter may still rule on job `jobId` until `ruleBy`; it is now `currentTime`.
    error RulingPending(uint256 jobId, uint256 ruleBy, uint256 currentTime);
    /// @notice Job `jobId` was already stopped.
    error AlreadyStopped(uint256 jobId);
    /// @notice Job `jobId` reached its maximum end at `maxEnd`: there is nothing left to stop (now `currentTime`).
    error StopTooLate(uint256 jobId, uint256 maxEnd, uint256 currentTime);
    /// @notice The receipt's signature recovers to `recovered`, not job `jobId`'s host signer.
    error InvalidReceiptSignature(uint256 jobId, address recovered);
    /// @notice The arbiter awarded the provider `awarded`, more than the receipt's `used`.
    error AwardExceedsUsage(uint256 jobId, uint256 awarded, uint256 used);
    /// @notice The arbiter asked to slash `amount` USDC, above the cap `cap` fixed when the dispute opened.
    error SlashExceedsCap(uint256 jobId, uint256 amount, uint256 cap);
    /// @notice The arbiter cannot be the zero address.
    error InvalidArbiter();
    /// @notice Job `jobId` reached its maximum end at `maxEnd` before the extension arrived (now
    /// `currentTime`): the host may already have stopped it, so it is not extended.
    error ExtendTooLate(uint256 jobId, uint256 maxEnd, uint256 currentTime);

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
    /// @notice The buyer extended job `jobId` to `maxDuration` seconds, locking `added` SCU more.
    event JobExtended(uint256 indexed jobId, uint32 maxDuration, uint256 added);
    /// @notice A receipt for job `jobId` was accepted: it bills `used` SCU for the run up to `endedAt`; the
    /// buyer may dispute until `disputeEndsAt`.
    event ReceiptSubmitted(
        uint256 indexed jobId, uint256 used, bytes32 resultHash, uint64 endedAt, uint64 disputeEndsAt
    );
    /// @notice The buyer disputed job `jobId`'s receipt, posting `bond` SCU; `stakeAtRisk` USDC of the provider's
    /// stake is held for the ruling, due by `ruleBy`.
    event JobDisputed(uint256 indexed jobId, string reason, uint256 bond, uint256 stakeAtRisk, uint64 ruleBy);
    /// @notice The arbiter resolved job `jobId`'s dispute: the provider is awarded `awarded` SCU (plus the
    /// buyer's bond when `bondForfeited`) and `slashed` USDC of its stake went to the buyer.
    event DisputeResolved(uint256 indexed jobId, uint256 awarded, uint256 slashed, bool bondForfeited);
    /// @notice The arbiter did not rule on job `jobId` in time: the receipt stands and the bond went back.
    event DisputeDefaulted(uint256 indexed jobId);
    /// @notice Job `jobId` settled: the provider was paid `paid` SCU (`burned` of it retired its obligation,
    /// the rest transferred) and the buyer refunded `refunded`.
    event JobSettled(uint256 indexed jobId, uint256 paid, uint256 burned, uint256 refunded);
    /// @notice Job `jobId` was cancelled before it started: a no-show when `noShow` (refunded in full), else
    /// the buyer paid `reservationFee` for the time its GPUs were held; `refunded` returned.
    event JobCancelled(uint256 indexed jobId, bool noShow, uint256 reservationFee, uint256 refunded);
    /// @notice Job `jobId` ran out of time with no receipt; `refunded` returned to the buyer.
    event JobExpired(uint256 indexed jobId, uint256 refunded);
    /// @notice The arbiter is now `arbiter`.
    event ArbiterSet(address arbiter);
    /// @notice `amount` SCU that reached the escrow outside any job went to `to`.
    event Skimmed(address indexed to, uint256 amount);

    // ---------------------------------------------------------------- views
    /// @notice Job `jobId` (all zero for an unknown id).
    function job(uint256 jobId) external view returns (Job memory);
    /// @notice Job `jobId`'s open dispute (all zero when none).
    function disputeOf(uint256 jobId) external view returns (Dispute memory);
    /// @notice Number of jobs ever created (ids run from 1 to this).
    function jobCount() external view returns (uint256);
    /// @notice SCU the escrow holds for unsettled jobs and open disputes' bonds.
    function totalLocked() external view returns (uint256);
    /// @notice What a job costs now, in SCU.
    function quote(JobParams calldata params) external view returns (uint256 scu);
    /// @notice The EIP-712 digest a host signs for `receipt`.
    function receiptDigest(UsageReceipt calldata receipt) external view returns (bytes32);
    /// @notice The EIP-712 digest a host signs when it accepts job `jobId`'s dispatch of `specHash`:
    /// `DispatchAck(uint256 jobId,bytes32 specHash)`. Its buyer presents it to record a no-show.
    function dispatchAckDigest(uint256 jobId, bytes32 specHash) external view returns (bytes32);
    /// @notice What a receipt for job `jobId` ending at `endedAt` and charging `used` would bill now: the end
    /// billed (min of endedAt, the stop, the maximum end and now) and the SCU (at most the locked price pro
    /// rata of the seconds, with MIN_CHARGE seconds at least).
    function billing(uint256 jobId, uint256 used, uint256 endedAt)
        external
        view
        returns (uint256 billedEnd, uint256 scu);
    /// @notice What cancelling job `jobId` now charges its buyer for holding the GPUs unstarted (0 for a no-show):
    /// the job's price for the time held (one second at least, so even a same-block cancel pays), up to two start
    /// timeouts.
    function reservationFee(uint256 jobId) external view returns (uint256 scu);
    /// @notice The shortest job: two start timeouts, the longest its GPUs can be held before anyone may cancel it,
    /// so that holding them is always paid for in full.
    function minDuration() external view returns (uint256);
    /// @notice The bond a dispute of job `jobId` costs, and the part of it the buyer pays from its wallet (the
    /// rest comes out of the refund the receipt leaves).
    function disputeBond(uint256 jobId) external view returns (uint256 bond, uint256 fromWallet);
    /// @notice The longest a job can tie stake: two start timeouts + longest job + receipt grace + dispute window.
    function maxJobLife() external view returns (uint256);

    // ---------------------------------------------------------------- buyers
    /// @notice Creates a job and locks its price from the caller (needs an SCU allowance).
    /// Requirements: 1 ≤ gpus ≤ host's free GPUs; minDuration ≤ maxDuration ≤ MAX_DURATION; the host is
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
    /// @notice Starts counting SCU that reaches the escrow in this transaction, for `createJobFunded`.
    function openFunding() external;
    /// @notice Creates a job for `buyer` paid by SCU that reached the escrow since `openFunding` in this
    /// transaction (a router swaps straight into the escrow). SCU that arrived in another transaction can
    /// never fund a job. Requirements: as createJob; at least the price arrived.
    function createJobFunded(address buyer, JobParams calldata params) external returns (uint256 jobId);
    /// @notice Cancels a job that has not started. The buyer may cancel at any time; anyone may once two start
    /// timeouts have passed. With `hostAck` (the host's DispatchAck signature) after the start timeout, it is
    /// the host's no-show and the buyer gets everything back; otherwise the buyer pays `reservationFee`: the
    /// job's price for the time its GPUs were held, at least one second's and at most two start timeouts' worth.
    function cancel(uint256 jobId, bytes calldata hostAck) external;
    /// @notice Stops a running job before its maximum end: billing ends now. Requirements: the buyer.
    function stop(uint256 jobId) external;
    /// @notice Refunds a started job in full when no receipt came by start + maxDuration + receiptGrace
    /// (a no-show). Anyone may call; the SCU goes to the buyer.
    function reclaim(uint256 jobId) external;
    /// @notice Accepts the receipt before the window closes and settles at once. Requirements: the buyer.
    function confirm(uint256 jobId) external;
    /// @notice What extending job `jobId` by `seconds_` costs: the job's own price per second (what it locked
    /// over its maximum duration, so its billing stays pro rata), rounded up.
    function extensionCost(uint256 jobId, uint256 seconds_) external view returns (uint256 scu);
    /// @notice Extends a running job by `seconds_` and locks `extensionCost` more from the caller (needs an
    /// allowance); the host sees the new maximum end (`JobExtended`) and runs on. A failure still weighs the job
    /// as first booked. Requirements: the buyer; the job is Running, not stopped and before its maximum end
    /// (`ExtendTooLate`); the new maximum duration ≤ MAX_DURATION; the host unpaused, not proving and listed past
    /// the new end; its provider's stake covers the larger job. Returns the SCU locked.
    function extend(uint256 jobId, uint32 seconds_) external returns (uint256 added);
    /// @notice `extend` after an SCU permit for its cost.
    function extendWithPermit(uint256 jobId, uint32 seconds_, IRouter.PermitSignature calldata permit)
        external
        returns (uint256 added);
    /// @notice Disputes the receipt with a reason (≤ MAX_REASON_LENGTH bytes), before the window closes, posting
    /// the bond (`disputeBond`: from the refund the receipt leaves, the rest from the buyer's SCU, needing an
    /// allowance). Requirements: the buyer.
    function dispute(uint256 jobId, string calldata reason) external;
    /// @notice `dispute` after an SCU permit for the part of the bond paid from the wallet.
    function disputeWithPermit(uint256 jobId, string calldata reason, IRouter.PermitSignature calldata permit) external;

    // ---------------------------------------------------------------- hosts, anyone, arbiter
    /// @notice Starts a job. Requirements: the caller is the host's signer or provider; the job is Created;
    /// now < createdAt + startTimeout.
    function start(uint256 jobId) external;
    /// @notice Submits the host's signed receipt (anyone may) and opens the dispute window. The receipt is
    /// billed as `billing` says, never refused for its times. Requirements: the job is Running; now <
    /// startedAt + maxDuration + receiptGrace; an ECDSA signature (low s) by the host's signer.
    function submitReceipt(UsageReceipt calldata receipt, bytes calldata signature) external;
    /// @notice Settles a receipt whose dispute window has closed. Anyone may call.
    function finalize(uint256 jobId) external;
    /// @notice Resolves a dispute before its deadline: the provider is paid `awarded` ≤ used, and up to
    /// `slashAmount` USDC of its stake (at most the stake at risk fixed at the dispute) goes to the buyer. The
    /// buyer's bond goes to the provider when the ruling is wholly its way (awarded = used, no slash), else back
    /// to the buyer. Requirements: the caller is the arbiter; the job is Disputed; now < ruleBy.
    function resolve(uint256 jobId, uint256 awarded, uint256 slashAmount) external;
    /// @notice Applies the default ruling once the arbiter's deadline has passed: the receipt stands (the
    /// provider is paid `used`), nothing is slashed, the bond goes back to the buyer. Anyone may call.
    function settleDispute(uint256 jobId) external;
    /// @notice Sends SCU held beyond what jobs and disputes lock (sent to the escrow by mistake) to `to`.
    /// Requirements: the owner.
    function skim(address to) external;
}
