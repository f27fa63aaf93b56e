// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {IJobEscrow} from "../src/interfaces/IJobEscrow.sol";
import {IProviderRegistry} from "../src/interfaces/IProviderRegistry.sol";
import {Job, JobParams, JobStatus, UsageReceipt} from "../src/types/Job.sol";
import {HostParams} from "../src/types/Provider.sol";

/// @notice Issue 15's attacks, one or more per flaw, each played from the attacker's side and asserting the
/// property that must hold instead. Every one of them failed against the code before the fix (same attack,
/// that code's API); the closing note lists how.
contract EconomicAttacksTest is ProtocolFixture {
    uint64 internal hostId;

    function setUp() public override {
        super.setUp();
        hostId = registerHost(provider, hostKey, H100, 8, 30 days);
        stake(provider, 100_000e6);
    }

    function swapUsdcIn(uint256 usdcIn) internal {
        usdc.mint(address(pool), usdcIn);
        (uint112 r0, uint112 r1,) = pool.getReserves();
        bool usdcIs0 = pool.token0() == address(usdc);
        (uint256 rIn, uint256 rOut) = usdcIs0 ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        uint256 out = usdcIn * 997 * rOut / (rIn * 1000 + usdcIn * 997);
        pool.swap(usdcIs0, out, makeAddr("sink"));
    }

    function spot() internal view returns (uint256) {
        (uint112 r0, uint112 r1,) = pool.getReserves();
        (uint256 rUsdc, uint256 rScu) =
            pool.token0() == address(usdc) ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        return rUsdc * 1e18 / rScu;
    }

    // ---------------------------------------------------------------- 1. signer squatting

    /// @dev The squatter reads a victim agent's signer off its /health and registers it first.
    function test_flaw1_aSquatterCannotRegisterAnotherHostsSigner() public {
        (address victimSigner, uint256 victimKey) = makeAddrAndKey("victim agent");
        (, uint256 squatterKey) = makeAddrAndKey("squatter's own key");
        address squatter = makeAddr("squatter");
        HostParams memory p = hostParams(victimSigner, H100, 8, 30 days);
        // With a consent it signed itself:
        (uint256 deadline, bytes memory forged) = consent(squatterKey, squatter);
        vm.prank(squatter);
        vm.expectRevert();
        registry.registerHost(p, deadline, forged);
        // With the consent the victim's agent gave its own provider, seen in the mempool:
        address victim = makeAddr("victim provider");
        (uint256 victimDeadline, bytes memory victims) = consent(victimKey, victim);
        vm.prank(squatter);
        vm.expectRevert();
        registry.registerHost(p, victimDeadline, victims);
        vm.prank(victim);
        registry.registerHost(p, victimDeadline, victims);
    }

    function test_flaw1_oneSignerServesOneHost() public {
        (uint256 deadline, bytes memory again) = consent(hostKey, provider);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.SignerInUse.selector, hostSigner, hostId));
        registry.registerHost(hostParams(hostSigner, H100, 8, 30 days), deadline, again);
    }

    // ---------------------------------------------------------------- 2. a stop voiding a receipt

    /// @dev The buyer watches the mempool and stops the job between the host's signature and its submission.
    function test_flaw2_aStopBetweenSigningAndSubmissionStillPays() public {
        uint256 jobId = createJob(buyer, hostId, 1, 1 hours);
        vm.prank(hostSigner);
        escrow.start(jobId);
        uint256 startedAt = vm.getBlockTimestamp();
        UsageReceipt memory r = receipt(jobId, escrow.job(jobId).locked / 60, startedAt + 60);
        bytes memory signature = sign(hostKey, r);
        vm.warp(startedAt + 30);
        vm.prank(buyer);
        escrow.stop(jobId);
        vm.warp(startedAt + 60);
        escrow.submitReceipt(r, signature);
        assertGt(escrow.job(jobId).used, 0);
    }

    // ---------------------------------------------------------------- 3. a late stop freezing a job

    function test_flaw3_aLateStopCannotPushUsageAboveTheLock() public {
        uint256 jobId = createJob(buyer, hostId, 1, 1 hours);
        vm.prank(hostSigner);
        escrow.start(jobId);
        uint256 startedAt = vm.getBlockTimestamp();
        vm.warp(startedAt + 90 minutes); // past the 1-hour maximum, inside the receipt grace
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(IJobEscrow.StopTooLate.selector, jobId, startedAt + 1 hours, startedAt + 90 minutes)
        );
        escrow.stop(jobId);
        uint256 locked = escrow.job(jobId).locked;
        UsageReceipt memory r = receipt(jobId, locked * 3 / 2, vm.getBlockTimestamp());
        escrow.submitReceipt(r, sign(hostKey, r));
        assertLe(escrow.job(jobId).used, locked, "used above locked");
        vm.prank(buyer);
        escrow.confirm(jobId);
        assertEq(uint8(escrow.job(jobId).status), uint8(JobStatus.Settled));
    }

    // ---------------------------------------------------------------- 4. liquidating everything for dust

    function test_flaw4_aFreshMaxMintIsNotLiquidatableForADay() public {
        uint256 most = registry.mintBound(provider);
        vm.prank(provider);
        registry.mint(most, provider);
        vm.warp(vm.getBlockTimestamp() + 1 days - 1);
        assertFalse(registry.isLiquidatable(provider));
    }

    function test_flaw4_aDustExcessIsNotLiquidatedWhole() public {
        uint256 most = registry.mintBound(provider);
        vm.prank(provider);
        registry.mint(most, provider);
        skipFresh(1 days + 60); // the bound fell a minute's worth under the obligation
        assertTrue(registry.isLiquidatable(provider));
        vm.expectPartialRevert(IProviderRegistry.LiquidationExceedsShortfall.selector);
        registry.liquidate(provider, most / 2, makeAddr("liquidator"));
    }

    // ---------------------------------------------------------------- 5. pumping a pool below the floor

    function test_flaw5_theStakeNeverPaysMoreThanTheTwapPlusThePremium() public {
        // The pool trades at ~$0.50 for a window.
        stake(whale, 3_000_000e6);
        vm.prank(whale);
        registry.mint(1_800_000e18, address(pool)); // 1.4M USDC against 2.8M SCU: $0.50
        pool.sync();
        skipFresh(TWAP_WINDOW);
        // A provider under collateral at the floor ($1): liquidatable.
        address thin = makeAddr("thin");
        registerHost(thin, newSignerKey("thin"), H100, 8, 30 days);
        stake(thin, 1_600e6);
        vm.prank(thin);
        registry.mint(1_000e18, thin);
        skipFresh(31 days);
        // Pump to ~$0.92 and liquidate at that price out of the provider's stake.
        swapUsdcIn(500_000e6);
        vm.expectRevert();
        registry.liquidate(thin, 100e18, makeAddr("attacker"));
    }

    /// @dev The same after the pool fell: the TWAP lags above the market, and a liquidator who pumps the pool
    /// back up to it in its own block would sell the provider SCU at the old price. The recent price bounds it.
    function test_flaw5_aLaggingTwapIsNoPriceToPumpTo() public {
        address thin = makeAddr("thin");
        registerHost(thin, newSignerKey("thin"), H100, 8, 30 days);
        stake(thin, 1_500e6);
        vm.prank(thin);
        registry.mint(1_000e18, thin); // 150% at $1
        skipFresh(TWAP_WINDOW); // the TWAP reads $1.40: under collateral
        // The pool falls to ~$1.00 and holds a few minutes (the TWAP still ≈ $1.3).
        vm.prank(whale);
        registry.mint(400_000e18, address(pool));
        pool.sync();
        vm.warp(vm.getBlockTimestamp() + 5 minutes);
        (uint256 twap,,,,, uint256 recent) = registry.priceState();
        assertGt(twap, 1.2e6);
        assertApproxEqRel(recent, 1e6, 0.01e18);
        swapUsdcIn(250_000e6); // pumped back toward the TWAP in the liquidator's own block
        vm.expectRevert(); // LiquidationPriceOutOfBounds: at most 1.05 × the recent $1.00
        registry.liquidate(thin, 100e18, makeAddr("attacker"));
    }

    // ---------------------------------------------------------------- 6. a stale TWAP

    function test_flaw6_noReferencePriceAveragesBackMoreThanTwoWindows() public {
        registry.observe();
        vm.warp(vm.getBlockTimestamp() + 3 days);
        swapUsdcIn(600_000e6); // the pool moves and holds for a whole window, unobserved
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW);
        // No price at all, or one from the last one to two windows: never the days-old average.
        (, uint256 price, bool fresh,,,) = registry.priceState();
        if (fresh) assertApproxEqRel(price, spot(), 0.01e18, "the reference price is days old");
        // A provider staked for $1.40 but not $2.85 cannot mint on the stale average.
        address p = makeAddr("opportunist");
        registerHost(p, newSignerKey("opportunist"), H100, 8, 30 days);
        stake(p, 2_200e6);
        vm.prank(p);
        vm.expectRevert();
        registry.mint(1_000e18, p);
    }

    // ---------------------------------------------------------------- 7. disputes

    function _submitted() internal returns (uint256 jobId) {
        jobId = createJob(buyer, hostId, 1, 1 hours);
        vm.prank(hostSigner);
        escrow.start(jobId);
        vm.warp(vm.getBlockTimestamp() + 30 minutes);
        UsageReceipt memory r = receipt(jobId, escrow.job(jobId).locked / 2, vm.getBlockTimestamp());
        escrow.submitReceipt(r, sign(hostKey, r));
    }

    function test_flaw7_anyoneEndsADisputeTheArbiterLeftPastItsDeadline() public {
        uint256 jobId = _submitted();
        vm.prank(buyer);
        escrow.dispute(jobId, "spite");
        vm.warp(vm.getBlockTimestamp() + 60 days);
        vm.prank(makeAddr("anyone"));
        escrow.settleDispute(jobId);
        assertEq(uint8(escrow.job(jobId).status), uint8(JobStatus.Settled));
    }

    function test_flaw7_aFailedDisputeCostsTheBuyer() public {
        uint256 jobId = _submitted();
        Job memory j = escrow.job(jobId);
        vm.prank(buyer);
        escrow.dispute(jobId, "spite");
        vm.prank(arbiter);
        escrow.resolve(jobId, j.used, 0);
        assertLt(scu.balanceOf(buyer), j.locked - j.used, "the failed dispute was free");
    }

    function test_flaw7_aDustDisputeLocksOnlyItsStake() public {
        uint256 jobId = _submitted();
        vm.prank(buyer);
        escrow.dispute(jobId, "spite");
        vm.prank(provider);
        registry.requestUnbond(50_000e6);
        vm.warp(vm.getBlockTimestamp() + UNBONDING_DELAY);
        vm.prank(provider);
        registry.withdraw(provider); // a $3 dispute does not hold $100,000
    }

    // ---------------------------------------------------------------- 8. reliability

    function test_flaw8_aBuyerWhoNeverDispatchedCannotMarkANoShow() public {
        uint256 jobId = createJob(buyer, hostId, 8, 1 hours);
        vm.warp(vm.getBlockTimestamp() + START_TIMEOUT);
        vm.prank(buyer);
        escrow.cancel(jobId, "");
        assertEq(registry.provider(provider).noShows, 0);
    }

    function test_flaw8_holdingGpusCostsTheBuyer() public {
        uint256 jobId = createJob(buyer, hostId, 8, 1 hours);
        uint256 locked = escrow.job(jobId).locked;
        vm.warp(vm.getBlockTimestamp() + START_TIMEOUT - 1);
        vm.prank(buyer);
        escrow.cancel(jobId, "");
        assertLt(scu.balanceOf(buyer), locked, "holding 8 GPUs for 15 minutes was free");
    }

    function test_flaw8_selfDealingCannotBuryANoShowCheaply() public {
        // One real failure: an 8-GPU hour it never delivered.
        uint256 failed = createJob(buyer, hostId, 8, 1 hours);
        vm.prank(hostSigner);
        escrow.start(failed);
        vm.warp(vm.getBlockTimestamp() + 1 hours + RECEIPT_GRACE);
        escrow.reclaim(failed);
        // Fifty jobs booked on itself from another wallet, each run for a minute, for gas only.
        address sybil = makeAddr("provider's other wallet");
        for (uint256 i; i < 50; ++i) {
            uint256 jobId = createJob(sybil, hostId, 1, uint32(2 * START_TIMEOUT));
            vm.prank(hostSigner);
            escrow.start(jobId);
            vm.warp(vm.getBlockTimestamp() + 60);
            UsageReceipt memory r = receipt(jobId, 0, vm.getBlockTimestamp());
            escrow.submitReceipt(r, sign(hostKey, r));
            vm.prank(sybil);
            escrow.confirm(jobId);
        }
        (uint256 score,,,,,,) = registry.reliabilityOf(provider);
        assertLt(score, 5_000, "fifty self-dealt minutes outweigh an 8-GPU-hour no-show");
    }

    // ---------------------------------------------------------------- 9. lows

    function test_flaw9_anUnbondRequestLapses() public {
        vm.prank(provider);
        registry.requestUnbond(50_000e6);
        vm.warp(vm.getBlockTimestamp() + 60 days);
        vm.prank(provider);
        vm.expectRevert();
        registry.withdraw(provider);
    }

    function test_flaw9_extendingAListingPartWayIsAllowedOverTheBound() public {
        uint256 most = registry.mintBound(provider);
        vm.prank(provider);
        registry.mint(most, provider);
        vm.warp(vm.getBlockTimestamp() + 10 days); // over the bound now
        uint64 longer = registry.host(hostId).listedUntil + 1 days;
        vm.prank(provider);
        registry.setListedUntil(hostId, longer);
    }

    function test_flaw9_straySCUCannotFundSomeoneElsesJob() public {
        JobParams memory p = jobParams(hostId, 1, 1 hours);
        buyScu(address(this), escrow.quote(p));
        scu.transfer(address(escrow), escrow.quote(p)); // sent by mistake
        address thief = makeAddr("thief");
        vm.prank(thief);
        vm.expectRevert();
        escrow.createJobFunded(thief, p);
        // Even opening the funding first: only what arrives after counts.
        vm.startPrank(thief);
        escrow.openFunding();
        vm.expectRevert();
        escrow.createJobFunded(thief, p);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- 10. owner powers

    function test_flaw10_noOneCanAddAMinter() public {
        (bool ok,) = address(scu).call(abi.encodeWithSignature("setMinter(address,bool)", makeAddr("rogue"), true));
        vm.prank(owner);
        (ok,) = address(scu).call(abi.encodeWithSignature("setMinter(address,bool)", makeAddr("rogue"), true));
        assertFalse(ok, "the owner added a minter");
        vm.expectRevert();
        scu.setMinter(makeAddr("rogue")); // the deployer, a second time
        assertEq(scu.minter(), address(registry));
    }

    function test_flaw10_theMinterCannotBurnWithoutAllowance() public {
        buyScu(buyer, 10e18);
        vm.prank(address(registry));
        vm.expectRevert();
        scu.burn(buyer, 10e18);
    }

    function test_flaw10_aRatingChangeNeverLiquidatesByItself() public {
        uint256 most = registry.mintBound(provider);
        vm.prank(provider);
        registry.mint(most / 2, provider);
        vm.prank(owner);
        standard.setRating(H100, H100_RATING / 4);
        vm.warp(vm.getBlockTimestamp() + 8 days);
        assertFalse(registry.isLiquidatable(provider));
    }

    // ---------------------------------------------------------------- the outside review of these fixes

    /// @dev Review H-1: a stranger funds a job for buyer = address(0) in one transaction. SCU refuses the zero
    /// address, so every exit (each refunds the buyer) would revert and the host's GPUs stay booked for good.
    function test_review_aJobForTheZeroBuyerIsRefused() public {
        JobParams memory params = jobParams(hostId, 8, uint32(2 * START_TIMEOUT));
        uint256 price = escrow.quote(params);
        buyScu(address(this), price);
        escrow.openFunding();
        scu.transfer(address(escrow), price);
        vm.expectRevert(IJobEscrow.InvalidBuyer.selector);
        escrow.createJobFunded(address(0), params);
    }

    /// @dev Review M-2: the shortest job booked over and over, cancelled just before anyone else may: holding the
    /// whole host costs what renting it does (before: a 60-second job held it for 30 minutes at 1/30 of that).
    function test_review_holdingAHostCostsWhatRentingItDoes() public {
        address griefer = makeAddr("griefer");
        JobParams memory hold = jobParams(hostId, 8, uint32(escrow.minDuration()));
        uint256 locked = escrow.quote(hold);
        uint256 cycles = 12; // six hours
        buyScu(griefer, locked * cycles);
        uint256 spent = scu.balanceOf(griefer);
        uint256 t0 = vm.getBlockTimestamp();
        for (uint256 i; i < cycles; ++i) {
            vm.prank(griefer);
            uint256 jobId = escrow.createJob(hold);
            vm.warp(vm.getBlockTimestamp() + 2 * START_TIMEOUT - 1);
            vm.prank(griefer);
            escrow.cancel(jobId, "");
            vm.warp(vm.getBlockTimestamp() + 1);
        }
        spent -= scu.balanceOf(griefer);
        uint256 rent = registry.jobCost(hostId, 8, vm.getBlockTimestamp() - t0 - cycles); // the seconds held
        assertGe(spent, rent, "held the host for less than its price");
    }

    /// @dev Review M-2, unattended: a job nobody dispatches or cancels. Anyone (the host agent does) ends it after
    /// two start timeouts, and the buyer pays for those in full.
    function test_review_anUncancelledHoldEndsAndIsPaidFor() public {
        address griefer = makeAddr("griefer");
        JobParams memory hold = jobParams(hostId, 8, uint32(escrow.minDuration()));
        uint256 locked = escrow.quote(hold);
        buyScu(griefer, locked);
        vm.prank(griefer);
        uint256 jobId = escrow.createJob(hold);
        vm.warp(vm.getBlockTimestamp() + 2 * START_TIMEOUT);
        vm.prank(hostSigner); // the agent's reaper
        escrow.cancel(jobId, "");
        assertEq(registry.host(hostId).gpusBusy, 0);
        assertEq(scu.balanceOf(griefer), 0); // two start timeouts of 8 GPUs: all it locked
    }

    /// @dev Review M-3: a provider minted the most its stake allows (150%); the TWAP ticks up 0.01%. The
    /// liquidation may take what restores 150%, plus 10% of it: SCU by the handful, not a quarter of the book.
    function test_review_aDustCollateralShortfallIsLiquidatedByTheDust() public {
        skipFresh(2 * TWAP_WINDOW);
        address p2 = makeAddr("p2");
        registerHost(p2, newSignerKey("p2 signer"), H100, 64, 60 days);
        uint256 amount = 5_000e18;
        stake(p2, (amount / 1e18 * COLLATERAL_RATIO_BPS * referencePrice() + 9_999) / 10_000);
        vm.prank(p2);
        registry.mint(amount, p2);
        buyScu(makeAddr("trader"), 50e18);
        skipFresh(2 * TWAP_WINDOW);
        assertTrue(registry.isLiquidatable(p2));
        (bool ok, bytes memory data) =
            address(registry).call(abi.encodeCall(registry.liquidate, (p2, amount / 5, buyer)));
        assertFalse(ok);
        assertEq(bytes4(data), IProviderRegistry.LiquidationExceedsShortfall.selector);
        uint256 most;
        assembly ("memory-safe") {
            most := mload(add(data, 100))
        }
        assertLt(most, amount / 500, "more than 0.2% of the obligation for a dust shortfall");
        registry.liquidate(p2, most, buyer);
        assertFalse(registry.isLiquidatable(p2));
    }

    /// @dev Review L-1: after a rating rise, a pause is judged at no more than the rating a liquidation counts:
    /// one the registry accepts never leaves the provider liquidatable.
    function test_review_anAcceptedPauseNeverLeavesTheProviderLiquidatable() public {
        address p2 = makeAddr("p2");
        registerHost(p2, newSignerKey("p2 signer A"), H100, 8, 60 days);
        uint64 hostB = registerHost(p2, newSignerKey("p2 signer B"), H100, 8, 60 days);
        stake(p2, 1_000_000e6);
        uint256 minted = registry.mintBound(p2) / 2;
        vm.prank(p2);
        registry.mint(minted, p2);
        vm.prank(owner);
        standard.setRating(H100, 2 * H100_RATING);
        skipFresh(7 days);
        vm.prank(p2);
        vm.expectPartialRevert(IProviderRegistry.ExceedsCapacity.selector); // counted at the rating minted against
        registry.setPaused(hostB, true);
        assertFalse(registry.isLiquidatable(p2));
    }
}
