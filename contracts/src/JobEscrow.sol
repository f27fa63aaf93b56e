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
import {Job, JobParams, JobStatus, UsageReceipt, EscrowConfig} from "./types/Job.sol";
import {Outcome} from "./types/Provider.sol";

/// @title JobEscrow
/// @notice Holds buyers' SCU while jobs run and pays providers only for what their host signed for, after a
/// window in which the buyer may dispute (PROTOCOL.md, "A job's life", invariant 4).
/// @dev SCU and the registry are the protocol's own contracts; every state change precedes the transfers.
contract JobEscrow is IJobEscrow, EIP712, Ownable2Step {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @notice keccak256 of the receipt type; lib/jobs/receipt.ts spells the same type for viem.
    bytes32 public constant RECEIPT_TYPEHASH =
        keccak256("UsageReceipt(uint256 jobId,uint256 used,bytes32 resultHash,uint64 endedAt)");
    /// @notice Shortest job: one minute, so a receipt's time is never all rounding.
    uint256 public constant MIN_DURATION = 60;
    /// @notice Longest job: one week. The registry's unbonding delay must outlast it.
    uint256 public constant MAX_DURATION = 7 days;

    IProviderRegistry public immutable registry;
    IERC20 public immutable credit;
    uint256 public immutable startTimeout;
    uint256 public immutable receiptGrace;
    uint256 public immutable disputeWindow;

    address public arbiter;
    uint256 public jobCount;
    uint256 public totalLocked;
    mapping(uint256 jobId => Job) internal _jobs;

    constructor(IProviderRegistry registry_, IERC20 credit_, address owner_, address arbiter_, EscrowConfig memory c)
        EIP712("Hourglass JobEscrow", "1")
        Ownable(owner_)
    {
        _checkTiming("startTimeout", c.startTimeout, 60, 1 days);
        _checkTiming("receiptGrace", c.receiptGrace, 60, 1 days);
        _checkTiming("disputeWindow", c.disputeWindow, 60, 30 days);
        (registry, credit) = (registry_, credit_);
        (startTimeout, receiptGrace, disputeWindow) = (c.startTimeout, c.receiptGrace, c.disputeWindow);
        _setArbiter(arbiter_);
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
    function maxJobLife() external view returns (uint256) {
        return startTimeout + MAX_DURATION + receiptGrace + disputeWindow;
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
    function createJobFunded(address buyer, JobParams calldata params) external returns (uint256 jobId) {
        uint256 owed = totalLocked;
        uint256 price;
        (jobId, price) = _create(buyer, params);
        uint256 available = credit.balanceOf(address(this)) - owed; // balance ≥ owed: invariant 4
        if (available < price) revert InsufficientFunding(price, available);
    }

    /// @inheritdoc IJobEscrow
    function cancel(uint256 jobId) external {
        Job storage j = _buyersJob(jobId, JobStatus.Created);
        bool noShow = block.timestamp >= j.createdAt + startTimeout;
        j.status = JobStatus.Cancelled;
        registry.release(j.hostId, j.gpus);
        uint256 refunded = _payOut(jobId, j, 0, noShow ? Outcome.NoShow : Outcome.Withdrawn, false);
        emit JobCancelled(jobId, noShow, refunded);
    }

    /// @inheritdoc IJobEscrow
    function stop(uint256 jobId) external {
        Job storage j = _buyersJob(jobId, JobStatus.Running);
        if (j.stoppedAt != 0) revert AlreadyStopped(jobId);
        j.stoppedAt = uint64(block.timestamp);
        emit JobStopped(jobId, uint64(block.timestamp));
    }

    /// @inheritdoc IJobEscrow
    function reclaim(uint256 jobId) external {
        Job storage j = _jobInStatus(jobId, JobStatus.Running);
        uint256 deadline = _receiptDeadline(j);
        if (block.timestamp < deadline) revert ReclaimTooEarly(jobId, deadline, block.timestamp);
        j.status = JobStatus.Expired;
        registry.release(j.hostId, j.gpus);
        uint256 refunded = _payOut(jobId, j, 0, Outcome.NoShow, false);
        emit JobExpired(jobId, refunded);
    }

    /// @inheritdoc IJobEscrow
    function confirm(uint256 jobId) external {
        Job storage j = _buyersJob(jobId, JobStatus.Submitted);
        j.status = JobStatus.Settled;
        _payOut(jobId, j, j.used, Outcome.Completed, false);
    }

    /// @inheritdoc IJobEscrow
    function dispute(uint256 jobId, string calldata reason) external {
        Job storage j = _buyersJob(jobId, JobStatus.Submitted);
        if (block.timestamp >= j.disputeEndsAt) revert DisputeWindowClosed(jobId, j.disputeEndsAt, block.timestamp);
        j.status = JobStatus.Disputed;
        registry.openDispute(j.provider);
        emit JobDisputed(jobId, reason);
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

        uint256 startedAt = j.startedAt;
        uint256 latest = j.stoppedAt != 0 ? j.stoppedAt : startedAt + j.maxDuration;
        latest = Math.min(latest, block.timestamp);
        if (receipt.endedAt < startedAt || receipt.endedAt > latest) {
            revert InvalidEndTime(jobId, receipt.endedAt, startedAt, latest);
        }
        // The price of the time it ran: the locked price pro rata, rounded up like the price itself.
        uint256 max = Math.mulDiv(j.locked, receipt.endedAt - startedAt, j.maxDuration, Math.Rounding.Ceil);
        if (receipt.used > max) revert UsageExceedsLimit(jobId, receipt.used, max);

        // tryRecover rejects high-s and malformed signatures (error ≠ NoError) and never returns a signer
        // for them; a host signer is never the zero address, so address(0) cannot match.
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(receiptDigest(receipt), signature);
        if (err != ECDSA.RecoverError.NoError || recovered != j.signer) {
            revert InvalidReceiptSignature(jobId, recovered);
        }

        uint64 disputeEndsAt = (block.timestamp + disputeWindow).toUint64();
        j.status = JobStatus.Submitted;
        j.used = receipt.used.toUint128(); // ≤ locked < 2^128
        (j.endedAt, j.disputeEndsAt, j.resultHash) = (receipt.endedAt, disputeEndsAt, receipt.resultHash);
        registry.release(j.hostId, j.gpus);
        emit ReceiptSubmitted(jobId, receipt.used, receipt.resultHash, receipt.endedAt, disputeEndsAt);
    }

    /// @inheritdoc IJobEscrow
    function finalize(uint256 jobId) external {
        Job storage j = _jobInStatus(jobId, JobStatus.Submitted);
        if (block.timestamp < j.disputeEndsAt) revert DisputeWindowOpen(jobId, j.disputeEndsAt, block.timestamp);
        j.status = JobStatus.Settled;
        _payOut(jobId, j, j.used, Outcome.Completed, false);
    }

    /// @inheritdoc IJobEscrow
    function resolve(uint256 jobId, uint256 awarded, uint256 slashAmount) external {
        if (msg.sender != arbiter) revert NotArbiter(msg.sender);
        Job storage j = _jobInStatus(jobId, JobStatus.Disputed);
        if (awarded > j.used) revert AwardExceedsUsage(jobId, awarded, j.used);
        uint256 cap = Math.mulDiv(j.locked, registry.referencePrice(), 1e18);
        if (slashAmount > cap) revert SlashExceedsCap(jobId, slashAmount, cap);
        j.status = JobStatus.Settled;
        uint256 slashed = slashAmount == 0 ? 0 : registry.slash(j.provider, j.buyer, slashAmount);
        bool lost = awarded < j.used || slashed != 0;
        emit DisputeResolved(jobId, awarded, slashed);
        _payOut(jobId, j, awarded, lost ? Outcome.DisputeLost : Outcome.Completed, true);
    }

    // ================================================================ internals

    function _create(address buyer, JobParams calldata params) internal returns (uint256 jobId, uint256 price) {
        if (params.gpus == 0) revert InvalidGpus(0);
        if (params.maxDuration < MIN_DURATION || params.maxDuration > MAX_DURATION) {
            revert InvalidDuration(params.maxDuration, MIN_DURATION, MAX_DURATION);
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
            specHash: params.specHash,
            resultHash: bytes32(0)
        });
        emit JobCreated(
            jobId, buyer, params.hostId, provider, params.gpus, params.maxDuration, params.specHash, price
        );
    }

    /// @dev Pays the provider `paid` (the registry burns what it can against its obligation; the rest is
    /// transferred) and refunds the buyer the rest of what the job locked. The caller has already moved the
    /// job to a final status, so this runs once per job. Returns the refund.
    function _payOut(uint256 jobId, Job storage j, uint256 paid, Outcome outcome, bool disputed)
        internal
        returns (uint256 refunded)
    {
        uint256 locked = j.locked;
        refunded = locked - paid; // paid ≤ used ≤ locked
        totalLocked -= locked;
        address provider = j.provider;
        uint256 burned = registry.settle(provider, locked, paid, outcome, disputed);
        if (paid > burned) credit.safeTransfer(provider, paid - burned);
        if (refunded != 0) credit.safeTransfer(j.buyer, refunded);
        emit JobSettled(jobId, paid, burned, refunded);
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

    function _checkTiming(bytes32 name, uint256 value, uint256 min, uint256 max) internal pure {
        if (value < min || value > max) revert InvalidTiming(name, value, min, max);
    }
}
