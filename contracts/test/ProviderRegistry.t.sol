// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {PermitSigner} from "./utils/PermitSigner.sol";
import {IRouter} from "../src/interfaces/IRouter.sol";
import {ProviderRegistry} from "../src/ProviderRegistry.sol";
import {IProviderRegistry} from "../src/interfaces/IProviderRegistry.sol";
import {IComputeStandard} from "../src/interfaces/IComputeStandard.sol";
import {IPool} from "../src/interfaces/IPool.sol";
import {Host, HostParams, Provider, RegistryConfig} from "../src/types/Provider.sol";
import {UsageReceipt} from "../src/types/Job.sol";

contract ProviderRegistryTest is ProtocolFixture, PermitSigner {
    uint64 internal hostId;

    function setUp() public override {
        super.setUp();
        hostId = registerHost(provider, hostSigner, H100, 8, 30 days);
    }

    function params() internal view returns (HostParams memory) {
        return HostParams({
            signer: hostSigner,
            classId: H100,
            gpuCount: 8,
            listedUntil: uint64(block.timestamp + 30 days),
            endpoint: "https://gpu.example.com",
            region: "eu-west"
        });
    }

    function expectRegisterRevert(HostParams memory p, bytes memory err) internal {
        vm.expectRevert(err);
        vm.prank(provider);
        registry.registerHost(p);
    }

    /// @dev Moves the pool's price by swapping `usdcIn` USDC for SCU (or SCU for USDC when negative).
    function swapUsdcIn(uint256 usdcIn) internal {
        usdc.mint(address(pool), usdcIn);
        (uint112 r0, uint112 r1,) = pool.getReserves();
        bool usdcIs0 = pool.token0() == address(usdc);
        (uint256 rIn, uint256 rOut) = usdcIs0 ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        uint256 out = usdcIn * 997 * rOut / (rIn * 1000 + usdcIn * 997);
        pool.swap(usdcIs0, out, makeAddr("sink"));
    }

    // ---------------------------------------------------------------- registerHost

    function test_registerHost_storesAndEmits() public {
        HostParams memory p = params();
        vm.expectEmit(address(registry));
        emit IProviderRegistry.HostRegistered(
            hostId + 1, provider, hostSigner, H100, 8, p.listedUntil, p.endpoint, p.region
        );
        vm.prank(provider);
        uint256 id = registry.registerHost(p);
        Host memory h = registry.host(id);
        assertEq(h.provider, provider);
        assertEq(h.signer, hostSigner);
        assertEq(h.classId, H100);
        assertEq(h.gpuCount, 8);
        assertEq(h.listedUntil, p.listedUntil);
        assertEq(h.endpoint, p.endpoint);
        assertEq(h.region, p.region);
        assertEq(registry.hostsOf(provider).length, 2);
        assertEq(registry.hostCount(), id);
    }

    function test_registerHost_revertsOnZeroSigner() public {
        HostParams memory p = params();
        p.signer = address(0);
        expectRegisterRevert(p, abi.encodeWithSelector(IProviderRegistry.InvalidSigner.selector));
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
        vm.prank(provider);
        registry.registerHost(p);
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
            registerHost(provider, hostSigner, H100, 1, 1 days);
        }
        expectRegisterRevert(
            params(), abi.encodeWithSelector(IProviderRegistry.TooManyHosts.selector, provider, 32)
        );
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

    function test_setPaused_keepsTheCapacityBound() public {
        stake(provider, 100_000e6);
        vm.startPrank(provider);
        registry.mint(1_000e18, provider);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.ExceedsCapacity.selector, provider, 1_000e18, 0)
        );
        registry.setPaused(hostId, true);
        registry.retire(1_000e18);
        registry.setPaused(hostId, true);
        vm.stopPrank();
        assertTrue(registry.host(hostId).paused);
        assertEq(registry.capacityOf(provider), 0);
    }

    function test_setListedUntil_keepsTheCapacityBound() public {
        stake(provider, 100_000e6);
        vm.startPrank(provider);
        registry.mint(1_000e18, provider);
        uint64 soon = uint64(block.timestamp + 1 days);
        uint256 bound = 8 * H100_RATING * 1 days / 3600 * MINT_RATIO_BPS / 10_000;
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.ExceedsCapacity.selector, provider, 1_000e18, bound)
        );
        registry.setListedUntil(hostId, soon);
        registry.setListedUntil(hostId, uint64(block.timestamp + 60 days));
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- capacity

    function testFuzz_capacityOf_isGpusTimesRatingTimesHoursLeft(uint32 gpus, uint32 listedFor, uint32 elapsed)
        public
    {
        gpus = uint32(bound(gpus, 1, 1024));
        listedFor = uint32(bound(listedFor, 1, 730 days));
        address p = makeAddr("fuzz provider");
        registerHost(p, hostSigner, H100, gpus, listedFor);
        registerHost(p, hostSigner, A100, 2, 1 days);
        elapsed = uint32(bound(elapsed, 0, 800 days));
        vm.warp(vm.getBlockTimestamp() + elapsed);
        uint256 left = listedFor > elapsed ? listedFor - elapsed : 0;
        uint256 leftA100 = 1 days > elapsed ? 1 days - elapsed : 0;
        assertEq(registry.capacityOf(p), uint256(gpus) * H100_RATING * left / 3600 + 2 * 1e18 * leftA100 / 3600);
        assertEq(registry.obligationBound(p), registry.capacityOf(p) * MINT_RATIO_BPS / 10_000);
    }

    // ---------------------------------------------------------------- mint / retire

    function test_mint_atTheBoundAndNotAbove() public {
        stake(provider, 1_000_000e6);
        uint256 bound = registry.obligationBound(provider);
        vm.startPrank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.ExceedsCapacity.selector, provider, bound + 1, bound)
        );
        registry.mint(bound + 1, provider);
        vm.expectEmit(address(registry));
        emit IProviderRegistry.CreditsMinted(provider, buyer, bound, bound);
        registry.mint(bound, buyer);
        vm.stopPrank();
        assertEq(scu.balanceOf(buyer), bound);
        assertEq(registry.provider(provider).obligation, bound);
    }

    function test_mint_needsCollateralAtTheFloorBeforeATwap() public {
        // No observation a window old yet: the floor ($1) prices the obligation. 1,000 SCU × 150% × $1.
        stake(provider, 1_500e6 - 1);
        vm.prank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.InsufficientStake.selector, provider, 1_500e6 - 1, 1_500e6)
        );
        registry.mint(1_000e18, provider);
        stake(provider, 1);
        vm.prank(provider);
        registry.mint(1_000e18, provider);
    }

    function test_mint_needsCollateralAtTheTwapOnceAWindowPassed() public {
        registry.observe();
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW);
        uint256 price = registry.referencePrice();
        assertApproxEqRel(price, 1.4e6, 1e12); // the pool's $1.40, to UQ64.64 precision
        stake(provider, 1_500e6);
        vm.prank(provider);
        vm.expectRevert(); // 1,000 SCU now need $2,100
        registry.mint(1_000e18, provider);
        stake(provider, 600e6 + 1);
        vm.prank(provider);
        registry.mint(1_000e18, provider);
    }

    function test_mint_revertsOnZero() public {
        vm.prank(provider);
        vm.expectRevert(IProviderRegistry.ZeroAmount.selector);
        registry.mint(0, provider);
    }

    function test_retire_burnsAndRetires() public {
        stake(provider, 10_000e6);
        vm.startPrank(provider);
        registry.mint(1_000e18, provider);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.ExceedsObligation.selector, provider, 1_001e18, 1_000e18)
        );
        registry.retire(1_001e18);
        registry.retire(400e18);
        vm.stopPrank();
        assertEq(scu.balanceOf(provider), 600e18);
        assertEq(registry.provider(provider).obligation, 600e18);
    }

    // ---------------------------------------------------------------- the reference price

    function test_referencePrice_ignoresAPriceMovedInTheSameBlock() public {
        registry.observe();
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW);
        uint256 before = registry.referencePrice();
        swapUsdcIn(1_000_000e6); // price nearly ×4 at the spot
        assertEq(registry.referencePrice(), before);
    }

    function test_referencePrice_followsAPriceHeldForAWindow() public {
        registry.observe();
        swapUsdcIn(400_000e6);
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW);
        (uint112 r0, uint112 r1,) = pool.getReserves();
        (uint256 rUsdc, uint256 rScu) = pool.token0() == address(usdc) ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        assertApproxEqRel(registry.referencePrice(), rUsdc * 1e18 / rScu, 1e12);
    }

    function test_referencePrice_neverBelowTheFloor() public {
        registry.observe();
        // Sell SCU until it trades under $1.
        vm.prank(whale);
        registry.mint(500_000e18, address(pool));
        pool.sync();
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW);
        assertEq(registry.referencePrice(), FLOOR_PRICE);
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
        registry.withdraw(buyer);
        assertEq(usdc.balanceOf(buyer), 400e6);
        assertEq(registry.provider(provider).stake, 600e6);
    }

    function test_withdraw_keepsStakeThatBacksTheObligation() public {
        stake(provider, 2_000e6);
        vm.startPrank(provider);
        registry.mint(500e18, provider);
        registry.requestUnbond(2_000e6);
        vm.warp(vm.getBlockTimestamp() + UNBONDING_DELAY);
        uint256 required = registry.requiredStake(provider); // 150% × 500 SCU × the pool's TWAP (≈ $1.40)
        assertApproxEqRel(required, 1_050e6, 1e12);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.InsufficientStake.selector, provider, 0, required)
        );
        registry.withdraw(provider);
        registry.requestUnbond(2_000e6 - required);
        vm.warp(vm.getBlockTimestamp() + UNBONDING_DELAY);
        registry.withdraw(provider);
        vm.stopPrank();
        assertEq(registry.provider(provider).stake, required);
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
        vm.prank(provider);
        registry.mint(1_000e18, provider);
        assertFalse(registry.isLiquidatable(provider));
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotLiquidatable.selector, provider));
        registry.liquidate(provider, 1e18, buyer);
    }

    function test_liquidate_pastTheListingBurnsAndPaysABonus() public {
        stake(provider, 10_000e6);
        vm.prank(provider);
        registry.mint(1_000e18, provider);
        vm.warp(vm.getBlockTimestamp() + 30 days); // the listing ended: capacity 0
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
        vm.prank(provider);
        registry.mint(1_000e18, provider); // exactly 150% at the $1 floor
        vm.warp(vm.getBlockTimestamp() + TWAP_WINDOW); // the TWAP reads $1.40: needs $2,100
        assertTrue(registry.isLiquidatable(provider));
        registry.liquidate(provider, 100e18, makeAddr("liquidator"));
        assertEq(registry.provider(provider).obligation, 900e18);
    }

    function test_liquidate_revertsWhenThePoolIsAboveTheBound() public {
        stake(provider, 10_000e6);
        vm.prank(provider);
        registry.mint(1_000e18, provider);
        registry.observe();
        vm.warp(vm.getBlockTimestamp() + 30 days);
        swapUsdcIn(200_000e6); // spot ≈ $1.85, TWAP still $1.40: at most $1.47 per SCU
        vm.expectRevert();
        registry.liquidate(provider, 100e18, buyer);
    }

    function test_liquidate_revertsAboveTheObligation() public {
        stake(provider, 10_000e6);
        vm.prank(provider);
        registry.mint(1_000e18, provider);
        vm.warp(vm.getBlockTimestamp() + 30 days);
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.ExceedsObligation.selector, provider, 1_001e18, 1_000e18)
        );
        registry.liquidate(provider, 1_001e18, buyer);
    }

    // ---------------------------------------------------------------- escrow hooks and wiring

    function test_hooks_onlyTheEscrow() public {
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotEscrow.selector, address(this)));
        registry.reserve(hostId, 1, 3600, block.timestamp + 3600);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotEscrow.selector, address(this)));
        registry.slash(provider, buyer, 1);
    }

    function test_setEscrow_onlyByTheDeployer() public {
        ProviderRegistry fresh = new ProviderRegistry(scu, usdc, standard, pool, registryConfig());
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.NotDeployer.selector, buyer));
        fresh.setEscrow(address(escrow));
    }

    function test_constructor_boundsEachParameter() public {
        RegistryConfig memory c = registryConfig();
        c.collateralRatioBps = 9_999;
        vm.expectRevert(
            abi.encodeWithSelector(IProviderRegistry.InvalidParameter.selector, bytes32("collateralRatioBps"), 9_999, 10_000, 100_000)
        );
        new ProviderRegistry(scu, usdc, standard, pool, c);
        c = registryConfig();
        c.mintRatioBps = 0;
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.InvalidParameter.selector, bytes32("mintRatioBps"), 0, 1, 10_000));
        new ProviderRegistry(scu, usdc, standard, pool, c);
    }

    function test_setEscrow_once() public {
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.EscrowAlreadySet.selector, address(escrow)));
        registry.setEscrow(address(escrow));
    }

    function test_setEscrow_needsAnUnbondingDelayPastTheLongestJob() public {
        uint256 life = escrow.maxJobLife();
        assertEq(life, START_TIMEOUT + 7 days + RECEIPT_GRACE + DISPUTE_WINDOW);
        RegistryConfig memory c = registryConfig();
        c.unbondingDelay = uint32(life - 1);
        ProviderRegistry short = new ProviderRegistry(scu, usdc, standard, pool, c);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.UnbondingDelayTooShort.selector, life - 1, life));
        short.setEscrow(address(escrow));
        c.unbondingDelay = uint32(life);
        new ProviderRegistry(scu, usdc, standard, pool, c).setEscrow(address(escrow));
    }

    // ---------------------------------------------------------------- reliability

    function test_reliabilityOf_startsEven() public view {
        (uint256 score, uint32 completed, uint32 noShows, uint32 lost) = registry.reliabilityOf(provider);
        assertEq(score, 5000);
        assertEq(completed + noShows + lost, 0);
    }

    function test_reliabilityOf_countsOutcomes() public {
        stake(provider, 100_000e6);
        for (uint256 i; i < 3; ++i) {
            uint256 jobId = createJob(buyer, hostId, 1, 1 hours);
            vm.prank(hostSigner);
            escrow.start(jobId);
            vm.warp(vm.getBlockTimestamp() + 10 minutes);
            UsageReceipt memory r = receipt(jobId, 0.3e18, vm.getBlockTimestamp());
            escrow.submitReceipt(r, sign(hostKey, r));
            vm.prank(buyer);
            escrow.confirm(jobId);
        }
        uint256 late = createJob(buyer, hostId, 1, 1 hours);
        vm.warp(vm.getBlockTimestamp() + START_TIMEOUT);
        vm.prank(buyer);
        escrow.cancel(late);
        (uint256 score, uint32 completed, uint32 noShows,) = registry.reliabilityOf(provider);
        assertEq(completed, 3);
        assertEq(noShows, 1);
        assertEq(score, uint256(4 * 10_000) / 6);
    }
}
