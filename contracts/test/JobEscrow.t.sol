// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {PermitSigner} from "./utils/PermitSigner.sol";
import {IRouter} from "../src/interfaces/IRouter.sol";
import {JobEscrow} from "../src/JobEscrow.sol";
import {IJobEscrow} from "../src/interfaces/IJobEscrow.sol";
import {IProviderRegistry} from "../src/interfaces/IProviderRegistry.sol";
import {Dispute, Job, JobParams, JobStatus, UsageReceipt} from "../src/types/Job.sol";
import {Provider} from "../src/types/Provider.sol";
import {Parameters} from "../script/Parameters.sol";
import {Deployers} from "./utils/Deployers.sol";

contract JobEscrowTest is ProtocolFixture, PermitSigner {
    uint64 internal hostId;
    /// @dev secp256k1 group order: s and n − s are both valid for one signature; only s ≤ n/2 is accepted.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    function setUp() public override {
        super.setUp();
        hostId = registerHost(provider, hostKey, H100, 8, 30 days);
        stake(provider, 100_000e6);
    }

    function started(uint32 gpus, uint32 duration) internal returns (uint256 jobId) {
        jobId = createJob(buyer, hostId, gpus, duration);
        vm.prank(hostSigner);
        escrow.start(jobId);
    }

    /// @dev A running 2-GPU, 1-hour job whose host signed a receipt for `used` after 30 minutes.
    function submitted(uint256 used) internal returns (uint256 jobId) {
        jobId = started(2, 1 hours);
        vm.warp(vm.getBlockTimestamp() + 30 minutes);
        UsageReceipt memory r = receipt(jobId, used, vm.getBlockTimestamp());
        escrow.submitReceipt(r, sign(hostKey, r));
    }

    function expectStatus(uint256 jobId, JobStatus status, JobStatus expected) internal {
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidJobStatus.selector, jobId, status, expected));
    }

    // ---------------------------------------------------------------- create

    function test_createJob_locksGpusTimesRatingTimesHours() public {
        JobParams memory p = jobParams(hostId, 4, 2 hours);
        uint256 price = 4 * H100_RATING * 2; // 18.264 SCU
        assertEq(escrow.quote(p), price);
        buyScu(buyer, price);
        vm.expectEmit(address(escrow));
        emit IJobEscrow.JobCreated(1, buyer, hostId, provider, 4, 2 hours, p.specHash, price);
        vm.prank(buyer);
        uint256 jobId = escrow.createJob(p);
        Job memory j = escrow.job(jobId);
        assertEq(j.locked, price);
        assertEq(uint8(j.status), uint8(JobStatus.Created));
        assertEq(j.signer, hostSigner);
        assertEq(scu.balanceOf(address(escrow)), price);
        assertEq(escrow.totalLocked(), price);
        assertEq(registry.host(hostId).gpusBusy, 4);
        assertEq(registry.provider(provider).jobCredits, price);
    }

    function testFuzz_createJob_priceIsTheRoundedUpProduct(uint32 gpus, uint32 duration) public {
        gpus = uint32(bound(gpus, 1, 8));
        duration = uint32(bound(duration, 2 * START_TIMEOUT, 7 days));
        uint64 longHost = registerHost(provider, newSignerKey("long"), H100, 8, 60 days);
        uint256 exact = uint256(gpus) * H100_RATING * duration;
        uint256 price = exact / 3600 + (exact % 3600 == 0 ? 0 : 1);
        assertEq(escrow.quote(jobParams(longHost, gpus, duration)), price);
    }

    function test_createJob_aRatingChangeAppliesToNewJobsAfterItsNotice() public {
        uint256 jobId = createJob(buyer, hostId, 1, 1 hours);
        vm.prank(owner);
        standard.setRating(H100, 3e18);
        assertEq(escrow.quote(jobParams(hostId, 1, 1 hours)), H100_RATING); // announced, not yet in effect
        vm.warp(vm.getBlockTimestamp() + standard.RATING_NOTICE());
        assertEq(escrow.job(jobId).locked, H100_RATING);
        assertEq(escrow.quote(jobParams(hostId, 1, 1 hours)), 3e18);
    }

    function test_createJob_revertsWithoutFreeGpus() public {
        createJob(buyer, hostId, 6, 1 hours);
        JobParams memory p = jobParams(hostId, 3, 1 hours);
        buyScu(buyer, escrow.quote(p));
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.InsufficientGpus.selector, hostId, 3, 2));
        escrow.createJob(p);
    }

    function test_createJob_revertsOnAPausedHost() public {
        vm.prank(provider);
        registry.setPaused(hostId, true);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.HostPaused.selector, hostId));
        escrow.createJob(jobParams(hostId, 1, 1 hours));
    }

    function test_createJob_revertsWhenTheListingEndsFirst() public {
        uint256 listedUntil = registry.host(hostId).listedUntil;
        vm.warp(listedUntil - 1 hours - START_TIMEOUT + 1);
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(
                IProviderRegistry.ListingEndsBeforeJob.selector, hostId, listedUntil, listedUntil + 1
            )
        );
        escrow.createJob(jobParams(hostId, 1, 1 hours));
    }

    function test_createJob_revertsOnDurationBounds() public {
        vm.startPrank(buyer);
        // The shortest job is two start timeouts: the longest its GPUs can be held, paid for in full.
        uint32 shortest = uint32(2 * START_TIMEOUT);
        assertEq(escrow.minDuration(), shortest);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidDuration.selector, shortest - 1, shortest, 7 days));
        escrow.createJob(jobParams(hostId, 1, shortest - 1));
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidDuration.selector, 7 days + 1, shortest, 7 days));
        escrow.createJob(jobParams(hostId, 1, 7 days + 1));
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidGpus.selector, 0));
        escrow.createJob(jobParams(hostId, 0, 1 hours));
        vm.stopPrank();
    }

    function test_createJob_revertsWhenTheProvidersStakeCannotBackIt() public {
        address thin = makeAddr("thin provider");
        uint64 thinHost = registerHost(thin, newSignerKey("thin"), H100, 8, 30 days);
        stake(thin, 10e6); // $10 backs 10 SCU at the $1 floor; 8 GPUs × 1 h is 18.3 SCU
        JobParams memory p = jobParams(thinHost, 8, 1 hours);
        buyScu(buyer, escrow.quote(p));
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.InsufficientStake.selector, thin, 10e6, 18.264e6));
        escrow.createJob(p);
    }

    function test_createJobWithPermit_fundsWithASignature() public {
        (address signer, uint256 key) = makeAddrAndKey("permit buyer");
        JobParams memory p = jobParams(hostId, 1, 1 hours);
        uint256 price = escrow.quote(p);
        buyScu(signer, price);
        vm.prank(signer);
        scu.approve(address(escrow), 0);
        IRouter.PermitSignature memory sig = signPermit(scu, key, signer, address(escrow), price);
        vm.prank(signer);
        uint256 jobId = escrow.createJobWithPermit(p, sig.value, sig.deadline, sig.v, sig.r, sig.s);
        assertEq(escrow.job(jobId).buyer, signer);
        assertEq(scu.balanceOf(signer), 0);
    }

    function test_createJobFunded_needsTheSCUToArriveInItsOwnTransaction() public {
        JobParams memory p = jobParams(hostId, 1, 1 hours);
        uint256 price = escrow.quote(p);
        createJob(buyer, hostId, 1, 1 hours); // SCU owed to another job is not available
        vm.expectRevert(IJobEscrow.FundingNotOpen.selector);
        escrow.createJobFunded(buyer, p);
        buyScu(address(this), 2 * price);
        escrow.openFunding();
        scu.transfer(address(escrow), price - 1);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InsufficientFunding.selector, price, price - 1));
        escrow.createJobFunded(buyer, p);
        scu.transfer(address(escrow), 1);
        uint256 jobId = escrow.createJobFunded(buyer, p);
        assertEq(escrow.job(jobId).buyer, buyer);
        // Once used, the funding closes: another job needs SCU of its own.
        vm.expectRevert(IJobEscrow.FundingNotOpen.selector);
        escrow.createJobFunded(buyer, p);
    }

    function test_createJobFunded_aJobCreatedInBetweenIsNotFunding() public {
        JobParams memory p = jobParams(hostId, 1, 1 hours);
        uint256 price = escrow.quote(p);
        buyScu(buyer, price);
        escrow.openFunding();
        vm.prank(buyer);
        escrow.createJob(p); // brings its own SCU, and owes it
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InsufficientFunding.selector, price, 0));
        escrow.createJobFunded(makeAddr("thief"), p);
    }

    function test_skim_onlyTheOwnerAndOnlyWhatNoJobLocks() public {
        uint256 jobId = createJob(buyer, hostId, 1, 1 hours);
        buyScu(address(this), 5e18);
        scu.transfer(address(escrow), 5e18); // sent by mistake
        vm.expectRevert();
        escrow.skim(address(this));
        vm.expectEmit(address(escrow));
        emit IJobEscrow.Skimmed(owner, 5e18);
        vm.prank(owner);
        escrow.skim(owner);
        assertEq(scu.balanceOf(owner), 5e18);
        assertEq(scu.balanceOf(address(escrow)), escrow.job(jobId).locked);
    }

    // ---------------------------------------------------------------- start and cancel

    function test_start_bySignerOrProviderOnly() public {
        uint256 jobId = createJob(buyer, hostId, 1, 1 hours);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.NotHost.selector, jobId, buyer));
        escrow.start(jobId);
        vm.prank(provider);
        escrow.start(jobId);
        assertEq(uint8(escrow.job(jobId).status), uint8(JobStatus.Running));
    }

    function test_start_atTimeoutMinusOneAndNotAtTimeout() public {
        uint256 a = createJob(buyer, hostId, 1, 1 hours);
        uint256 b = createJob(buyer, hostId, 1, 1 hours);
        uint256 deadline = vm.getBlockTimestamp() + START_TIMEOUT;
        vm.warp(deadline - 1);
        vm.prank(hostSigner);
        escrow.start(a);
        vm.warp(deadline);
        vm.prank(hostSigner);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.StartTimedOut.selector, b, deadline, deadline));
        escrow.start(b);
    }

    function ack(uint256 jobId) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(hostKey, escrow.dispatchAckDigest(jobId, escrow.job(jobId).specHash));
        return abi.encodePacked(r, s, v);
    }

    function test_cancel_byTheBuyerPaysForTheTimeTheGpusWereHeld() public {
        uint256 jobId = createJob(buyer, hostId, 2, 1 hours);
        uint256 price = escrow.job(jobId).locked;
        vm.warp(vm.getBlockTimestamp() + 5 minutes);
        uint256 fee = (price * 5 minutes + 1 hours - 1) / 1 hours; // the job's price for 5 minutes, rounded up
        assertEq(escrow.reservationFee(jobId), fee);
        vm.expectEmit(address(escrow));
        emit IJobEscrow.JobCancelled(jobId, false, fee, price - fee);
        vm.prank(buyer);
        escrow.cancel(jobId, "");
        assertEq(scu.balanceOf(buyer), price - fee);
        assertEq(scu.balanceOf(provider), fee);
        assertEq(registry.host(hostId).gpusBusy, 0);
        assertEq(registry.provider(provider).noShows, 0);
        assertEq(registry.provider(provider).jobCredits, 0);
    }

    function test_cancel_inTheBookingsOwnBlockPaysOneSecond() public {
        // A front-runner books a host's GPUs ahead of a buyer's transaction and withdraws in the same block.
        uint256 jobId = createJob(buyer, hostId, 2, 1 hours);
        uint256 price = escrow.job(jobId).locked;
        uint256 fee = (price + 1 hours - 1) / 1 hours; // one second of the job's price, rounded up
        assertGt(fee, 0);
        assertEq(escrow.reservationFee(jobId), fee);
        vm.prank(buyer);
        escrow.cancel(jobId, "");
        assertEq(scu.balanceOf(provider), fee);
    }

    function test_cancel_theFeeGrowsUntilAnyoneMayCancelAndNoFurther() public {
        uint256 jobId = createJob(buyer, hostId, 2, 1 hours);
        uint256 price = escrow.job(jobId).locked;
        vm.warp(vm.getBlockTimestamp() + START_TIMEOUT + 10 minutes);
        assertEq(escrow.reservationFee(jobId), (price * 25 minutes + 1 hours - 1) / 1 hours); // held 25 minutes
        vm.warp(vm.getBlockTimestamp() + 1 days);
        assertEq(escrow.reservationFee(jobId), price / 2); // two start timeouts of an hour's price, no more
        vm.prank(makeAddr("anyone"));
        escrow.cancel(jobId, "");
        assertEq(scu.balanceOf(provider), price / 2);
        assertEq(registry.provider(provider).noShows, 0); // no proof the host ever had it
    }

    function test_create_refusesTheZeroBuyer() public {
        JobParams memory p = jobParams(hostId, 1, 1 hours);
        buyScu(address(this), escrow.quote(p));
        escrow.openFunding();
        scu.transfer(address(escrow), escrow.quote(p));
        vm.expectRevert(IJobEscrow.InvalidBuyer.selector);
        escrow.createJobFunded(address(0), p);
    }

    function test_cancel_withTheHostsAckAtTheTimeoutIsANoShowInFull() public {
        uint256 jobId = createJob(buyer, hostId, 2, 1 hours);
        uint256 price = escrow.job(jobId).locked;
        bytes memory hostAck = ack(jobId);
        vm.warp(vm.getBlockTimestamp() + START_TIMEOUT - 1);
        uint256 snap = vm.snapshotState();
        vm.prank(buyer);
        escrow.cancel(jobId, hostAck); // the host may still start: a withdrawal, with the fee
        assertEq(registry.provider(provider).noShows, 0);
        assertLt(scu.balanceOf(buyer), price);
        vm.revertToState(snap);
        vm.warp(vm.getBlockTimestamp() + 1);
        vm.expectEmit(address(escrow));
        emit IJobEscrow.JobCancelled(jobId, true, 0, price);
        vm.prank(buyer);
        escrow.cancel(jobId, hostAck);
        assertEq(scu.balanceOf(buyer), price);
        Provider memory p = registry.provider(provider);
        assertEq(p.noShows, 1);
        assertEq(p.failedGpuSeconds, 2 * 1 hours);
    }

    function test_cancel_refusesAnAckThatIsNotTheHosts() public {
        uint256 jobId = createJob(buyer, hostId, 1, 1 hours);
        (address stranger, uint256 strangerKey) = makeAddrAndKey("stranger");
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(strangerKey, escrow.dispatchAckDigest(jobId, escrow.job(jobId).specHash));
        vm.warp(vm.getBlockTimestamp() + START_TIMEOUT);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidDispatchAck.selector, jobId, stranger));
        escrow.cancel(jobId, abi.encodePacked(r, s, v));
        // An ack for another spec is not this dispatch's.
        (v, r, s) = vm.sign(hostKey, escrow.dispatchAckDigest(jobId, keccak256("another spec")));
        vm.prank(buyer);
        vm.expectRevert();
        escrow.cancel(jobId, abi.encodePacked(r, s, v));
    }

    function test_cancel_anyoneAfterTwoStartTimeoutsAndNotBefore() public {
        uint256 jobId = createJob(buyer, hostId, 1, 1 hours);
        uint256 allowedAt = vm.getBlockTimestamp() + 2 * START_TIMEOUT;
        vm.warp(allowedAt - 1);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.CancelTooEarly.selector, jobId, allowedAt, allowedAt - 1));
        escrow.cancel(jobId, "");
        vm.warp(allowedAt);
        vm.prank(makeAddr("anyone"));
        escrow.cancel(jobId, "");
        assertEq(uint8(escrow.job(jobId).status), uint8(JobStatus.Cancelled));
        assertEq(registry.host(hostId).gpusBusy, 0);
    }

    function test_cancel_onlyBeforeStart() public {
        uint256 jobId = createJob(buyer, hostId, 1, 1 hours);
        vm.prank(hostSigner);
        escrow.start(jobId);
        expectStatus(jobId, JobStatus.Running, JobStatus.Created);
        vm.prank(buyer);
        escrow.cancel(jobId, "");
    }

    // ---------------------------------------------------------------- receipts

    function test_submitReceipt_opensTheDisputeWindow() public {
        uint256 jobId = started(2, 1 hours);
        vm.warp(vm.getBlockTimestamp() + 30 minutes);
        UsageReceipt memory r = receipt(jobId, 2e18, vm.getBlockTimestamp());
        uint64 disputeEndsAt = uint64(vm.getBlockTimestamp() + DISPUTE_WINDOW);
        vm.expectEmit(address(escrow));
        emit IJobEscrow.ReceiptSubmitted(jobId, 2e18, r.resultHash, r.endedAt, disputeEndsAt);
        vm.prank(makeAddr("anyone"));
        escrow.submitReceipt(r, sign(hostKey, r));
        Job memory j = escrow.job(jobId);
        assertEq(uint8(j.status), uint8(JobStatus.Submitted));
        assertEq(j.used, 2e18);
        assertEq(j.disputeEndsAt, disputeEndsAt);
        assertEq(registry.host(hostId).gpusBusy, 0);
    }

    function test_submitReceipt_revertsOnReplayOnAnotherChain() public {
        uint256 jobId = started(1, 1 hours);
        vm.warp(vm.getBlockTimestamp() + 10 minutes);
        UsageReceipt memory r = receipt(jobId, 0.1e18, vm.getBlockTimestamp());
        bytes memory signature = sign(hostKey, r);
        // A constant, not block.chainid: via-ir may re-read block.chainid after vm.chainId.
        uint256 chainId = 31337;
        assertEq(block.chainid, chainId);
        vm.chainId(chainId + 1); // the domain separator follows the chain id
        address recovered = ecrecoverOf(escrow.receiptDigest(r), signature);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidReceiptSignature.selector, jobId, recovered));
        escrow.submitReceipt(r, signature);
        vm.chainId(chainId);
        escrow.submitReceipt(r, signature);
    }

    function test_submitReceipt_revertsOnReplayOnASecondEscrow() public {
        JobEscrow second = Deployers.jobEscrow(registry, scu, owner, arbiter, Parameters.escrowConfig());
        uint256 jobId = started(1, 1 hours);
        vm.warp(vm.getBlockTimestamp() + 10 minutes);
        UsageReceipt memory r = receipt(jobId, 0.1e18, vm.getBlockTimestamp());
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(hostKey, second.receiptDigest(r));
        bytes memory forSecond = abi.encodePacked(rr, s, v);
        address recovered = ecrecoverOf(escrow.receiptDigest(r), forSecond);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidReceiptSignature.selector, jobId, recovered));
        escrow.submitReceipt(r, forSecond);
    }

    function test_submitReceipt_revertsOnAHighSSignature() public {
        uint256 jobId = started(1, 1 hours);
        vm.warp(vm.getBlockTimestamp() + 10 minutes);
        UsageReceipt memory r = receipt(jobId, 0.1e18, vm.getBlockTimestamp());
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(hostKey, escrow.receiptDigest(r));
        // The same point with s' = n − s and the other parity recovers the same signer: malleable.
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        uint8 flipped = v == 27 ? 28 : 27;
        assertEq(ecrecover(escrow.receiptDigest(r), flipped, rr, highS), hostSigner);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidReceiptSignature.selector, jobId, address(0)));
        escrow.submitReceipt(r, abi.encodePacked(rr, highS, flipped));
    }

    function test_submitReceipt_revertsOnASignatureThatRecoversToZero() public {
        uint256 jobId = started(1, 1 hours);
        vm.warp(vm.getBlockTimestamp() + 10 minutes);
        UsageReceipt memory r = receipt(jobId, 0.1e18, vm.getBlockTimestamp());
        // r = 0 is no point on the curve: ecrecover yields the zero address, which must never match.
        bytes memory zeroSig = abi.encodePacked(bytes32(0), bytes32(uint256(1)), uint8(27));
        assertEq(ecrecover(escrow.receiptDigest(r), 27, bytes32(0), bytes32(uint256(1))), address(0));
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidReceiptSignature.selector, jobId, address(0)));
        escrow.submitReceipt(r, zeroSig);
    }

    function test_submitReceipt_revertsOnAReceiptForAnotherJob() public {
        uint256 a = started(1, 1 hours);
        uint256 b = started(1, 1 hours);
        vm.warp(vm.getBlockTimestamp() + 10 minutes);
        UsageReceipt memory forA = receipt(a, 0.1e18, vm.getBlockTimestamp());
        bytes memory signature = sign(hostKey, forA);
        UsageReceipt memory asB = receipt(b, 0.1e18, vm.getBlockTimestamp());
        address recovered = ecrecoverOf(escrow.receiptDigest(asB), signature);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidReceiptSignature.selector, b, recovered));
        escrow.submitReceipt(asB, signature);
    }

    function test_submitReceipt_revertsWhenSignedByAnyoneButTheHostSigner() public {
        uint256 jobId = started(1, 1 hours);
        vm.warp(vm.getBlockTimestamp() + 10 minutes);
        UsageReceipt memory r = receipt(jobId, 0.1e18, vm.getBlockTimestamp());
        (address stranger, uint256 strangerKey) = makeAddrAndKey("stranger");
        bytes memory byStranger = sign(strangerKey, r);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidReceiptSignature.selector, jobId, stranger));
        escrow.submitReceipt(r, byStranger);
        // Not even the provider's own wallet: only the host's key signs usage.
        (, uint256 providerKey) = makeAddrAndKey("provider");
        bytes memory byProvider = sign(providerKey, r);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidReceiptSignature.selector, jobId, provider));
        escrow.submitReceipt(r, byProvider);
    }

    function test_submitReceipt_billsAtMostTheTimeItRan() public {
        uint256 jobId = started(2, 1 hours);
        vm.warp(vm.getBlockTimestamp() + 30 minutes);
        uint256 max = escrow.job(jobId).locked / 2; // half the time: half the price (2 × 2.283 is even)
        UsageReceipt memory r = receipt(jobId, max + 1, vm.getBlockTimestamp());
        escrow.submitReceipt(r, sign(hostKey, r));
        assertEq(escrow.job(jobId).used, max);
    }

    function test_submitReceipt_neverBillsPastNowOrTheMaximum() public {
        uint256 jobId = started(1, 1 hours);
        uint256 startedAt = vm.getBlockTimestamp();
        uint256 locked = escrow.job(jobId).locked;
        vm.warp(startedAt + 10 minutes);
        UsageReceipt memory r = receipt(jobId, locked * 2, startedAt + 3 hours); // signed for a future end
        escrow.submitReceipt(r, sign(hostKey, r));
        Job memory j = escrow.job(jobId);
        assertEq(j.endedAt, startedAt + 10 minutes);
        assertEq(j.used, (locked * 10 minutes + 1 hours - 1) / 1 hours);
        assertLe(j.used, j.locked);
    }

    function test_submitReceipt_billsTheFirstMinuteAtLeast() public {
        uint256 jobId = started(1, 1 hours);
        uint256 locked = escrow.job(jobId).locked;
        vm.warp(vm.getBlockTimestamp() + 1);
        UsageReceipt memory r = receipt(jobId, locked, vm.getBlockTimestamp());
        escrow.submitReceipt(r, sign(hostKey, r));
        Job memory j = escrow.job(jobId);
        assertEq(j.used, (locked * 60 + 1 hours - 1) / 1 hours); // MIN_CHARGE
        assertEq(j.endedAt - j.startedAt, 1); // the record keeps the second it ran
    }

    function test_submitReceipt_aStopInEveryOrderEndsTheBillAtTheStop() public {
        uint256 jobId = started(1, 1 hours);
        uint256 startedAt = vm.getBlockTimestamp();
        uint256 locked = escrow.job(jobId).locked;
        // Signed first, for the end the host saw; stopped before it lands.
        UsageReceipt memory r = receipt(jobId, locked, startedAt + 20 minutes);
        bytes memory signature = sign(hostKey, r);
        vm.warp(startedAt + 10 minutes);
        vm.prank(buyer);
        escrow.stop(jobId);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.AlreadyStopped.selector, jobId));
        escrow.stop(jobId);
        vm.warp(startedAt + 30 minutes);
        escrow.submitReceipt(r, signature);
        Job memory j = escrow.job(jobId);
        assertEq(j.endedAt, startedAt + 10 minutes);
        assertEq(j.used, (locked * 10 minutes + 1 hours - 1) / 1 hours);
    }

    function test_stop_onlyBeforeTheMaximumEnd() public {
        uint256 jobId = started(1, 1 hours);
        uint256 maxEnd = vm.getBlockTimestamp() + 1 hours;
        vm.warp(maxEnd);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.StopTooLate.selector, jobId, maxEnd, maxEnd));
        escrow.stop(jobId);
        vm.warp(maxEnd - 1);
        vm.prank(buyer);
        escrow.stop(jobId);
    }

    function test_submitReceipt_atGraceMinusOneAndNotAtGrace() public {
        uint256 a = started(1, 1 hours);
        uint256 b = started(1, 1 hours);
        uint256 deadline = vm.getBlockTimestamp() + 1 hours + RECEIPT_GRACE;
        vm.warp(deadline - 1);
        UsageReceipt memory ra = receipt(a, 1e18, vm.getBlockTimestamp() - RECEIPT_GRACE + 1);
        escrow.submitReceipt(ra, sign(hostKey, ra));
        vm.warp(deadline);
        UsageReceipt memory rb = receipt(b, 1e18, deadline - RECEIPT_GRACE);
        bytes memory signature = sign(hostKey, rb);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.ReceiptTooLate.selector, b, deadline, deadline));
        escrow.submitReceipt(rb, signature);
    }

    function test_reclaim_atGraceAndNotBefore() public {
        uint256 jobId = started(1, 1 hours);
        uint256 deadline = vm.getBlockTimestamp() + 1 hours + RECEIPT_GRACE;
        vm.warp(deadline - 1);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.ReclaimTooEarly.selector, jobId, deadline, deadline - 1));
        escrow.reclaim(jobId);
        vm.warp(deadline);
        escrow.reclaim(jobId);
        assertEq(scu.balanceOf(buyer), H100_RATING);
        assertEq(registry.provider(provider).noShows, 1);
        assertEq(registry.host(hostId).gpusBusy, 0);
    }

    // ---------------------------------------------------------------- extension

    /// @dev A job extended mid-run runs past its original end and is billed for the time it ran, at its own
    /// price per second; without the extension the escrow would bill no further than the original end.
    function test_extend_aRunningJobRunsPastItsOriginalEnd_andIsBilledForWhatItRan() public {
        uint256 jobId = started(2, 1 hours);
        uint256 startedAt = vm.getBlockTimestamp();
        uint256 locked = escrow.job(jobId).locked;
        uint256 providerCredits = registry.provider(provider).jobCredits;
        uint256 totalLocked = escrow.totalLocked();
        vm.warp(startedAt + 50 minutes);
        assertEq(escrow.extensionCost(jobId, 30 minutes), (locked + 1) / 2);
        buyScu(buyer, (locked + 1) / 2);
        vm.expectEmit(address(escrow));
        emit IJobEscrow.JobExtended(jobId, 90 minutes, (locked + 1) / 2);
        vm.prank(buyer);
        uint256 added = escrow.extend(jobId, 30 minutes);
        Job memory j = escrow.job(jobId);
        assertEq(j.maxDuration, 90 minutes);
        assertEq(j.locked, locked + added);
        assertEq(escrow.totalLocked(), totalLocked + added);
        assertEq(registry.provider(provider).jobCredits, providerCredits + added, "the provider's stake backs it");

        vm.warp(startedAt + 80 minutes);
        UsageReceipt memory r = receipt(jobId, j.locked, startedAt + 80 minutes);
        escrow.submitReceipt(r, sign(hostKey, r));
        j = escrow.job(jobId);
        assertEq(j.endedAt, startedAt + 80 minutes, "past the original hour");
        assertEq(j.used, (j.locked * 80 minutes + 90 minutes - 1) / 90 minutes);
        vm.prank(buyer);
        escrow.confirm(jobId);
        assertEq(escrow.totalLocked(), totalLocked - locked, "all of it paid out or refunded");
    }

    /// @dev Attack: a buyer holding the host's acknowledgement of a job it never started extends the job to a week
    /// and cancels it as the host's no-show, so the no-show weighs 336 times what was booked. A job is extended only
    /// while it runs.
    function test_extend_refusesAJobNotStarted() public {
        uint256 jobId = createJob(buyer, hostId, 1, 1 hours);
        buyScu(buyer, escrow.extensionCost(jobId, 1 hours));
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.InvalidJobStatus.selector, jobId, JobStatus.Created, JobStatus.Running)
        );
        escrow.extend(jobId, 1 hours);
    }

    /// @dev Attack: a buyer who sees its host down (started, no receipt coming) extends the job to a week, waits
    /// and reclaims it: the refund is full either way, and the no-show weighs the job as first booked.
    function test_extend_aFailedJobWeighsAsFirstBooked() public {
        uint256 jobId = started(2, 1 hours);
        buyScu(buyer, escrow.extensionCost(jobId, 7 days - 1 hours));
        vm.prank(buyer);
        escrow.extend(jobId, 7 days - 1 hours);
        uint64 failedBefore = registry.provider(provider).failedGpuSeconds;
        vm.warp(vm.getBlockTimestamp() + 7 days + RECEIPT_GRACE);
        escrow.reclaim(jobId);
        assertEq(registry.provider(provider).failedGpuSeconds - failedBefore, 2 * 1 hours);
        assertEq(escrow.job(jobId).extendedBy, 7 days - 1 hours);
    }

    /// @dev An extension that arrives at or after the job's maximum end is refused with that end: the host may have
    /// stopped the job already. So are one after a stop, a stranger's, one past MAX_DURATION, and one of a job
    /// that has a receipt.
    function test_extend_refusesLateStoppedStrangersAndTooLong() public {
        uint256 jobId = started(1, 1 hours);
        uint256 maxEnd = vm.getBlockTimestamp() + 1 hours;
        vm.prank(makeAddr("stranger"));
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.NotBuyer.selector, jobId, makeAddr("stranger")));
        escrow.extend(jobId, 1 hours);
        vm.startPrank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidDuration.selector, 1 hours, 1 hours + 1, 7 days));
        escrow.extend(jobId, 0);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.InvalidDuration.selector, 7 days + 1, 1 hours + 1, 7 days));
        escrow.extend(jobId, 7 days - 1 hours + 1);
        vm.warp(maxEnd);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.ExtendTooLate.selector, jobId, maxEnd, maxEnd));
        escrow.extend(jobId, 1 hours);
        vm.stopPrank();

        uint256 stopped = started(1, 1 hours);
        vm.startPrank(buyer);
        escrow.stop(stopped);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.AlreadyStopped.selector, stopped));
        escrow.extend(stopped, 1 hours);
        vm.stopPrank();

        uint256 receipted = submitted(1e18);
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(
                IJobEscrow.InvalidJobStatus.selector, receipted, JobStatus.Submitted, JobStatus.Running
            )
        );
        escrow.extend(receipted, 1 hours);
    }

    /// @dev The host's terms hold for the extra time as for a new job: unpaused, listed past the new end.
    function test_extend_refusesAPausedHostOrOneListedTooShort() public {
        uint256 jobId = started(1, 1 hours);
        vm.prank(provider);
        registry.setPaused(hostId, true);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.HostPaused.selector, hostId));
        escrow.extend(jobId, 1 hours);
        // A host listed for two hours: a one-hour job started now may grow by an hour, not a second more.
        uint64 short = registerHost(provider, newSignerKey("short"), H100, 8, 2 hours);
        uint256 listedUntil = registry.host(short).listedUntil;
        uint256 onShort = createJob(buyer, short, 1, 1 hours);
        vm.prank(registry.host(short).signer);
        escrow.start(onShort);
        buyScu(buyer, escrow.extensionCost(onShort, 1 hours + 1));
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.ListingEndsBeforeJob.selector, short, listedUntil, listedUntil + 1)
        );
        escrow.extend(onShort, 1 hours + 1);
        vm.prank(buyer);
        escrow.extend(onShort, 1 hours);
    }

    /// @dev Attack: a buyer (or a provider booking its own host) extends a job again and again so that a challenge
    /// waiting for the host's jobs never begins. A waiting challenge stops extensions.
    function test_extend_cannotHoldOffAWaitingChallenge() public {
        vm.warp(vm.getBlockTimestamp() + 1 days); // past the fixture's own challenge's duty cycle
        uint256 jobId = started(1, 1 hours);
        address stranger = makeAddr("challenger");
        (,, uint256 fee) = verifier.work(hostId);
        buyScu(stranger, fee);
        vm.startPrank(stranger);
        scu.approve(address(verifier), fee);
        verifier.challenge(hostId);
        vm.stopPrank();
        buyScu(buyer, escrow.extensionCost(jobId, 1 hours));
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.HostProving.selector, hostId, type(uint64).max));
        escrow.extend(jobId, 1 hours);
    }

    function test_extendWithPermit_paysWithASignature() public {
        (address signer, uint256 key) = makeAddrAndKey("permit buyer");
        JobParams memory p = jobParams(hostId, 1, 1 hours);
        uint256 price = escrow.quote(p);
        buyScu(signer, 2 * price);
        vm.prank(signer);
        uint256 jobId = escrow.createJob(p);
        vm.prank(hostSigner);
        escrow.start(jobId);
        vm.prank(signer);
        scu.approve(address(escrow), 0);
        IRouter.PermitSignature memory sig =
            signPermit(scu, key, signer, address(escrow), escrow.extensionCost(jobId, 1 hours));
        vm.prank(signer);
        uint256 added = escrow.extendWithPermit(jobId, 1 hours, sig);
        assertEq(added, price);
        assertEq(scu.balanceOf(signer), 0);
    }

    // ---------------------------------------------------------------- settlement

    function test_finalize_atTheWindowAndNotBefore() public {
        uint256 jobId = submitted(2e18);
        uint256 deadline = escrow.job(jobId).disputeEndsAt;
        vm.warp(deadline - 1);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.DisputeWindowOpen.selector, jobId, deadline, deadline - 1));
        escrow.finalize(jobId);
        vm.warp(deadline);
        escrow.finalize(jobId);
        expectStatus(jobId, JobStatus.Settled, JobStatus.Submitted);
        escrow.finalize(jobId); // a receipt is paid once
    }

    function test_finalize_paysAgainstTheObligationFirst() public {
        vm.prank(provider);
        registry.mint(1.5e18, provider);
        uint256 jobId = submitted(2e18);
        uint256 locked = escrow.job(jobId).locked;
        uint256 supply = scu.totalSupply();
        vm.warp(vm.getBlockTimestamp() + DISPUTE_WINDOW);
        vm.expectEmit(address(escrow));
        emit IJobEscrow.JobSettled(jobId, 2e18, 1.5e18, locked - 2e18);
        escrow.finalize(jobId);
        assertEq(registry.provider(provider).obligation, 0);
        assertEq(scu.balanceOf(provider), 1.5e18 + 0.5e18); // its minted credits plus the unburned pay
        assertEq(scu.balanceOf(buyer), locked - 2e18);
        assertEq(scu.totalSupply(), supply - 1.5e18);
        assertEq(escrow.totalLocked(), 0);
        assertEq(registry.provider(provider).completed, 1);
    }

    function test_confirm_settlesAtOnce() public {
        uint256 jobId = submitted(2e18);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.NotBuyer.selector, jobId, provider));
        escrow.confirm(jobId);
        vm.prank(buyer);
        escrow.confirm(jobId);
        assertEq(scu.balanceOf(provider), 2e18);
    }

    function test_dispute_atWindowMinusOneAndNotAtTheWindow() public {
        uint256 a = submitted(2e18);
        uint256 b = submitted(2e18);
        uint256 deadlineA = escrow.job(a).disputeEndsAt;
        uint256 deadlineB = escrow.job(b).disputeEndsAt;
        vm.warp(deadlineA - 1);
        vm.prank(buyer);
        escrow.dispute(a, "the model never converged");
        vm.warp(deadlineB);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.DisputeWindowClosed.selector, b, deadlineB, deadlineB));
        escrow.dispute(b, "too late");
    }

    function test_dispute_postsABondFromTheRefundFirst() public {
        uint256 jobId = submitted(2e18);
        Job memory j = escrow.job(jobId);
        uint256 bond = (uint256(j.locked) * DISPUTE_BOND_BPS + 9_999) / 10_000;
        (uint256 quoted, uint256 fromWallet) = escrow.disputeBond(jobId);
        assertEq(quoted, bond);
        assertEq(fromWallet, 0); // the refund (locked − used) covers it
        uint256 price = referencePrice();
        uint64 ruleBy = uint64(vm.getBlockTimestamp() + RULING_PERIOD);
        vm.expectEmit(address(escrow));
        emit IJobEscrow.JobDisputed(jobId, "outputs missing", bond, uint256(j.locked) * price / 1e18, ruleBy);
        vm.prank(buyer);
        escrow.dispute(jobId, "outputs missing");
        Dispute memory d = escrow.disputeOf(jobId);
        assertEq(d.ruleBy, ruleBy);
        assertEq(d.stakeAtRisk, uint256(j.locked) * price / 1e18);
        assertEq(registry.provider(provider).disputeStake, d.stakeAtRisk);
    }

    function test_dispute_theRestOfTheBondComesFromTheWallet() public {
        uint256 jobId = started(2, 1 hours);
        uint256 locked = escrow.job(jobId).locked;
        vm.warp(vm.getBlockTimestamp() + 1 hours);
        UsageReceipt memory r = receipt(jobId, locked, vm.getBlockTimestamp()); // charged in full: no refund
        escrow.submitReceipt(r, sign(hostKey, r));
        (uint256 bond, uint256 fromWallet) = escrow.disputeBond(jobId);
        assertEq(fromWallet, bond);
        vm.prank(buyer);
        vm.expectRevert(); // no SCU, no allowance: the bond is not free
        escrow.dispute(jobId, "it ran for nothing");
        buyScu(buyer, bond);
        uint256 lockedBefore = escrow.totalLocked();
        vm.prank(buyer);
        escrow.dispute(jobId, "it ran for nothing");
        assertEq(escrow.totalLocked(), lockedBefore + bond);
        assertEq(scu.balanceOf(buyer), 0);
    }

    function test_dispute_refusesAnOverlongReason() public {
        uint256 jobId = submitted(2e18);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.ReasonTooLong.selector, 281, 280));
        escrow.dispute(jobId, string(new bytes(281)));
    }

    function test_resolve_onlyByTheArbiter() public {
        uint256 jobId = submitted(2e18);
        vm.prank(buyer);
        escrow.dispute(jobId, "outputs missing");
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.NotArbiter.selector, buyer));
        escrow.resolve(jobId, 0, 100e6);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.NotArbiter.selector, owner));
        escrow.resolve(jobId, 0, 100e6);
    }

    function test_resolve_slashesCappedAndOnceAndReturnsTheBond() public {
        uint256 jobId = submitted(2e18);
        uint256 locked = escrow.job(jobId).locked;
        vm.prank(buyer);
        escrow.dispute(jobId, "outputs missing");
        uint256 cap = escrow.disputeOf(jobId).stakeAtRisk;
        uint256 usdcBefore = usdc.balanceOf(buyer);
        vm.startPrank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.SlashExceedsCap.selector, jobId, cap + 1, cap));
        escrow.resolve(jobId, 0, cap + 1);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.AwardExceedsUsage.selector, jobId, 2e18 + 1, 2e18));
        escrow.resolve(jobId, 2e18 + 1, 0);
        vm.expectEmit(address(escrow));
        emit IJobEscrow.DisputeResolved(jobId, 0.5e18, cap, false);
        escrow.resolve(jobId, 0.5e18, cap);
        expectStatus(jobId, JobStatus.Settled, JobStatus.Disputed);
        escrow.resolve(jobId, 0, cap);
        vm.stopPrank();
        assertEq(usdc.balanceOf(buyer) - usdcBefore, cap);
        assertEq(scu.balanceOf(buyer), locked - 0.5e18); // the bond came back with the refund
        assertEq(scu.balanceOf(provider), 0.5e18);
        Provider memory p = registry.provider(provider);
        assertEq(p.stake, 100_000e6 - cap);
        assertEq(p.disputesLost, 1);
        assertEq(p.openDisputes, 0);
        assertEq(p.disputeStake, 0);
        assertEq(escrow.totalLocked(), 0);
    }

    function test_resolve_whollyForTheProviderForfeitsTheBond() public {
        uint256 jobId = submitted(2e18);
        uint256 locked = escrow.job(jobId).locked;
        (uint256 bond,) = escrow.disputeBond(jobId);
        vm.prank(buyer);
        escrow.dispute(jobId, "I changed my mind");
        vm.prank(arbiter);
        escrow.resolve(jobId, 2e18, 0);
        assertEq(scu.balanceOf(provider), 2e18 + bond);
        assertEq(scu.balanceOf(buyer), locked - 2e18 - bond);
        assertEq(registry.provider(provider).completed, 1);
        assertEq(registry.provider(provider).disputesLost, 0);
    }

    function test_resolve_beforeItsDeadlineAndThenTheDefaultRuling() public {
        uint256 jobId = submitted(2e18);
        uint256 locked = escrow.job(jobId).locked;
        vm.prank(buyer);
        escrow.dispute(jobId, "silence");
        uint256 ruleBy = escrow.disputeOf(jobId).ruleBy;
        vm.warp(ruleBy - 1);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.RulingPending.selector, jobId, ruleBy, ruleBy - 1));
        escrow.settleDispute(jobId);
        vm.warp(ruleBy);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IJobEscrow.RulingDeadlinePassed.selector, jobId, ruleBy, ruleBy));
        escrow.resolve(jobId, 0, 0);
        vm.expectEmit(address(escrow));
        emit IJobEscrow.DisputeDefaulted(jobId);
        vm.prank(makeAddr("anyone"));
        escrow.settleDispute(jobId);
        // The receipt stands and the bond goes back: the arbiter's silence is no one's loss.
        assertEq(scu.balanceOf(provider), 2e18);
        assertEq(scu.balanceOf(buyer), locked - 2e18);
        Provider memory p = registry.provider(provider);
        assertEq(p.openDisputes, 0);
        assertEq(p.disputeStake, 0);
        assertEq(p.completed, 1);
    }

    function test_dispute_locksOnlyTheStakeAtRisk() public {
        uint256 jobId = submitted(2e18);
        vm.prank(buyer);
        escrow.dispute(jobId, "outputs missing");
        uint256 cap = escrow.disputeOf(jobId).stakeAtRisk;
        vm.prank(provider);
        registry.requestUnbond(100_000e6);
        vm.warp(vm.getBlockTimestamp() + UNBONDING_DELAY);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.InsufficientStake.selector, provider, 0, cap));
        registry.withdraw(provider);
        vm.prank(provider);
        registry.requestUnbond(100_000e6 - cap);
        vm.warp(vm.getBlockTimestamp() + UNBONDING_DELAY);
        vm.prank(provider);
        registry.withdraw(provider); // everything but the stake at risk leaves while the dispute is open
        assertEq(registry.provider(provider).stake, cap);
        uint256 usdcBefore = usdc.balanceOf(buyer);
        vm.prank(arbiter);
        vm.expectRevert(); // the arbiter's deadline passed during the unbonding: the default ruling applies
        escrow.resolve(jobId, 0, cap);
        escrow.settleDispute(jobId);
        assertEq(usdc.balanceOf(buyer), usdcBefore);
    }

    function test_dispute_theHeldStakeIsOutOfALiquidationsReach() public {
        address thin = makeAddr("thin provider");
        (, uint256 thinKey) = makeAddrAndKey("thin host");
        uint64 thinHost = registerHost(thin, thinKey, H100, 16, 4 days);
        stake(thin, 2_000e6);
        uint256 jobId = createJob(buyer, thinHost, 8, 24 hours); // 438 SCU of credits booked first
        vm.prank(thin);
        registry.mint(1_000e18, thin);
        vm.prank(vm.addr(thinKey));
        escrow.start(jobId);
        vm.warp(vm.getBlockTimestamp() + 30 minutes);
        UsageReceipt memory r = receipt(jobId, 1e18, vm.getBlockTimestamp());
        escrow.submitReceipt(r, sign(thinKey, r));
        vm.prank(buyer);
        escrow.dispute(jobId, "outputs missing");
        uint256 held = escrow.disputeOf(jobId).stakeAtRisk;
        skipFresh(4 days); // the listing ended: all of the obligation may be liquidated
        assertTrue(registry.isLiquidatable(thin));
        // Only the stake the dispute does not hold pays.
        vm.expectPartialRevert(IProviderRegistry.LiquidationExceedsStake.selector);
        registry.liquidate(thin, 1_000e18, makeAddr("liquidator"));
        uint256 available = 2_000e6 - held;
        assertLt(available, 1_000e18 * referencePrice() / 1e18); // it would have needed the held stake
    }

    function test_resolve_theSlashIsPaidFromTheHeldStake() public {
        uint256 jobId = submitted(2e18);
        vm.prank(buyer);
        escrow.dispute(jobId, "outputs missing");
        uint256 cap = escrow.disputeOf(jobId).stakeAtRisk;
        vm.prank(provider);
        registry.requestUnbond(100_000e6 - cap);
        vm.warp(vm.getBlockTimestamp() + 1 days);
        uint256 usdcBefore = usdc.balanceOf(buyer);
        vm.prank(arbiter);
        escrow.resolve(jobId, 0, cap);
        assertEq(usdc.balanceOf(buyer) - usdcBefore, cap);
    }

    function test_setArbiter_onlyOwnerAndNotZero() public {
        vm.expectRevert();
        escrow.setArbiter(buyer);
        vm.prank(owner);
        vm.expectRevert(IJobEscrow.InvalidArbiter.selector);
        escrow.setArbiter(address(0));
        vm.prank(owner);
        escrow.setArbiter(buyer);
        assertEq(escrow.arbiter(), buyer);
    }

    function ecrecoverOf(bytes32 digest, bytes memory signature) internal pure returns (address) {
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        return ecrecover(digest, v, r, s);
    }
}
