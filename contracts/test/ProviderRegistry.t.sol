// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {PermitSigner} from "./utils/PermitSigner.sol";
import {IRouter} from "../src/interfaces/IRouter.sol";
import {ProviderRegistry} from "../src/ProviderRegistry.sol";
import {IProviderRegistry} from "../src/interfaces/IProviderRegistry.sol";
import {IComputeStandard} from "../src/interfaces/IComputeStandard.sol";
import {Host, HostParams, Provider, RegistryConfig} from "../src/types/Provider.sol";
import {UsageReceipt} from "../src/types/Job.sol";
import {Parameters} from "../script/Parameters.sol";
import {Deployers} from "./utils/Deployers.sol";

contract ProviderRegistryTest is ProtocolFixture, PermitSigner {
    uint64 internal hostId;
    /// @dev A signer no host uses yet, for registration tests.
    uint256 internal spareKey;
    address internal spareSigner;

    function setUp() public override {
        super.setUp();
        hostId = registerHost(provider, hostKey, H100, 8, 30 days);
        spareKey = newSignerKey("spare");
        spareSigner = vm.addr(spareKey);
    }

    function params() internal view returns (HostParams memory) {
        return hostParams(spareSigner, H100, 8, 30 days);
    }

    function expectRegisterRevert(HostParams memory p, bytes memory err) internal {
        (uint256 deadline, bytes memory signature) = consent(spareKey, provider);
        vm.expectRevert(err);
        vm.prank(provider);
        registry.registerHost(p, deadline, signature);
    }

    function registerSpare(HostParams memory p) internal returns (uint256) {
        (uint256 deadline, bytes memory signature) = consent(spareKey, provider);
        vm.prank(provider);
        return registry.registerHost(p, deadline, signature);
    }

    /// @dev Moves the pool's price by swapping `usdcIn` USDC for SCU.
    function swapUsdcIn(uint256 usdcIn) internal {
        usdc.mint(address(pool), usdcIn);
        (uint112 r0, uint112 r1,) = pool.getReserves();
        bool usdcIs0 = pool.token0() == address(usdc);
        (uint256 rIn, uint256 rOut) = usdcIs0 ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        uint256 out = usdcIn * 997 * rOut / (rIn * 1000 + usdcIn * 997);
        pool.swap(usdcIs0, out, makeAddr("sink"));
    }

    function mintAs(address who, uint256 amount) internal {
        vm.prank(who);
        registry.mint(amount, who);
    }

    function retireAs(address who, uint256 amount) internal {
        vm.startPrank(who);
        scu.approve(address(registry), amount);
        registry.retire(amount);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- registerHost

    function test_registerHost_storesAndEmits() public {
        HostParams memory p = params();
        vm.expectEmit(address(registry));
        emit IProviderRegistry.HostRegistered(
            hostId + 1, provider, spareSigner, H100, 8, p.listedUntil, p.endpoint, p.region
        );
        uint256 id = registerSpare(p);
        Host memory h = registry.host(id);
        assertEq(h.provider, provider);
        assertEq(h.signer, spareSigner);
        assertEq(h.classId, H100);
        assertEq(h.gpuCount, 8);
        assertEq(h.listedUntil, p.listedUntil);
        assertEq(h.ratingWad, H100_RATING);
        assertEq(h.endpoint, p.endpoint);
        assertEq(h.region, p.region);
        assertEq(registry.hostsOf(provider).length, 2);
        assertEq(registry.hostCount(), id);
        assertEq(registry.hostOfSigner(spareSigner), id);
    }

    function test_registerHost_needsTheSignersOwnConsent() public {
        (address other, uint256 otherKey) = makeAddrAndKey("not the signer");
        (uint256 deadline, bytes memory signature) = consent(otherKey, provider);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.InvalidSignerConsent.selector, spareSigner, other));
        registry.registerHost(params(), deadline, signature);
    }

    function test_registerHost_aConsentServesOnlyTheProviderItNames() public {
        (uint256 deadline, bytes memory forProvider) = consent(spareKey, provider);
        address squatter = makeAddr("squatter");
        // Replayed by someone else: it recovers to some other address for the squatter's digest.
        (address recovered,,) = _recover(registry.signerConsentDigest(squatter, deadline), forProvider);
        vm.prank(squatter);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.InvalidSignerConsent.selector, spareSigner, recovered));
        registry.registerHost(params(), deadline, forProvider);
    }

    function test_registerHost_consentAtItsDeadlineAndNotAfter() public {
        (uint256 deadline, bytes memory signature) = consent(spareKey, provider);
        vm.warp(deadline + 1);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.SignerConsentExpired.selector, deadline, deadline + 1));
        registry.registerHost(params(), deadline, signature);
        vm.warp(deadline);
        HostParams memory p = params();
        vm.prank(provider);
        registry.registerHost(p, deadline, signature);
    }

    function test_registerHost_consentIsBoundToTheChainAndTheRegistry() public {
        HostParams memory p = params();
        (uint256 deadline, bytes memory signature) = consent(spareKey, provider);
        uint256 chainId = 31337; // a constant: via-ir may re-read block.chainid after vm.chainId
        vm.chainId(chainId + 1);
        vm.prank(provider);
        vm.expectRevert(); // recovers to another address under the other chain's domain
        registry.registerHost(p, deadline, signature);
        vm.chainId(chainId);
        ProviderRegistry other = Deployers.providerRegistry(scu, usdc, standard, oracle, Parameters.registryConfig());
        vm.prank(provider);
        vm.expectRevert();
        other.registerHost(p, deadline, signature);
    }

    function test_registerHost_refusesAMalleableConsent() public {
        uint256 deadline = vm.getBlockTimestamp() + 1 hours;
        bytes32 digest = registry.signerConsentDigest(provider, deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(spareKey, digest);
        bytes32 highS = bytes32(0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141 - uint256(s));
        assertEq(ecrecover(digest, v == 27 ? 28 : 27, r, highS), spareSigner);
        HostParams memory p = params();
        vm.prank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.InvalidSignerConsent.selector, spareSigner, address(0))
        );
        registry.registerHost(p, deadline, abi.encodePacked(r, highS, v == 27 ? uint8(28) : uint8(27)));
    }

    function test_registerHost_oneHostPerSigner() public {
        registerSpare(params());
        (uint256 deadline, bytes memory signature) = consent(spareKey, provider);
        HostParams memory again = params();
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.SignerInUse.selector, spareSigner, hostId + 1));
        registry.registerHost(again, deadline, signature);
    }

    function test_registerHost_revertsOnUnknownClass() public {
        HostParams memory p = params();
        p.classId = "tpu-v5";
        expectRegisterRevert(p, abi.encodeWithSelector(IComputeStandard.UnknownGpuClass.selector, bytes32("tpu-v5")));
    }

    function test_registerHost_revertsOnGpuCount() public {
        HostParams memory p = params();
        p.gpuCount = 0;
        expectRegisterRevert(p, abi.encodeWithSelector(IProviderRegistry.InvalidGpuCount.selector, 0, 1024));
        p.gpuCount = 1025;
        expectRegisterRevert(p, abi.encodeWithSelector(IProviderRegistry.InvalidGpuCount.selector, 1025, 1024));
    }

    function test_registerHost_revertsOnListingNowOrTooFar() public {
        HostParams memory p = params();
        uint256 max = block.timestamp + 730 days;
        p.listedUntil = uint64(block.timestamp);
        expectRegisterRevert(p, abi.encodeWithSelector(IProviderRegistry.InvalidListing.selector, block.timestamp, max));
        p.listedUntil = uint64(max + 1);
        expectRegisterRevert(p, abi.encodeWithSelector(IProviderRegistry.InvalidListing.selector, max + 1, max));
        p.listedUntil = uint64(max);
        registerSpare(p);
    }

    function test_registerHost_revertsOnEndpointAndRegionLength() public {
        HostParams memory p = params();
        p.endpoint = "";
        expectRegisterRevert(p, abi.encodeWithSelector(IProviderRegistry.InvalidEndpoint.selector, 0, 256));
        p.endpoint = string(new bytes(257));
        expectRegisterRevert(p, abi.encodeWithSelector(IProviderRegistry.InvalidEndpoint.selector, 257, 256));
        p.endpoint = "https://ok";
        p.region = string(new bytes(65));
        expectRegisterRevert(p, abi.encodeWithSelector(IProviderRegistry.InvalidRegion.selector, 65, 64));
    }

    function test_registerHost_revertsPastTheHostLimit() public {
        for (uint256 i = 1; i < 32; ++i) {
            registerHost(provider, newSignerKey("fleet"), H100, 1, 1 days);
        }
        expectRegisterRevert(params(), abi.encodeWithSelector(IProviderRegistry.TooManyHosts.selector, provider, 32));
    }

    // ---------------------------------------------------------------- host updates

    function test_setEndpoint_onlyByOwner() public {
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotHostOwner.selector, hostId, buyer));
        vm.prank(buyer);
        registry.setEndpoint(hostId, "https://evil.example.com");

        vm.expectEmit(address(registry));
        emit IProviderRegistry.HostEndpointChanged(hostId, "https://new.example.com");
        vm.prank(provider);
        registry.setEndpoint(hostId, "https://new.example.com");
        assertEq(registry.host(hostId).endpoint, "https://new.example.com");
    }

    function test_host_revertsOnUnknownHost() public {
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.UnknownHost.selector, 99));
        registry.host(99);
    }

    function test_setPaused_keepsTheMintBoundAndResumingIsFree() public {
        stake(provider, 100_000e6);
        mintAs(provider, 1_000e18);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.ExceedsCapacity.selector, provider, 1_000e18, 0));
        registry.setPaused(hostId, true);
        retireAs(provider, 1_000e18);
        vm.prank(provider);
        registry.setPaused(hostId, true);
        assertTrue(registry.host(hostId).paused);
        assertEq(registry.capacityOf(provider), 0);
        vm.prank(provider);
        registry.setPaused(hostId, false); // resuming only adds capacity
        assertGt(registry.capacityOf(provider), 0);
    }

    function test_setListedUntil_shorteningKeepsTheMintBound() public {
        stake(provider, 100_000e6);
        mintAs(provider, 1_000e18);
        uint64 soon = uint64(block.timestamp + 2 days);
        // The bound looks a day ahead: a listing ending in two days backs one day of capacity.
        uint256 bound = 8 * H100_RATING * 1 days / 3600 * MINT_RATIO_BPS / 10_000;
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.ExceedsCapacity.selector, provider, 1_000e18, bound));
        registry.setListedUntil(hostId, soon);
        vm.prank(provider);
        registry.setListedUntil(hostId, uint64(block.timestamp + 60 days));
    }

    function test_setListedUntil_extendingIsAllowedEvenOverTheBound() public {
        stake(provider, 1_000_000e6);
        mintAs(provider, registry.mintBound(provider));
        skipFresh(20 days); // the listing ran down: now over the bound
        assertGt(registry.provider(provider).obligation, registry.obligationBound(provider));
        uint64 longer = registry.host(hostId).listedUntil + 1 days; // part-way: still over the bound after
        vm.prank(provider);
        registry.setListedUntil(hostId, longer);
        assertEq(registry.host(hostId).listedUntil, longer);
        assertGt(registry.provider(provider).obligation, registry.obligationBound(provider));
    }

    // ---------------------------------------------------------------- capacity

    function testFuzz_capacityOf_isGpusTimesRatingTimesHoursLeft(uint32 gpus, uint32 listedFor, uint32 elapsed) public {
        gpus = uint32(bound(gpus, 1, 1024));
        listedFor = uint32(bound(listedFor, 1, 730 days));
        address p = makeAddr("fuzz provider");
        registerHost(p, newSignerKey("fuzz"), H100, gpus, listedFor);
        registerHost(p, newSignerKey("fuzz"), A100, 2, 1 days);
        uint256 start = vm.getBlockTimestamp();
        // The mint bound is the capacity a day ahead.
        uint256 aheadH100 = listedFor > 1 days ? listedFor - 1 days : 0;
        assertEq(registry.mintBound(p), (uint256(gpus) * H100_RATING * aheadH100 / 3600) * MINT_RATIO_BPS / 10_000);
        elapsed = uint32(bound(elapsed, 0, 800 days));
        vm.warp(start + elapsed);
        uint256 left = listedFor > elapsed ? listedFor - elapsed : 0;
        uint256 leftA100 = 1 days > elapsed ? 1 days - elapsed : 0;
        assertEq(registry.capacityOf(p), uint256(gpus) * H100_RATING * left / 3600 + 2 * 1e18 * leftA100 / 3600);
        assertEq(registry.obligationBound(p), registry.capacityOf(p) * MINT_RATIO_BPS / 10_000);
    }

    // ---------------------------------------------------------------- mint / retire

    function test_mint_atTheMintBoundAndNotAbove() public {
        stake(provider, 1_000_000e6);
        uint256 bound = registry.mintBound(provider);
        assertLt(bound, registry.obligationBound(provider));
        vm.startPrank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.ExceedsCapacity.selector, provider, bound + 1, bound));
        registry.mint(bound + 1, provider);
        vm.expectEmit(address(registry));
        emit IProviderRegistry.CreditsMinted(provider, buyer, bound, bound);
        registry.mint(bound, buyer);
        vm.stopPrank();
        assertEq(scu.balanceOf(buyer), bound);
        assertEq(registry.provider(provider).obligation, bound);
    }

    function test_mint_aMaxMintStaysUnliquidatableForTheHeadroomAndNotLonger() public {
        stake(provider, 1_000_000e6);
        uint256 start = vm.getBlockTimestamp();
        mintAs(provider, registry.mintBound(provider));
        vm.warp(start + registry.MINT_HEADROOM());
        assertFalse(registry.isLiquidatable(provider));
        vm.warp(start + registry.MINT_HEADROOM() + 1);
        assertTrue(registry.isLiquidatable(provider));
    }

    function test_mint_needsCollateralAtTheFloorBeforeAPricedWindow() public {
        // The TWAP since deployment averages an empty pool: the floor ($1) prices the obligation.
        stake(provider, 1_500e6 - 1);
        vm.prank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.InsufficientStake.selector, provider, 1_500e6 - 1, 1_500e6)
        );
        registry.mint(1_000e18, provider);
        stake(provider, 1);
        mintAs(provider, 1_000e18);
    }

    function test_mint_needsCollateralAtTheTwapOnceAWindowPassed() public {
        registry.observe();
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW);
        uint256 price = referencePrice();
        assertApproxEqRel(price, 1.4e6, 1e12); // the pool's $1.40, to UQ64.64 precision
        stake(provider, 1_500e6);
        vm.prank(provider);
        vm.expectRevert(); // 1,000 SCU now need $2,100
        registry.mint(1_000e18, provider);
        stake(provider, 600e6 + 1);
        mintAs(provider, 1_000e18);
    }

    function test_mint_revertsOnZero() public {
        vm.prank(provider);
        vm.expectRevert(IProviderRegistry.ZeroAmount.selector);
        registry.mint(0, provider);
    }

    function test_retire_burnsAndRetiresWithTheHoldersAllowance() public {
        stake(provider, 10_000e6);
        mintAs(provider, 1_000e18);
        vm.prank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.ExceedsObligation.selector, provider, 1_001e18, 1_000e18)
        );
        registry.retire(1_001e18);
        vm.prank(provider);
        vm.expectRevert(); // no allowance: burning needs the holder's consent
        registry.retire(400e18);
        retireAs(provider, 400e18);
        assertEq(scu.balanceOf(provider), 600e18);
        assertEq(registry.provider(provider).obligation, 600e18);
    }

    function test_retireWithPermit_needsNoApproval() public {
        (address who, uint256 key) = makeAddrAndKey("permit provider");
        registerHost(who, newSignerKey("permit"), H100, 8, 30 days);
        stake(who, 10_000e6);
        mintAs(who, 100e18);
        IRouter.PermitSignature memory sig = signPermit(scu, key, who, address(registry), 40e18);
        vm.prank(who);
        registry.retireWithPermit(40e18, sig);
        assertEq(registry.provider(who).obligation, 60e18);
        assertEq(scu.balanceOf(who), 60e18);
    }

    // ---------------------------------------------------------------- ratings

    function test_mint_raisesTheCountedRatingAndAFallNeverLiquidates() public {
        stake(provider, 1_000_000e6);
        vm.prank(owner);
        standard.setRating(H100, 3e18);
        vm.warp(vm.getBlockTimestamp() + standard.RATING_NOTICE());
        skipFresh(TWAP_WINDOW);
        vm.expectEmit(address(registry));
        emit IProviderRegistry.HostRatingRaised(hostId, 3e18);
        mintAs(provider, registry.mintBound(provider) / 2); // against the raised rating
        assertEq(registry.host(hostId).ratingWad, 3e18);
        vm.prank(owner);
        standard.setRating(H100, 1e18);
        vm.warp(vm.getBlockTimestamp() + standard.RATING_NOTICE());
        assertEq(standard.ratingOf(H100), 1e18);
        assertFalse(registry.isLiquidatable(provider)); // counted at 3: a fall applies forward only
        assertEq(registry.mintBound(provider) < registry.provider(provider).obligation, true);
    }

    // ---------------------------------------------------------------- the reference price

    function test_referencePrice_ignoresAPriceMovedInTheSameBlock() public {
        registry.observe();
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW);
        uint256 before = referencePrice();
        swapUsdcIn(1_000_000e6); // price nearly ×4 at the spot
        assertEq(referencePrice(), before);
    }

    function test_referencePrice_followsAPriceHeldForAWindow() public {
        registry.observe();
        swapUsdcIn(400_000e6);
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW);
        (uint112 r0, uint112 r1,) = pool.getReserves();
        (uint256 rUsdc, uint256 rScu) =
            pool.token0() == address(usdc) ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        assertApproxEqRel(referencePrice(), rUsdc * 1e18 / rScu, 1e12);
    }

    function test_referencePrice_neverBelowTheFloorButTheTwapIsTheMarkets() public {
        registry.observe();
        // Sell SCU until it trades under $1.
        vm.prank(whale);
        registry.mint(500_000e18, address(pool));
        pool.sync();
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW);
        assertEq(referencePrice(), FLOOR_PRICE);
        (uint256 twap, uint256 price, bool fresh,,,) = registry.priceState();
        assertTrue(fresh);
        assertEq(price, FLOOR_PRICE);
        assertApproxEqRel(twap, 0.933e6, 0.01e18); // 1.4M USDC against 1.5M SCU
    }

    function test_referencePrice_spansOneToTwoWindowsOrNone() public {
        registry.observe();
        uint256 observed = vm.getBlockTimestamp();
        vm.warp(observed + TWAP_WINDOW - 1);
        referencePrice(); // the reading before this one is still fresh
        vm.warp(observed + 2 * TWAP_WINDOW);
        referencePrice(); // two windows: the oldest span allowed
        vm.warp(observed + 2 * TWAP_WINDOW + 1);
        (, uint256 price, bool fresh, uint256 newest, uint256 booking,) = registry.priceState();
        assertFalse(fresh);
        assertEq(price, 0);
        assertEq(newest, observed);
        assertEq(booking, FLOOR_PRICE); // jobs are still booked, at the floor
        // A reading now is usable a window later.
        registry.observe();
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW - 1);
        (,, fresh,,,) = registry.priceState();
        assertFalse(fresh);
        vm.warp(vm.getBlockTimestamp() + 1);
        referencePrice();
    }

    function test_referencePrice_aKeeperEveryHalfWindowKeepsItFresh() public {
        for (uint256 i; i < 40; ++i) {
            vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW / 2);
            registry.observe();
            referencePrice();
        }
    }

    function test_mintAndLiquidate_refuseAStalePrice() public {
        stake(provider, 100_000e6);
        mintAs(provider, 100e18);
        uint256 lastReading = vm.getBlockTimestamp() - TWAP_WINDOW; // the seed's, a window before setUp ended
        vm.warp(vm.getBlockTimestamp() + 3 days); // nobody observed since
        bytes memory stale = abi.encodeWithSelector(IProviderRegistry.PriceStale.selector, lastReading + TWAP_WINDOW);
        vm.prank(provider);
        vm.expectRevert(stale);
        registry.mint(1e18, provider);
        vm.expectRevert(stale);
        registry.liquidate(provider, 1e18, buyer);
        vm.warp(vm.getBlockTimestamp() + 30 days); // the listing ended: the capacity rule needs no price
        assertTrue(registry.isLiquidatable(provider));
    }

    // ---------------------------------------------------------------- stake

    function test_stakeWithPermit_needsNoApproval() public {
        (address who, uint256 key) = makeAddrAndKey("permit provider");
        usdc.mint(who, 500e6);
        IRouter.PermitSignature memory sig = signPermit(usdc, key, who, address(registry), 500e6);
        vm.expectEmit(address(registry));
        emit IProviderRegistry.Staked(who, 500e6);
        vm.prank(who);
        registry.stakeWithPermit(500e6, sig);
        assertEq(registry.provider(who).stake, 500e6);
        assertEq(usdc.balanceOf(who), 0);
        assertEq(usdc.allowance(who, address(registry)), 0);
    }

    function test_stakeWithPermit_usesThePermitSomeoneElseSubmittedFirst() public {
        (address who, uint256 key) = makeAddrAndKey("permit provider");
        usdc.mint(who, 500e6);
        IRouter.PermitSignature memory sig = signPermit(usdc, key, who, address(registry), 500e6);
        // Seen in the mempool and submitted ahead: the registry's own permit call then reverts.
        usdc.permit(who, address(registry), sig.value, sig.deadline, sig.v, sig.r, sig.s);
        vm.prank(who);
        registry.stakeWithPermit(500e6, sig);
        assertEq(registry.provider(who).stake, 500e6);
    }

    function test_stakeWithPermit_revertsOnABadPermitWithoutAllowance() public {
        (address who,) = makeAddrAndKey("permit provider");
        (, uint256 otherKey) = makeAddrAndKey("other");
        usdc.mint(who, 500e6);
        IRouter.PermitSignature memory sig = signPermit(usdc, otherKey, who, address(registry), 500e6);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.PermitFailed.selector, 0, 500e6));
        vm.prank(who);
        registry.stakeWithPermit(500e6, sig);
    }

    function test_withdraw_atTheUnlockTimeAndNotBefore() public {
        stake(provider, 1_000e6);
        vm.prank(provider);
        registry.requestUnbond(400e6);
        uint256 unlocksAt = vm.getBlockTimestamp() + UNBONDING_DELAY;
        vm.warp(unlocksAt - 1);
        vm.prank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.UnbondingLocked.selector, provider, unlocksAt, unlocksAt - 1)
        );
        registry.withdraw(provider);
        vm.warp(unlocksAt);
        vm.prank(provider);
        registry.withdraw(buyer); // no obligation: no price needed
        assertEq(usdc.balanceOf(buyer), 400e6);
        assertEq(registry.provider(provider).stake, 600e6);
    }

    function test_withdraw_theRequestLapsesAfterItsWindow() public {
        stake(provider, 1_000e6);
        vm.prank(provider);
        registry.requestUnbond(400e6);
        uint256 expiresAt = vm.getBlockTimestamp() + UNBONDING_DELAY + registry.UNBOND_WINDOW();
        vm.warp(expiresAt);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.UnbondExpired.selector, provider, expiresAt));
        registry.withdraw(provider);
        vm.warp(expiresAt - 1);
        vm.prank(provider);
        registry.withdraw(provider);
    }

    function test_withdraw_keepsStakeThatBacksTheObligation() public {
        stake(provider, 2_000e6);
        mintAs(provider, 500e18);
        vm.prank(provider);
        registry.requestUnbond(2_000e6);
        skipFresh(UNBONDING_DELAY);
        uint256 required = registry.requiredStake(provider); // 150% × 500 SCU × the pool's TWAP (≈ $1.40)
        assertApproxEqRel(required, 1_050e6, 1e12);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.InsufficientStake.selector, provider, 0, required));
        registry.withdraw(provider);
        vm.prank(provider);
        registry.requestUnbond(2_000e6 - required);
        skipFresh(UNBONDING_DELAY);
        vm.prank(provider);
        registry.withdraw(provider);
        assertEq(registry.provider(provider).stake, required);
    }

    function test_withdraw_withAnObligationNeedsAFreshPrice() public {
        stake(provider, 2_000e6);
        mintAs(provider, 10e18);
        vm.prank(provider);
        registry.requestUnbond(100e6);
        vm.warp(vm.getBlockTimestamp() + UNBONDING_DELAY);
        vm.prank(provider);
        vm.expectRevert(); // PriceStale: a stale low price could let under-collateralised stake leave
        registry.withdraw(provider);
    }

    function test_withdraw_revertsWithoutARequest() public {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NothingUnbonding.selector, provider));
        registry.withdraw(provider);
    }

    function test_requestUnbond_revertsAboveTheStake() public {
        stake(provider, 10e6);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.InsufficientStake.selector, provider, 10e6, 11e6));
        registry.requestUnbond(11e6);
    }

    // ---------------------------------------------------------------- liquidation

    function test_liquidate_revertsForAHealthyProvider() public {
        stake(provider, 10_000e6);
        mintAs(provider, 1_000e18);
        assertFalse(registry.isLiquidatable(provider));
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotLiquidatable.selector, provider));
        registry.liquidate(provider, 1e18, buyer);
    }

    function test_liquidate_pastTheListingBurnsAndPaysABonus() public {
        stake(provider, 10_000e6);
        mintAs(provider, 1_000e18);
        skipFresh(30 days); // the listing ended: capacity 0, so all of the obligation may go
        assertTrue(registry.isLiquidatable(provider));
        uint256 supply = scu.totalSupply();
        address liquidator = makeAddr("liquidator");
        vm.prank(liquidator);
        uint256 cost = registry.liquidate(provider, 1_000e18, liquidator);
        assertApproxEqRel(cost, 1_404e6, 0.01e18); // $1.40 plus the fee and a little impact
        assertEq(usdc.balanceOf(liquidator), cost * BONUS_BPS / 10_000);
        assertEq(scu.totalSupply(), supply - 1_000e18);
        Provider memory p = registry.provider(provider);
        assertEq(p.obligation, 0);
        assertEq(p.stake, 10_000e6 - cost - cost * BONUS_BPS / 10_000);
    }

    function test_liquidate_belowCollateralWhenThePriceRises() public {
        registry.observe();
        stake(provider, 1_500e6);
        mintAs(provider, 1_000e18); // exactly 150% at the $1 floor
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW); // the TWAP reads $1.40: needs $2,100
        assertTrue(registry.isLiquidatable(provider));
        registry.liquidate(provider, 100e18, makeAddr("liquidator"));
        assertEq(registry.provider(provider).obligation, 900e18);
    }

    /// @dev The most a liquidation may take, read from the refusal of a larger one.
    function liquidationLimit(address who, uint256 tooMuch) internal returns (uint256 most) {
        (bool ok, bytes memory data) = address(registry).call(abi.encodeCall(registry.liquidate, (who, tooMuch, buyer)));
        assertFalse(ok);
        assertEq(bytes4(data), IProviderRegistry.LiquidationExceedsShortfall.selector);
        assembly ("memory-safe") {
            most := mload(add(data, 100)) // selector, provider, amount, then the limit
        }
    }

    function test_liquidate_takesOnlyWhatRestoresCollateralPlusTheBuffer() public {
        registry.observe();
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW);
        uint256 price = referencePrice(); // ≈ $1.40
        stake(provider, (1_000 * 15_000 * price + 9_999) / 10_000); // exactly 150% of 1,000 SCU
        mintAs(provider, 1_000e18);
        swapUsdcIn(7_000e6); // the pool rises ≈ 1% and holds for a window: $21 short
        skipFresh(TWAP_WINDOW);
        assertTrue(registry.isLiquidatable(provider));
        uint256 most = liquidationLimit(provider, 1_000e18);
        // ≈ $21 ÷ (150% × $1.414 − $1.414 × 1.05 × 1.05 freed per SCU) ≈ 37 SCU, plus 10%: not the whole book.
        assertGt(most, 30e18);
        assertLt(most, 50e18);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.LiquidationExceedsShortfall.selector, provider, most + 1, most)
        );
        registry.liquidate(provider, most + 1, buyer);
        registry.liquidate(provider, most, buyer);
        Provider memory p = registry.provider(provider);
        price = referencePrice();
        assertGe(uint256(p.stake) * 10_000 * 1e18, uint256(p.obligation) * 15_000 * price); // healthy again
        assertFalse(registry.isLiquidatable(provider));
    }

    function test_liquidate_aDustCapacityExcessTakesOnlyTheExcessPlusTheBuffer() public {
        stake(provider, 1_000_000e6);
        uint256 minted = registry.mintBound(provider);
        mintAs(provider, minted);
        skipFresh(registry.MINT_HEADROOM() + 60); // the bound fell a minute's worth under the obligation
        uint256 excess = minted - registry.obligationBound(provider);
        assertGt(excess, 0);
        uint256 allowed = (excess * 11_000 + 9_999) / 10_000;
        vm.expectRevert(
            abi.encodeWithSelector(
                IProviderRegistry.LiquidationExceedsShortfall.selector, provider, allowed + 1, allowed
            )
        );
        registry.liquidate(provider, allowed + 1, buyer);
        registry.liquidate(provider, allowed, buyer);
        assertLt(allowed, minted / 1000); // a minute of the listing's run-down, not the whole obligation
    }

    function test_liquidate_revertsWhenThePoolIsAboveTheBound() public {
        stake(provider, 10_000e6);
        mintAs(provider, 1_000e18);
        skipFresh(30 days);
        swapUsdcIn(200_000e6); // spot ≈ $1.85, TWAP still $1.40: at most $1.47 per SCU
        vm.expectRevert();
        registry.liquidate(provider, 100e18, buyer);
    }

    function test_liquidate_revertsAboveTheObligation() public {
        stake(provider, 10_000e6);
        mintAs(provider, 1_000e18);
        skipFresh(30 days);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.ExceedsObligation.selector, provider, 1_001e18, 1_000e18)
        );
        registry.liquidate(provider, 1_001e18, buyer);
    }

    // ---------------------------------------------------------------- escrow hooks and wiring

    function test_hooks_onlyTheEscrow() public {
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotEscrow.selector, address(this)));
        registry.reserve(hostId, 1, 3600, block.timestamp + 3600);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotSlasher.selector, address(this)));
        registry.slash(provider, buyer, 1);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotVerifier.selector, address(this)));
        registry.setVerification(hostId, type(uint64).max, 0, false);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotVerifier.selector, address(this)));
        registry.recordFailedChallenge(hostId);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotEscrow.selector, address(this)));
        registry.openDispute(provider, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotEscrow.selector, address(this)));
        registry.closeDispute(provider, 1, 1);
    }

    function test_setEscrow_onlyByTheDeployer() public {
        ProviderRegistry fresh = Deployers.providerRegistry(scu, usdc, standard, oracle, Parameters.registryConfig());
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotDeployer.selector, buyer));
        fresh.setEscrow(address(escrow), address(verifier));
    }

    function test_constructor_boundsEachParameter() public {
        RegistryConfig memory c = Parameters.registryConfig();
        c.collateralRatioBps = 9_999;
        vm.expectRevert(
            abi.encodeWithSelector(
                IProviderRegistry.InvalidParameter.selector, bytes32("collateralRatioBps"), 9_999, 10_000, 100_000
            )
        );
        Deployers.providerRegistry(scu, usdc, standard, oracle, c);
        c = Parameters.registryConfig();
        c.mintRatioBps = 0;
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.InvalidParameter.selector, bytes32("mintRatioBps"), 0, 1, 10_000)
        );
        Deployers.providerRegistry(scu, usdc, standard, oracle, c);
    }

    function test_constructor_collateralMustOutweighWhatALiquidationCosts() public {
        RegistryConfig memory c = Parameters.registryConfig();
        c.collateralRatioBps = 11_025; // = 1.05 × 1.05: liquidating would not improve health
        vm.expectRevert(
            abi.encodeWithSelector(
                IProviderRegistry.InvalidParameter.selector, bytes32("collateralRatioBps"), 11_025, 11_026, 100_000
            )
        );
        Deployers.providerRegistry(scu, usdc, standard, oracle, c);
        c.collateralRatioBps = 11_026;
        Deployers.providerRegistry(scu, usdc, standard, oracle, c);
    }

    function test_setEscrow_once() public {
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.EscrowAlreadySet.selector, address(escrow)));
        registry.setEscrow(address(escrow), address(verifier));
    }

    function test_setEscrow_needsAnUnbondingDelayPastTheLongestJob() public {
        uint256 life = escrow.maxJobLife();
        assertEq(life, 2 * START_TIMEOUT + 7 days + RECEIPT_GRACE + DISPUTE_WINDOW);
        RegistryConfig memory c = Parameters.registryConfig();
        c.unbondingDelay = uint32(life - 1);
        ProviderRegistry short = Deployers.providerRegistry(scu, usdc, standard, oracle, c);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.UnbondingDelayTooShort.selector, life - 1, life));
        short.setEscrow(address(escrow), address(verifier));
        c.unbondingDelay = uint32(life);
        Deployers.providerRegistry(scu, usdc, standard, oracle, c).setEscrow(address(escrow), address(verifier));
    }

    // ---------------------------------------------------------------- reliability

    function test_reliabilityOf_startsEven() public view {
        (
            uint256 score,
            uint32 completed,
            uint32 noShows,
            uint32 lost,
            uint64 served,
            uint64 failed,
            uint32 challenges
        ) = registry.reliabilityOf(provider);
        assertEq(score, 5000);
        assertEq(completed + noShows + lost + challenges, 0);
        assertEq(served + failed, 0);
    }

    function test_reliabilityOf_weighsGpuTime() public {
        stake(provider, 100_000e6);
        for (uint256 i; i < 3; ++i) {
            uint256 jobId = createJob(buyer, hostId, 2, 1 hours);
            vm.prank(hostSigner);
            escrow.start(jobId);
            vm.warp(vm.getBlockTimestamp() + 10 minutes);
            UsageReceipt memory r = receipt(jobId, 0.3e18, vm.getBlockTimestamp());
            escrow.submitReceipt(r, sign(hostKey, r));
            vm.prank(buyer);
            escrow.confirm(jobId);
        }
        uint256 late = createJob(buyer, hostId, 1, 1 hours);
        vm.prank(hostSigner);
        escrow.start(late);
        vm.warp(vm.getBlockTimestamp() + 1 hours + RECEIPT_GRACE);
        escrow.reclaim(late); // started and never receipted: a no-show of one GPU-hour
        (uint256 score, uint32 completed, uint32 noShows,, uint64 served, uint64 failed,) =
            registry.reliabilityOf(provider);
        assertEq(completed, 3);
        assertEq(noShows, 1);
        assertEq(served, 3 * 2 * 10 minutes);
        assertEq(failed, 1 hours);
        assertEq(score, (uint256(3600) + 3600) * 10_000 / (3600 + 3600 + 7200)); // 50%: an hour served, an hour failed
    }

    function _recover(bytes32 digest, bytes memory signature) internal pure returns (address, uint8, bytes32) {
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        return (ecrecover(digest, v, r, s), v, s);
    }
}
