// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {ComputeCredit} from "../../../src/ComputeCredit.sol";
import {ProviderRegistry} from "../../../src/ProviderRegistry.sol";
import {JobEscrow} from "../../../src/JobEscrow.sol";
import {Router} from "../../../src/Router.sol";
import {Job, JobParams, JobStatus, UsageReceipt} from "../../../src/types/Job.sol";
import {Host, HostParams} from "../../../src/types/Provider.sol";
import {MockERC20} from "../../utils/MockERC20.sol";

/// @notice Drives providers, buyers, hosts, a trader and the arbiter through the protocol: minting, retiring,
/// staking, unbonding, liquidating, and every step of a job's life, with time passing. It measures each payout
/// by balances (not by what the escrow says it paid) into ghost records the invariants check.
contract ProtocolHandler is CommonBase, StdCheats, StdUtils {
    ComputeCredit public immutable scu;
    MockERC20 public immutable usdc;
    ProviderRegistry public immutable registry;
    JobEscrow public immutable escrow;
    Router public immutable router;
    address public immutable arbiter;

    address[] public providers;
    uint64[] public hosts; // hosts[i] belongs to providers[i]
    uint256[] internal _hostKeys;
    address[] public buyers;
    address internal immutable _trader = makeAddr("trader");
    uint256[] public jobIds;

    // Ghost records, from balances.
    mapping(uint256 jobId => uint256) public ghostPaid;
    mapping(uint256 jobId => uint256) public ghostRefunded;
    mapping(uint256 jobId => uint256) public ghostPayouts;
    bool public ghostMintAboveBound;
    mapping(bytes32 action => uint256) public calls;

    constructor(
        ComputeCredit scu_,
        MockERC20 usdc_,
        ProviderRegistry registry_,
        JobEscrow escrow_,
        Router router_,
        address arbiter_,
        bytes32[3] memory classes
    ) {
        (scu, usdc, registry, escrow, router, arbiter) = (scu_, usdc_, registry_, escrow_, router_, arbiter_);
        for (uint256 i; i < 3; ++i) {
            address p = makeAddr(string.concat("provider", vm.toString(i)));
            (address signer, uint256 key) = makeAddrAndKey(string.concat("host", vm.toString(i)));
            providers.push(p);
            _hostKeys.push(key);
            vm.startPrank(p);
            hosts.push(
                uint64(
                    registry.registerHost(
                        HostParams({
                            signer: signer,
                            classId: classes[i],
                            gpuCount: 8,
                            listedUntil: uint64(vm.getBlockTimestamp() + 60 days),
                            endpoint: "https://host.example",
                            region: "eu"
                        })
                    )
                )
            );
            vm.stopPrank();
            _stake(p, 200_000e6);
            address b = makeAddr(string.concat("buyer", vm.toString(i)));
            buyers.push(b);
            vm.prank(b);
            scu.approve(address(escrow), type(uint256).max);
        }
        usdc.mint(_trader, 1e15);
        vm.startPrank(_trader);
        usdc.approve(address(router), type(uint256).max);
        scu.approve(address(router), type(uint256).max);
        vm.stopPrank();
    }

    function providerCount() external view returns (uint256) {
        return providers.length;
    }

    function jobCount() external view returns (uint256) {
        return jobIds.length;
    }

    // ---------------------------------------------------------------- providers

    function stake(uint256 seed, uint256 amount) external {
        _stake(providers[seed % 3], bound(amount, 1, 100_000e6));
        ++calls["stake"];
    }

    /// @dev Mints to the provider or one of the buyers, topping up stake first so the capacity bound, not
    /// collateral, is what limits it.
    function mint(uint256 seed, uint256 amount, uint256 toSeed) external {
        address p = providers[seed % 3];
        uint256 obligation = registry.provider(p).obligation;
        uint256 bound_ = registry.obligationBound(p);
        if (bound_ <= obligation) return;
        amount = bound(amount, 1, bound_ - obligation);
        _stake(p, amount * 3 * registry.referencePrice() / 1e18 + 1);
        address to = toSeed % 2 == 0 ? p : buyers[toSeed % 3];
        vm.prank(p);
        registry.mint(amount, to);
        if (registry.provider(p).obligation > registry.obligationBound(p)) ghostMintAboveBound = true;
        ++calls["mint"];
    }

    function retire(uint256 seed, uint256 amount) external {
        address p = providers[seed % 3];
        uint256 max = _min(scu.balanceOf(p), registry.provider(p).obligation);
        if (max == 0) return;
        vm.prank(p);
        registry.retire(bound(amount, 1, max));
        ++calls["retire"];
    }

    function unbondAndWithdraw(uint256 seed, uint256 amount) external {
        address p = providers[seed % 3];
        uint256 staked = registry.provider(p).stake;
        if (staked == 0) return;
        vm.prank(p);
        registry.requestUnbond(bound(amount, 1, staked));
        // Waiting out the delay skips nine days, which ends every job in flight: do it one time in four.
        if (amount % 4 == 0) vm.warp(vm.getBlockTimestamp() + registry.unbondingDelay());
        vm.prank(p);
        try registry.withdraw(p) {
            ++calls["withdraw"];
        } catch {
            ++calls["withdraw refused"];
        }
    }

    function liquidate(uint256 seed, uint256 amount) external {
        address p = providers[seed % 3];
        uint256 obligation = registry.provider(p).obligation;
        if (obligation == 0 || !registry.isLiquidatable(p)) return;
        registry.liquidate(p, bound(amount, _min(obligation, 1e15), _min(obligation, 10_000e18)), address(this));
        ++calls["liquidate"];
    }

    /// @dev A trader moves the pool's price: buys SCU with USDC, or sells the SCU it holds.
    function trade(uint256 amount, bool buy) external {
        address[] memory path = new address[](2);
        vm.startPrank(_trader);
        if (buy) {
            (path[0], path[1]) = (address(usdc), address(scu));
            router.swapExactTokensForTokens(bound(amount, 1e6, 200_000e6), 0, path, _trader, vm.getBlockTimestamp());
        } else if (scu.balanceOf(_trader) >= 1e16) {
            (path[0], path[1]) = (address(scu), address(usdc));
            uint256 amountIn = bound(amount, 1e16, scu.balanceOf(_trader));
            router.swapExactTokensForTokens(amountIn, 0, path, _trader, vm.getBlockTimestamp());
        }
        vm.stopPrank();
        ++calls["trade"];
    }

    function warp(uint256 seconds_) external {
        vm.warp(vm.getBlockTimestamp() + bound(seconds_, 1, 30 minutes));
        registry.observe();
        ++calls["warp"];
    }

    // ---------------------------------------------------------------- jobs

    function createJob(uint256 buyerSeed, uint256 hostSeed, uint256 gpus, uint256 duration) external {
        address b = buyers[buyerSeed % 3];
        JobParams memory params = JobParams({
            hostId: hosts[hostSeed % 3],
            gpus: uint32(bound(gpus, 1, 4)),
            maxDuration: uint32(bound(duration, 60, 2 days)),
            specHash: keccak256(abi.encode(buyerSeed))
        });
        Host memory h = registry.host(params.hostId);
        if (h.gpuCount - h.gpusBusy < params.gpus) return; // InsufficientGpus: unit-tested
        uint256 price = escrow.quote(params);
        uint256 balance = scu.balanceOf(b);
        if (balance < price) _buyScu(b, price - balance);
        vm.prank(b);
        jobIds.push(escrow.createJob(params));
        ++calls["createJob"];
    }

    function start(uint256 seed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Created);
        if (j.status != JobStatus.Created || vm.getBlockTimestamp() >= j.createdAt + escrow.startTimeout()) return;
        vm.prank(j.signer);
        escrow.start(jobId);
        ++calls["start"];
    }

    function stop(uint256 seed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Running);
        if (j.status != JobStatus.Running || j.stoppedAt != 0) return;
        vm.prank(j.buyer);
        escrow.stop(jobId);
        ++calls["stop"];
    }

    /// @dev The host signs for a time within what it may charge and at most what that time is worth.
    function submitReceipt(uint256 seed, uint256 usedSeed, uint256 endSeed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Running);
        if (j.status != JobStatus.Running) return;
        if (vm.getBlockTimestamp() >= uint256(j.startedAt) + j.maxDuration + escrow.receiptGrace()) return;
        uint256 latest = j.stoppedAt != 0 ? j.stoppedAt : j.startedAt + j.maxDuration;
        latest = _min(latest, vm.getBlockTimestamp());
        uint256 endedAt = bound(endSeed, j.startedAt, latest);
        uint256 max = (uint256(j.locked) * (endedAt - j.startedAt)) / j.maxDuration;
        UsageReceipt memory r = UsageReceipt({
            jobId: jobId,
            used: bound(usedSeed, 0, max),
            resultHash: keccak256(abi.encode(usedSeed)),
            endedAt: uint64(endedAt)
        });
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(_keyOf(j.signer), escrow.receiptDigest(r));
        escrow.submitReceipt(r, abi.encodePacked(rr, s, v));
        ++calls["submitReceipt"];
    }

    function cancel(uint256 seed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Created);
        if (j.status != JobStatus.Created) return;
        Snapshot memory before = _snapshot(j);
        vm.prank(j.buyer);
        escrow.cancel(jobId);
        _record(jobId, j, before);
        ++calls["cancel"];
    }

    function reclaim(uint256 seed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Running);
        if (j.status != JobStatus.Running) return;
        uint256 deadline = uint256(j.startedAt) + j.maxDuration + escrow.receiptGrace();
        if (vm.getBlockTimestamp() < deadline) vm.warp(deadline);
        Snapshot memory before = _snapshot(j);
        escrow.reclaim(jobId);
        _record(jobId, j, before);
        ++calls["reclaim"];
    }

    function confirm(uint256 seed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Submitted);
        if (j.status != JobStatus.Submitted) return;
        Snapshot memory before = _snapshot(j);
        vm.prank(j.buyer);
        escrow.confirm(jobId);
        _record(jobId, j, before);
        ++calls["confirm"];
    }

    function finalize(uint256 seed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Submitted);
        if (j.status != JobStatus.Submitted) return;
        if (vm.getBlockTimestamp() < j.disputeEndsAt) vm.warp(j.disputeEndsAt);
        Snapshot memory before = _snapshot(j);
        escrow.finalize(jobId);
        _record(jobId, j, before);
        ++calls["finalize"];
    }

    function dispute(uint256 seed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Submitted);
        if (j.status != JobStatus.Submitted || vm.getBlockTimestamp() >= j.disputeEndsAt) return;
        vm.prank(j.buyer);
        escrow.dispute(jobId, "handler");
        ++calls["dispute"];
    }

    function resolve(uint256 seed, uint256 awardSeed, uint256 slashSeed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Disputed);
        if (j.status != JobStatus.Disputed) return;
        uint256 cap = uint256(j.locked) * registry.referencePrice() / 1e18;
        Snapshot memory before = _snapshot(j);
        vm.prank(arbiter);
        escrow.resolve(jobId, bound(awardSeed, 0, j.used), bound(slashSeed, 0, cap));
        _record(jobId, j, before);
        ++calls["resolve"];
    }

    /// @dev A whole job in one call, so most runs settle several jobs: create, start, run for a while, receipt,
    /// then confirm, finalize after the window, or dispute and a ruling.
    function runJob(uint256 buyerSeed, uint256 hostSeed, uint256 seed) external {
        uint256 count = jobIds.length;
        this.createJob(buyerSeed, hostSeed, seed, seed >> 8);
        if (jobIds.length == count) return;
        uint256 jobId = jobIds[count];
        Job memory j = escrow.job(jobId);
        vm.prank(j.signer);
        escrow.start(jobId);
        vm.warp(vm.getBlockTimestamp() + bound(seed >> 16, 0, j.maxDuration));
        this.submitReceipt(count, seed >> 24, type(uint256).max); // this job (index count): ends now, charges up to its cap
        j = escrow.job(jobId);
        if (j.status != JobStatus.Submitted) return;
        Snapshot memory before = _snapshot(j);
        uint256 outcome = (seed >> 32) % 3;
        if (outcome == 0) {
            vm.prank(j.buyer);
            escrow.confirm(jobId);
        } else if (outcome == 1) {
            vm.warp(j.disputeEndsAt);
            escrow.finalize(jobId);
        } else {
            vm.prank(j.buyer);
            escrow.dispute(jobId, "handler");
            uint256 cap = uint256(j.locked) * registry.referencePrice() / 1e18;
            vm.prank(arbiter);
            escrow.resolve(jobId, bound(seed >> 40, 0, j.used), bound(seed >> 48, 0, cap));
        }
        _record(jobId, j, before);
        ++calls["runJob"];
    }

    // ---------------------------------------------------------------- internals

    struct Snapshot {
        uint256 providerBalance;
        uint256 obligation;
        uint256 buyerBalance;
    }

    function _snapshot(Job memory j) internal view returns (Snapshot memory) {
        return Snapshot(scu.balanceOf(j.provider), registry.provider(j.provider).obligation, scu.balanceOf(j.buyer));
    }

    /// @dev Paid = what reached the provider plus the obligation it retired; refunded = what reached the buyer.
    function _record(uint256 jobId, Job memory j, Snapshot memory before) internal {
        Snapshot memory later = _snapshot(j);
        ghostPaid[jobId] += later.providerBalance - before.providerBalance + before.obligation - later.obligation;
        ghostRefunded[jobId] += later.buyerBalance - before.buyerBalance;
        ++ghostPayouts[jobId];
    }

    /// @dev The first job in `status` from a seeded position, so actions mostly find a job they apply to.
    function _job(uint256 seed, JobStatus status) internal view returns (uint256 jobId, Job memory j) {
        uint256 n = jobIds.length;
        for (uint256 i; i < n; ++i) {
            jobId = jobIds[(seed % n + i) % n];
            j = escrow.job(jobId);
            if (j.status == status) return (jobId, j);
        }
    }

    function _keyOf(address signer) internal view returns (uint256) {
        for (uint256 i; i < 3; ++i) {
            if (vm.addr(_hostKeys[i]) == signer) return _hostKeys[i];
        }
        revert("unknown signer");
    }

    /// @dev `who` buys exactly `amount` SCU from the pool with fresh USDC.
    function _buyScu(address who, uint256 amount) internal {
        address[] memory path = new address[](2);
        (path[0], path[1]) = (address(usdc), address(scu));
        uint256 usdcIn = router.getAmountsIn(amount, path)[0];
        usdc.mint(who, usdcIn);
        vm.startPrank(who);
        usdc.approve(address(router), usdcIn);
        router.swapTokensForExactTokens(amount, usdcIn, path, who, vm.getBlockTimestamp());
        vm.stopPrank();
    }

    function _stake(address p, uint256 amount) internal {
        usdc.mint(p, amount);
        vm.startPrank(p);
        usdc.approve(address(registry), amount);
        registry.stake(amount);
        vm.stopPrank();
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}
