// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IJobEscrow} from "./interfaces/IJobEscrow.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {IRouter} from "./interfaces/IRouter.sol";
import {Dispute, Job, JobParams, JobStatus, UsageReceipt, EscrowConfig} from "./types/Job.sol";
import {Outcome} from "./types/Provider.sol";

/// @title JobEscrow
/// @notice Holds buyers' SCU while jobs run and pays providers for the seconds their host signed for, after a
/// window in which the buyer may dispute (PROTOCOL.md, "A job's life", invariants 4 and 6).
/// @dev SCU and the registry are the protocol's own contracts; every state change precedes the transfers.
contract JobEscrow is IJobEscrow, EIP712, Ownable2Step {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @notice keccak256 of the receipt type; lib/jobs/receipt.ts spells the same type for viem.
    bytes32 public constant RECEIPT_TYPEHASH =
        keccak256("UsageReceipt(uint256 jobId,uint256 used,bytes32 resultHash,uint64 endedAt)");
    /// @notice keccak256 of the host's acknowledgement that it accepted a dispatch (lib/jobs/receipt.ts too).
    bytes32 public constant DISPATCH_ACK_TYPEHASH = keccak256("DispatchAck(uint256 jobId,bytes32 specHash)");
    /// @notice Longest job: one week. The registry's unbonding delay must outlast it.
    uint256 public constant MAX_DURATION = 7 days;
    /// @notice A started job bills at least its first minute (below `minDuration`, so never past the job's price):
    /// what a host spends starting a job is paid for even when the buyer stops it at once.
    uint256 public constant MIN_CHARGE = 60;
    /// @notice Longest dispute reason, in bytes.
    uint256 public constant MAX_REASON_LENGTH = 280;
    uint256 internal constant BPS = 10_000;

    IProviderRegistry public immutable registry;
    IERC20 public immutable credit;
    uint256 public immutable startTimeout;
    uint256 public immutable receiptGrace;
    uint256 public immutable disputeWindow;
    uint256 public immutable rulingPeriod;
    uint256 public immutable disputeBondBps;

    address public arbiter;
    uint256 public jobCount;
    uint256 public totalLocked;
    mapping(uint256 jobId => Job) internal _jobs;
    mapping(uint256 jobId => Dispute) internal _disputes;
    /// @dev SCU held beyond totalLocked when `openFunding` was called in this transaction, plus one (0: closed).
    uint256 internal transient _fundingBase;

    constructor(IProviderRegistry registry_, IERC20 credit_, address owner_, address arbiter_, EscrowConfig memory c)
        EIP712("Hourglass JobEscrow", "1")
        Ownable(owner_)
    {
        _checkParam("startTimeout", c.startTimeout, 60, 1 days);
        _checkParam("receiptGrace", c.receiptGrace, 60, 1 days);
        _checkParam("disputeWindow", c.disputeWindow, 60, 30 days);
        _checkParam("rulingPeriod", c.rulingPeriod, 1 hours, 30 days);
        _checkParam("disputeBondBps", c.disputeBondBps, 1, BPS);
        (registry, credit) = (registry_, credit_);
        (startTimeout, receiptGrace, disputeWindow) = (c.startTimeout, c.receiptGrace, c.disputeWindow);
        (rulingPeriod, disputeBondBps) = (c.rulingPeriod, c.disputeBondBps);
        _setArbiter(arbiter_);
        // The registry burns a provider's pay against its obligation from what the escrow holds; burning needs
        // the holder's allowance, and the registry's code burns only what `settle` is told.
        credit_.forceApprove(address(registry_), type(uint256).max);
    }

    /// @notice Appoints the arbiter who resolves disputes. Requirements: the owner; not the zero address.
    function setArbiter(address arbiter_) external onlyOwner {
        _setArbiter(arbiter_);
    }

    // ================================================================ views

    /// @inheritdoc IJobEscrow
    function job(uint256 jobId) external view returns (Job memory) {
        return _jobs[jobId];
    }

    /// @inheritdoc IJobEscrow
    function disputeOf(uint256 jobId) external view returns (Dispute memory) {
        return _disputes[jobId];
    }

    /// @inheritdoc IJobEscrow
    function quote(JobParams calldata params) external view returns (uint256 scu) {
        return registry.jobCost(params.hostId, params.gpus, params.maxDuration);
    }

    /// @inheritdoc IJobEscrow
    function receiptDigest(UsageReceipt calldata receipt) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(RECEIPT_TYPEHASH, receipt.jobId, receipt.used, receipt.resultHash, receipt.endedAt))
        );
    }

    /// @inheritdoc IJobEscrow
    function dispatchAckDigest(uint256 jobId, bytes32 specHash) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(DISPATCH_ACK_TYPEHASH, jobId, specHash)));
    }

    /// @inheritdoc IJobEscrow
    function billing(uint256 jobId, uint256 used, uint256 endedAt)
        external
        view
        returns (uint256 billedEnd, uint256 scu)
    {
        return _bill(_jobs[jobId], used, endedAt);
    }

    /// @inheritdoc IJobEscrow
    function reservationFee(uint256 jobId) external view returns (uint256 scu) {
        return _reservationFee(_jobs[jobId]);
    }

    /// @inheritdoc IJobEscrow
    function disputeBond(uint256 jobId) external view returns (uint256 bond, uint256 fromWallet) {
        return _bond(_jobs[jobId]);
    }

    /// @inheritdoc IJobEscrow
    function extensionCost(uint256 jobId, uint256 seconds_) external view returns (uint256 scu) {
        Job storage j = _jobs[jobId];
        return j.maxDuration == 0 ? 0 : _extensionCost(j, seconds_); // an unknown job costs nothing to quote
    }

    /// @inheritdoc IJobEscrow
    function minDuration() public view returns (uint256) {
        return 2 * startTimeout;
    }

    /// @inheritdoc IJobEscrow
    function maxJobLife() external view returns (uint256) {
        return 2 * startTimeout + MAX_DURATION + receiptGrace + disputeWindow;
    }

    // ================================================================ buyers

    /// @inheritdoc IJobEscrow
    function createJob(JobParams calldata params) external returns (uint256 jobId) {
        uint256 price;
        (jobId, price) = _create(msg.sender, params);
        credit.safeTransferFrom(msg.sender, address(this), price);
    }

    /// @inheritdoc IJobEscrow
    function createJobWithPermit(
        JobParams calldata params,
        uint256 permitValue,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 jobId) {
        // A permit someone else already submitted reverts here; the allowance it set still pays below.
        try IERC20Permit(address(credit)).permit(msg.sender, address(this), permitValue, permitDeadline, v, r, s) {}
            catch {}
        uint256 price;
        (jobId, price) = _create(msg.sender, params);
        credit.safeTransferFrom(msg.sender, address(this), price);
    }

    /// @inheritdoc IJobEscrow
    function openFunding() external {
        _fundingBase = _excess() + 1;
    }

    /// @inheritdoc IJobEscrow
    function createJobFunded(address buyer, JobParams calldata params) external returns (uint256 jobId) {
        uint256 base = _fundingBase;
        if (base == 0) revert FundingNotOpen();
        _fundingBase = 0;
        // Measured against what the escrow owes, not its balance: a job created or a bond posted in between
        // brings its own SCU and owes it too, so it cannot be counted as funding.
        uint256 arrived = _excess() + 1 - base;
        uint256 price;
        (jobId, price) = _create(buyer, params);
        if (arrived < price) revert InsufficientFunding(price, arrived);
    }

    /// @inheritdoc IJobEscrow
    function cancel(uint256 jobId, bytes calldata hostAck) external {
        Job storage j = _jobInStatus(jobId, JobStatus.Created);
        uint256 startBy = uint256(j.createdAt) + startTimeout;
        // After the start timeout the buyer alone may cancel for one more timeout: time to present the host's
        // acknowledgement before anyone (the provider too) can cancel it as a plain withdrawal.
        if (msg.sender != j.buyer && block.timestamp < startBy + startTimeout) {
            revert CancelTooEarly(jobId, startBy + startTimeout, block.timestamp);
        }
        if (hostAck.length != 0) _checkAck(jobId, j, hostAck);
        bool noShow = hostAck.length != 0 && block.timestamp >= startBy;
        uint256 fee = noShow ? 0 : _reservationFee(j);
        j.status = JobStatus.Cancelled;
        registry.release(j.hostId, j.gpus);
        uint256 refunded =
            _payOut(jobId, j, fee, 0, noShow ? Outcome.NoShow : Outcome.Withdrawn, noShow ? _bookedGpuSeconds(j) : 0);
        emit JobCancelled(jobId, noShow, fee, refunded);
    }

    /// @inheritdoc IJobEscrow
    function stop(uint256 jobId) external {
        Job storage j = _buyersJob(jobId, JobStatus.Running);
        if (j.stoppedAt != 0) revert AlreadyStopped(jobId);
        uint256 maxEnd = uint256(j.startedAt) + j.maxDuration;
        if (block.timestamp >= maxEnd) revert StopTooLate(jobId, maxEnd, block.timestamp);
        j.stoppedAt = uint64(block.timestamp);
        emit JobStopped(jobId, uint64(block.timestamp));
    }

    /// @inheritdoc IJobEscrow
    function extend(uint256 jobId, uint32 seconds_) external returns (uint256 added) {
        added = _extend(jobId, seconds_);
        credit.safeTransferFrom(msg.sender, address(this), added);
    }

    /// @inheritdoc IJobEscrow
    function extendWithPermit(uint256 jobId, uint32 seconds_, IRouter.PermitSignature calldata permit)
        external
        returns (uint256 added)
    {
        // A permit someone else already submitted reverts here; the allowance it set still pays below.
        try IERC20Permit(address(credit))
            .permit(msg.sender, address(this), permit.value, permit.deadline, permit.v, permit.r, permit.s) {}
            catch {}
        added = _extend(jobId, seconds_);
        credit.safeTransferFrom(msg.sender, address(this), added);
    }

    /// @inheritdoc IJobEscrow
    function reclaim(uint256 jobId) external {
        Job storage j = _jobInStatus(jobId, JobStatus.Running);
        uint256 deadline = _receiptDeadline(j);
        if (block.timestamp < deadline) revert ReclaimTooEarly(jobId, deadline, block.timestamp);
        j.status = JobStatus.Expired;
        registry.release(j.hostId, j.gpus);
        uint256 refunded = _payOut(jobId, j, 0, 0, Outcome.NoShow, _bookedGpuSeconds(j));
        emit JobExpired(jobId, refunded);
    }

    /// @inheritdoc IJobEscrow
    function confirm(uint256 jobId) external {
        Job storage j = _buyersJob(jobId, JobStatus.Submitted);
        j.status = JobStatus.Settled;
        _payOut(jobId, j, j.used, 0, Outcome.Completed, _ranGpuSeconds(j));
    }

    /// @inheritdoc IJobEscrow
    function dispute(uint256 jobId, string calldata reason) external {
        _dispute(jobId, reason);
    }

    /// @inheritdoc IJobEscrow
    function disputeWithPermit(uint256 jobId, string calldata reason, IRouter.PermitSignature calldata permit)
        external
    {
        // A permit someone else already submitted reverts here; the allowance it set still pays below.
        try IERC20Permit(address(credit))
            .permit(msg.sender, address(this), permit.value, permit.deadline, permit.v, permit.r, permit.s) {}
            catch {}
        _dispute(jobId, reason);
    }

    // ================================================================ hosts, anyone, arbiter

    /// @inheritdoc IJobEscrow
    function start(uint256 jobId) external {
        Job storage j = _jobInStatus(jobId, JobStatus.Created);
        if (msg.sender != j.signer && msg.sender != j.provider) revert NotHost(jobId, msg.sender);
        uint256 deadline = j.createdAt + startTimeout;
        if (block.timestamp >= deadline) revert StartTimedOut(jobId, deadline, block.timestamp);
        (j.status, j.startedAt) = (JobStatus.Running, uint64(block.timestamp));
        emit JobStarted(jobId, uint64(block.timestamp));
    }

    /// @inheritdoc IJobEscrow
    function submitReceipt(UsageReceipt calldata receipt, bytes calldata signature) external {
        uint256 jobId = receipt.jobId;
        Job storage j = _jobInStatus(jobId, JobStatus.Running);
        uint256 deadline = _receiptDeadline(j);
        if (block.timestamp >= deadline) revert ReceiptTooLate(jobId, deadline, block.timestamp);

        // tryRecover rejects high-s and malformed signatures (error ≠ NoError) and never returns a signer
        // for them; a host signer is never the zero address, so address(0) cannot match.
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(receiptDigest(receipt), signature);
        if (err != ECDSA.RecoverError.NoError || recovered != j.signer) {
            revert InvalidReceiptSignature(jobId, recovered);
        }
        // A stop, the maximum end or the chain's clock landing before or after the host signed only shortens
        // what is billed: work the host did is never turned into a full refund.
        (uint256 endedAt, uint256 used) = _bill(j, receipt.used, receipt.endedAt);

        uint64 disputeEndsAt = (block.timestamp + disputeWindow).toUint64();
        j.status = JobStatus.Submitted;
        // forge-lint: disable-next-line(unsafe-typecast)
        j.used = uint128(used); // ≤ locked < 2^128
        // forge-lint: disable-next-line(unsafe-typecast)
        uint64 end = uint64(endedAt); // ≤ block.timestamp < 2^64
        (j.endedAt, j.disputeEndsAt, j.resultHash) = (end, disputeEndsAt, receipt.resultHash);
        registry.release(j.hostId, j.gpus);
        emit ReceiptSubmitted(jobId, used, receipt.resultHash, end, disputeEndsAt);
    }

    /// @inheritdoc IJobEscrow
    function finalize(uint256 jobId) external {
        Job storage j = _jobInStatus(jobId, JobStatus.Submitted);
        if (block.timestamp < j.disputeEndsAt) revert DisputeWindowOpen(jobId, j.disputeEndsAt, block.timestamp);
        j.status = JobStatus.Settled;
        _payOut(jobId, j, j.used, 0, Outcome.Completed, _ranGpuSeconds(j));
    }

    /// @inheritdoc IJobEscrow
    function resolve(uint256 jobId, uint256 awarded, uint256 slashAmount) external {
        if (msg.sender != arbiter) revert NotArbiter(msg.sender);
        Job storage j = _jobInStatus(jobId, JobStatus.Disputed);
        Dispute memory d = _disputes[jobId];
        if (block.timestamp >= d.ruleBy) revert RulingDeadlinePassed(jobId, d.ruleBy, block.timestamp);
        if (awarded > j.used) revert AwardExceedsUsage(jobId, awarded, j.used);
        if (slashAmount > d.stakeAtRisk) revert SlashExceedsCap(jobId, slashAmount, d.stakeAtRisk);
        j.status = JobStatus.Settled;
        delete _disputes[jobId];
        registry.closeDispute(j.provider, j.locked, d.stakeAtRisk);
        uint256 slashed = slashAmount == 0 ? 0 : registry.slash(j.provider, j.buyer, slashAmount);
        // The buyer loses its bond only to a ruling wholly the provider's way.
        bool providerWins = awarded == j.used && slashAmount == 0;
        (uint256 bond, uint256 fromWallet) = _bond(j);
        emit DisputeResolved(jobId, awarded, slashed, providerWins);
        _payOut(
            jobId,
            j,
            providerWins ? awarded + bond : awarded,
            fromWallet,
            providerWins ? Outcome.Completed : Outcome.DisputeLost,
            providerWins ? _ranGpuSeconds(j) : _bookedGpuSeconds(j)
        );
    }

    /// @inheritdoc IJobEscrow
    function settleDispute(uint256 jobId) external {
        Job storage j = _jobInStatus(jobId, JobStatus.Disputed);
        Dispute memory d = _disputes[jobId];
        if (block.timestamp < d.ruleBy) revert RulingPending(jobId, d.ruleBy, block.timestamp);
        j.status = JobStatus.Settled;
        delete _disputes[jobId];
        registry.closeDispute(j.provider, j.locked, d.stakeAtRisk);
        (, uint256 fromWallet) = _bond(j);
        emit DisputeDefaulted(jobId);
        _payOut(jobId, j, j.used, fromWallet, Outcome.Completed, _ranGpuSeconds(j));
    }

    /// @inheritdoc IJobEscrow
    function skim(address to) external onlyOwner {
        uint256 amount = _excess();
        credit.safeTransfer(to, amount);
        emit Skimmed(to, amount);
    }

    // ================================================================ internals

    function _create(address buyer, JobParams calldata params) internal returns (uint256 jobId, uint256 price) {
        // Every exit of a job pays its buyer something, and SCU refuses the zero address: such a job could never end.
        if (buyer == address(0)) revert InvalidBuyer();
        if (params.gpus == 0) revert InvalidGpus(0);
        uint256 shortest = minDuration();
        if (params.maxDuration < shortest || params.maxDuration > MAX_DURATION) {
            revert InvalidDuration(params.maxDuration, shortest, MAX_DURATION);
        }
        (address provider, address signer, uint256 locked) = registry.reserve(
            params.hostId, params.gpus, params.maxDuration, block.timestamp + startTimeout + params.maxDuration
        );
        price = locked;
        jobId = ++jobCount;
        totalLocked += price;
        _jobs[jobId] = Job({
            buyer: buyer,
            createdAt: uint64(block.timestamp),
            gpus: params.gpus,
            provider: provider,
            startedAt: 0,
            maxDuration: params.maxDuration,
            signer: signer,
            hostId: params.hostId,
            status: JobStatus.Created,
            locked: price.toUint128(),
            used: 0,
            stoppedAt: 0,
            endedAt: 0,
            disputeEndsAt: 0,
            extendedBy: 0,
            specHash: params.specHash,
            resultHash: bytes32(0)
        });
        emit JobCreated(jobId, buyer, params.hostId, provider, params.gpus, params.maxDuration, params.specHash, price);
    }

    function _dispute(uint256 jobId, string calldata reason) internal {
        Job storage j = _buyersJob(jobId, JobStatus.Submitted);
        if (block.timestamp >= j.disputeEndsAt) revert DisputeWindowClosed(jobId, j.disputeEndsAt, block.timestamp);
        if (bytes(reason).length > MAX_REASON_LENGTH) revert ReasonTooLong(bytes(reason).length, MAX_REASON_LENGTH);
        (uint256 bond, uint256 fromWallet) = _bond(j);
        // The ruling may slash at most the job's value at the price stake is booked at now, held from now on.
        (,,,, uint256 bookingPrice,) = registry.priceState();
        uint256 stakeAtRisk = Math.mulDiv(j.locked, bookingPrice, 1e18);
        uint64 ruleBy = (block.timestamp + rulingPeriod).toUint64();
        j.status = JobStatus.Disputed;
        _disputes[jobId] = Dispute({stakeAtRisk: stakeAtRisk.toUint128(), ruleBy: ruleBy});
        totalLocked += fromWallet;
        registry.openDispute(j.provider, j.locked, stakeAtRisk);
        if (fromWallet != 0) credit.safeTransferFrom(msg.sender, address(this), fromWallet);
        emit JobDisputed(jobId, reason, bond, stakeAtRisk, ruleBy);
    }

    /// @dev Pays the provider `paid` (the registry burns what it can against its obligation; the rest is
    /// transferred) and refunds the buyer the rest of what the job holds: its locked SCU plus `bondPaidIn`
    /// from the buyer's wallet. The caller has already moved the job to a final status, so this runs once per
    /// job, with paid ≤ locked + bondPaidIn. Returns the refund.
    function _payOut(
        uint256 jobId,
        Job storage j,
        uint256 paid,
        uint256 bondPaidIn,
        Outcome outcome,
        uint256 gpuSeconds
    ) internal returns (uint256 refunded) {
        uint256 locked = j.locked;
        uint256 held = locked + bondPaidIn;
        refunded = held - paid;
        totalLocked -= held;
        address provider = j.provider;
        uint256 burned = registry.settle(provider, locked, paid, outcome, gpuSeconds);
        if (paid > burned) credit.safeTransfer(provider, paid - burned);
        if (refunded != 0) credit.safeTransfer(j.buyer, refunded);
        emit JobSettled(jobId, paid, burned, refunded);
    }

    /// @dev The receipt's bill: the end is min(endedAt, now, startedAt + maxDuration, stoppedAt if any), never
    /// before the start; the SCU at most `used` and the locked price pro rata of the seconds to that end (with
    /// MIN_CHARGE seconds at least), rounded up like the price, so at most what was locked.
    function _bill(Job storage j, uint256 used, uint256 endedAt) internal view returns (uint256 end, uint256 scu) {
        uint256 startedAt = j.startedAt;
        uint256 maxDuration = j.maxDuration;
        end = Math.min(Math.min(endedAt, block.timestamp), startedAt + maxDuration);
        if (j.stoppedAt != 0) end = Math.min(end, j.stoppedAt);
        if (end < startedAt) end = startedAt;
        uint256 billed = Math.max(end - startedAt, MIN_CHARGE); // MIN_CHARGE ≤ 2 × startTimeout ≤ maxDuration
        scu = Math.min(used, Math.mulDiv(j.locked, billed, maxDuration, Math.Rounding.Ceil));
    }

    /// @dev A job's price for `seconds_` more: its locked SCU per second of its maximum duration, rounded up.
    function _extensionCost(Job storage j, uint256 seconds_) internal view returns (uint256) {
        return Math.mulDiv(j.locked, seconds_, j.maxDuration, Math.Rounding.Ceil);
    }

    /// @dev Extends job `jobId` by `seconds_` (see `extend`) and returns the SCU it now locks more; the caller
    /// takes them in.
    function _extend(uint256 jobId, uint256 seconds_) internal returns (uint256 added) {
        Job storage j = _jobs[jobId];
        if (msg.sender != j.buyer) revert NotBuyer(jobId, msg.sender);
        // Running only: a job not started may yet be cancelled as the host's no-show, and its end is not set.
        if (j.status != JobStatus.Running) revert InvalidJobStatus(jobId, j.status, JobStatus.Running);
        if (j.stoppedAt != 0) revert AlreadyStopped(jobId);
        uint256 duration = j.maxDuration;
        uint256 longer = duration + seconds_;
        if (seconds_ == 0 || longer > MAX_DURATION) revert InvalidDuration(longer, duration + 1, MAX_DURATION);
        uint256 maxEnd = uint256(j.startedAt) + duration;
        if (block.timestamp >= maxEnd) revert ExtendTooLate(jobId, maxEnd, block.timestamp);
        added = _extensionCost(j, seconds_);
        registry.extendBooking(j.hostId, j.provider, added, maxEnd + seconds_);
        j.locked += added.toUint128();
        j.maxDuration = longer.toUint32();
        j.extendedBy += seconds_.toUint32();
        totalLocked += added;
        emit JobExtended(jobId, j.maxDuration, added);
    }

    /// @dev The job's price for the time its GPUs have been held unstarted: holding a host costs what running on it
    /// does. At most two start timeouts' worth (then anyone may cancel it), which a job's minimum duration covers,
    /// so never more than it locked.
    function _reservationFee(Job storage j) internal view returns (uint256) {
        // At least the second the booking was made in: a booking cancelled in its own block (a front-runner's,
        // taking a host's GPUs from under a buyer's transaction) is not free, and the cancel's gas does not depend
        // on whether it lands in that second (an estimate there skipped the fee transfer and then ran out of gas).
        uint256 held = Math.max(1, Math.min(block.timestamp - j.createdAt, minDuration()));
        return Math.mulDiv(j.locked, held, j.maxDuration, Math.Rounding.Ceil);
    }

    /// @dev A dispute's bond (disputeBondBps of what the job locked, rounded up) and the part of it not covered by
    /// the refund the receipt leaves (locked − used), which the buyer pays in.
    function _bond(Job storage j) internal view returns (uint256 bond, uint256 fromWallet) {
        uint256 locked = j.locked;
        bond = Math.mulDiv(locked, disputeBondBps, BPS, Math.Rounding.Ceil);
        uint256 refundable = locked - j.used;
        fromWallet = bond > refundable ? bond - refundable : 0;
    }

    function _checkAck(uint256 jobId, Job storage j, bytes calldata hostAck) internal view {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(dispatchAckDigest(jobId, j.specHash), hostAck);
        if (err != ECDSA.RecoverError.NoError || recovered != j.signer) revert InvalidDispatchAck(jobId, recovered);
    }

    /// @dev GPU-seconds a job ran (to the end its receipt billed): what a completed job adds to the record.
    function _ranGpuSeconds(Job storage j) internal view returns (uint256) {
        return uint256(j.gpus) * (j.endedAt - j.startedAt);
    }

    /// @dev GPU-seconds a job booked, as first booked (before any extension): what a failed one weighs.
    function _bookedGpuSeconds(Job storage j) internal view returns (uint256) {
        return uint256(j.gpus) * (j.maxDuration - j.extendedBy);
    }

    /// @dev SCU held beyond what jobs and bonds lock (totalLocked ≤ balance: invariant 4).
    function _excess() internal view returns (uint256) {
        return credit.balanceOf(address(this)) - totalLocked;
    }

    function _jobInStatus(uint256 jobId, JobStatus expected) internal view returns (Job storage j) {
        j = _jobs[jobId];
        if (j.status != expected) revert InvalidJobStatus(jobId, j.status, expected);
    }

    function _buyersJob(uint256 jobId, JobStatus expected) internal view returns (Job storage j) {
        j = _jobInStatus(jobId, expected);
        if (msg.sender != j.buyer) revert NotBuyer(jobId, msg.sender);
    }

    function _receiptDeadline(Job storage j) internal view returns (uint256) {
        return uint256(j.startedAt) + j.maxDuration + receiptGrace;
    }

    function _setArbiter(address arbiter_) internal {
        if (arbiter_ == address(0)) revert InvalidArbiter();
        arbiter = arbiter_;
        emit ArbiterSet(arbiter_);
    }

    function _checkParam(bytes32 name, uint256 value, uint256 min, uint256 max) internal pure {
        if (value < min || value > max) revert InvalidTiming(name, value, min, max);
    }
}
