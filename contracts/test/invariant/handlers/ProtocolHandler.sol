// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ComputeCredit} from "../../../src/ComputeCredit.sol";
import {ProviderRegistry} from "../../../src/ProviderRegistry.sol";
import {JobEscrow} from "../../../src/JobEscrow.sol";
import {Router} from "../../../src/Router.sol";
import {Dispute, Job, JobParams, JobStatus, UsageReceipt} from "../../../src/types/Job.sol";
import {Host, HostParams} from "../../../src/types/Provider.sol";
import {MockERC20} from "../../utils/MockERC20.sol";
import {HostProver} from "../../utils/HostProver.sol";
import {SupplyVerifier} from "../../../src/SupplyVerifier.sol";
import {ISupplyVerifier} from "../../../src/interfaces/ISupplyVerifier.sol";

/// @notice Drives providers, buyers, hosts, a trader and the arbiter through the protocol, and adversaries
/// beside them: a squatter who registers other hosts' signers, a liquidator who moves the pool around its
/// liquidations, a buyer who stops at every moment and disputes out of spite, a griefer who books GPUs and
/// cancels, and a provider who books its own hosts to build a record. It measures each payout by balances
/// (not by what the escrow says it paid) into ghost records the invariants check, and records any time an
/// adversary got what a rule says it cannot.
contract ProtocolHandler is CommonBase, StdCheats, StdUtils, HostProver {
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
    /// @dev The self-dealing providers' second addresses, which book their own hosts.
    address[] public sybils;
    address internal immutable _trader = makeAddr("trader");
    address internal immutable _liquidator = makeAddr("liquidator");
    address internal immutable _squatter = makeAddr("squatter");
    uint256[] public jobIds;
    uint256 public immutable startedAt;

    // Ghost records, from balances.
    mapping(uint256 jobId => uint256) public ghostPaid;
    mapping(uint256 jobId => uint256) public ghostRefunded;
    mapping(uint256 jobId => uint256) public ghostPayouts;
    mapping(uint256 jobId => uint256) public ghostBondPaidIn;
    bool public ghostMintAboveBound;
    /// @dev A mint left an obligation above mint ratio × the capacity of the provider's hosts verified (and not
    /// failed) through MINT_HEADROOM, computed here from the hosts' records.
    bool public ghostMintAboveVerified;
    /// @dev A host that just failed a challenge still counted toward its provider's capacity.
    bool public ghostFailedHostCounted;
    SupplyVerifier public verifier;
    // Each stays false unless an adversary got what a rule says it cannot.
    bool public ghostSquatted;
    bool public ghostHonestReceiptRefused;
    bool public ghostStopRefusedWhileRunning;
    bool public ghostNoShowWithoutProof;
    bool public ghostHoldingWasFree;
    /// @dev USDC the liquidator made beyond the bonus and the premium over the TWAP the rules allow it.
    int256 public ghostLiquidatorExcess;
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
        startedAt = vm.getBlockTimestamp();
        for (uint256 i; i < 3; ++i) {
            address p = makeAddr(string.concat("provider", vm.toString(i)));
            (address signer, uint256 key) = makeAddrAndKey(string.concat("host", vm.toString(i)));
            providers.push(p);
            _hostKeys.push(key);
            uint256 deadline = vm.getBlockTimestamp() + 1 hours;
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, registry.signerConsentDigest(p, deadline));
            HostParams memory params = HostParams({
                signer: signer,
                classId: classes[i],
                gpuCount: 8,
                listedUntil: uint64(vm.getBlockTimestamp() + 60 days),
                endpoint: "https://host.example",
                region: "eu"
            });
            vm.prank(p);
            hosts.push(uint64(registry.registerHost(params, deadline, abi.encodePacked(r, s, v))));
            _stake(p, 200_000e6);
            vm.prank(p);
            scu.approve(address(registry), type(uint256).max); // to retire
            address b = makeAddr(string.concat("buyer", vm.toString(i)));
            buyers.push(b);
            vm.prank(b);
            scu.approve(address(escrow), type(uint256).max);
            address sybil = makeAddr(string.concat("provider", vm.toString(i), "'s other wallet"));
            sybils.push(sybil);
            vm.prank(sybil);
            scu.approve(address(escrow), type(uint256).max);
        }
        for (uint256 i; i < 2; ++i) {
            address who = i == 0 ? _trader : _liquidator;
            usdc.mint(who, 1e15);
            vm.startPrank(who);
            usdc.approve(address(router), type(uint256).max);
            scu.approve(address(router), type(uint256).max);
            vm.stopPrank();
        }
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

    /// @dev Mints to the provider or one of the buyers, topping up stake first: to three times what the
    /// obligation needs, or (one time in two) to just what it needs, so that a rising price can liquidate it.
    function mint(uint256 seed, uint256 amount, uint256 toSeed) external {
        address p = providers[seed % 3];
        _keepFresh();
        uint256 obligation = registry.provider(p).obligation;
        uint256 bound_ = registry.mintBound(p);
        if (bound_ <= obligation) return;
        amount = bound(amount, 1, bound_ - obligation);
        (, uint256 price,,,,) = registry.priceState(); // fresh: _keepFresh above
        uint256 needed = (obligation + amount) * (seed % 2 == 0 ? 30_000 : 15_000) / 10_000 * price / 1e18
            + registry.provider(p).jobCredits * 2e6 / 1e18 + 1e6;
        uint256 staked = registry.provider(p).stake;
        if (staked < needed) _stake(p, needed - staked);
        address to = toSeed % 2 == 0 ? p : buyers[toSeed % 3];
        vm.prank(p);
        registry.mint(amount, to);
        if (registry.provider(p).obligation > registry.obligationBound(p)) ghostMintAboveBound = true;
        _checkVerifiedBound(p);
        ++calls["mint"];
    }

    /// @dev Tries any amount, above the bound too: whatever the registry accepts must be backed by verified hosts.
    function mintAny(uint256 seed, uint256 amount) external {
        address p = providers[seed % 3];
        _keepFresh();
        amount = bound(amount, 1, 1e24);
        _stake(p, 1e13); // stake is never what refuses it here
        vm.prank(p);
        try registry.mint(amount, p) {
            _checkVerifiedBound(p);
            ++calls["mintAny"];
        } catch {}
    }

    /// @dev The provider challenges its idle host and misses the commit deadline: the host fails.
    function failHost(uint256 seed) external {
        uint256 i = seed % 3;
        if (!_challengeable(hosts[i])) return;
        uint256 id = _selfChallenge(i);
        if (id == 0) return;
        vm.warp(verifier.challengeOf(id).commitBy + 1);
        verifier.expire(id);
        if (registry.capacityOf(providers[i]) != 0 || registry.mintBound(providers[i]) != 0) {
            ghostFailedHostCounted = true;
        }
        ++calls["failHost"];
    }

    /// @dev The provider proves its idle host again (through the real protocol, HostProver).
    function reverify(uint256 seed) external {
        uint256 i = seed % 3;
        if (!_challengeable(hosts[i])) return;
        uint256 id = _selfChallenge(i);
        if (id == 0) return;
        proveHost(verifier, id, false);
        ++calls["reverify"];
    }

    /// @dev Provider i challenges its own host, first waiting out SELF_CHALLENGE_GAP when its last one was recent;
    /// 0 when the verifier refuses for another reason.
    function _selfChallenge(uint256 i) internal returns (uint256) {
        vm.prank(providers[i]);
        try verifier.challenge(hosts[i]) returns (uint256 id) {
            return id;
        } catch (bytes memory reason) {
            if (reason.length != 68 || bytes4(reason) != ISupplyVerifier.SelfChallengeTooSoon.selector) return 0;
            uint256 at;
            assembly {
                at := mload(add(reason, 68)) // the second argument: 32 (length) + 4 (selector) + 32 (hostId)
            }
            vm.warp(at);
            if (!_challengeable(hosts[i])) return 0;
            vm.prank(providers[i]);
            return verifier.challenge(hosts[i]);
        }
    }

    function setVerifier(SupplyVerifier verifier_) external {
        verifier = verifier_;
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
        if (amount % 4 == 0) _skipFresh(registry.unbondingDelay());
        vm.prank(p);
        try registry.withdraw(p) {
            ++calls["withdraw"];
        } catch {
            ++calls["withdraw refused"];
        }
    }

    function liquidate(uint256 seed, uint256 amount) external {
        address p = providers[seed % 3];
        _keepFresh();
        uint256 obligation = registry.provider(p).obligation;
        if (obligation == 0 || !registry.isLiquidatable(p)) return;
        // The close factor refuses too much: halve until it fits, as a liquidator's simulation would.
        amount = bound(amount, _min(obligation, 1e15), obligation);
        for (uint256 i; i < 24 && amount != 0; ++i) {
            try registry.liquidate(p, amount, address(this)) {
                ++calls["liquidate"];
                return;
            } catch {
                amount /= 2;
            }
        }
    }

    /// @dev The adversarial liquidator: pumps the pool with `pump` USDC, liquidates what the rules let it, dumps
    /// what it bought, all in one go (a flash loan's worth of capital). Its USDC may grow by the bonus and by
    /// what its pump made the stake pay, within the premium, and no more: above the lower of the fair price (the
    /// TWAP and the recent price) and what the stake's buy would have cost in the pool as the liquidator found it.
    /// (A pool just sold below the fair price, in the same block, is one the stake may still buy from at up to
    /// the fair price: pumping it back up toward fair within the rules gains the liquidator what the stake pays
    /// above the unpumped pool, as a sandwich of any market buy does.)
    function manipulateAndLiquidate(uint256 seed, uint256 pump, uint256 amount) external {
        address p = providers[seed % 3];
        _keepFresh();
        uint256 obligation = registry.provider(p).obligation;
        (uint256 twap,, bool fresh,,, uint256 recent) = registry.priceState();
        if (obligation == 0 || !fresh || !registry.isLiquidatable(p)) return;
        uint256 before = usdc.balanceOf(_liquidator);
        address[] memory path = new address[](2);
        (path[0], path[1]) = (address(usdc), address(scu));
        amount = bound(amount, _min(obligation, 1e15), obligation);
        // What each amount the loop below may try would cost the stake in the pool before the pump.
        uint256[24] memory unpumped;
        for (uint256 i; i < 24 && amount >> i != 0; ++i) {
            try router.getAmountsIn(amount >> i, path) returns (uint256[] memory amounts) {
                unpumped[i] = amounts[0];
            } catch {
                unpumped[i] = type(uint256).max; // more than the pool holds: no unpumped buy to compare
            }
        }
        vm.startPrank(_liquidator);
        uint256 bought =
            router.swapExactTokensForTokens(bound(pump, 1e6, 300_000e6), 0, path, _liquidator, vm.getBlockTimestamp());
        uint256 allowance;
        for (uint256 i; i < 24 && amount != 0; ++i) {
            try registry.liquidate(p, amount, _liquidator) returns (uint256 cost) {
                // Fair is the market before this block: the lower of the TWAP and the recent price.
                uint256 atFair = amount * (recent != 0 && recent < twap ? recent : twap) / 1e18;
                uint256 unmanipulated = _min(atFair, unpumped[i]);
                allowance =
                    cost * registry.liquidationBonusBps() / 10_000 + (cost > unmanipulated ? cost - unmanipulated : 0);
                ++calls["manipulateAndLiquidate"];
                break;
            } catch {
                amount /= 2;
            }
        }
        (path[0], path[1]) = (address(scu), address(usdc));
        router.swapExactTokensForTokens(bought, 0, path, _liquidator, vm.getBlockTimestamp());
        vm.stopPrank();
        int256 gained = int256(usdc.balanceOf(_liquidator)) - int256(before);
        if (gained > int256(allowance)) ghostLiquidatorExcess += gained - int256(allowance);
    }

    /// @dev The squatter reads a host's signer off its /health and tries to register it as its own, with a
    /// consent it signed itself, or with the consent a signer gave another provider.
    function squat(uint256 seed) external {
        uint256 i = seed % 3;
        (, uint256 ownKey) = makeAddrAndKey("squatter key");
        uint256 deadline = vm.getBlockTimestamp() + 1 hours;
        bytes32 digest = registry.signerConsentDigest(seed % 2 == 0 ? _squatter : providers[i], deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(seed % 4 < 2 ? ownKey : _hostKeys[i], digest);
        HostParams memory params = HostParams({
            signer: vm.addr(_hostKeys[i]),
            classId: registry.host(hosts[i]).classId,
            gpuCount: 8,
            listedUntil: uint64(vm.getBlockTimestamp() + 30 days),
            endpoint: "https://squat.example",
            region: "eu"
        });
        vm.prank(_squatter);
        try registry.registerHost(params, deadline, abi.encodePacked(r, s, v)) {
            ghostSquatted = true;
        } catch {}
        ++calls["squat"];
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

    /// @dev Time passes; a keeper records a price reading when one is due.
    function warp(uint256 seconds_) external {
        vm.warp(vm.getBlockTimestamp() + bound(seconds_, 1, 30 minutes));
        registry.observe();
        ++calls["warp"];
    }

    // ---------------------------------------------------------------- jobs

    function createJob(uint256 buyerSeed, uint256 hostSeed, uint256 gpus, uint256 duration) external {
        _createJob(buyers[buyerSeed % 3], hostSeed, gpus, duration);
    }

    function start(uint256 seed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Created);
        if (j.status != JobStatus.Created || vm.getBlockTimestamp() >= j.createdAt + escrow.startTimeout()) return;
        vm.prank(j.signer);
        escrow.start(jobId);
        ++calls["start"];
    }

    /// @dev The buyer who stops at every moment: while a job runs and before its maximum end, a stop must land.
    function stop(uint256 seed, uint256 delay) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Running);
        if (j.status != JobStatus.Running || j.stoppedAt != 0) return;
        vm.warp(vm.getBlockTimestamp() + bound(delay, 0, 20 minutes));
        bool allowed = vm.getBlockTimestamp() < uint256(j.startedAt) + j.maxDuration;
        vm.prank(j.buyer);
        try escrow.stop(jobId) {
            ++calls["stop"];
        } catch {
            if (allowed) ghostStopRefusedWhileRunning = true;
        }
    }

    /// @dev The buyer extends a running job before its maximum end by up to a day: the escrow and the registry book
    /// the extra credits alike (invariant_escrowAndRegistryBooksAgree) and the job's payout accounts for them
    /// (invariant_everyJobsCreditsAreAccountedFor). Refusals for the host's terms (its listing, a pause, a waiting
    /// challenge, the provider's stake) are unit-tested.
    function extend(uint256 seed, uint256 seconds_) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Running);
        if (j.status != JobStatus.Running || j.stoppedAt != 0) return;
        uint32 more = uint32(bound(seconds_, 1, 1 days));
        if (uint256(j.maxDuration) + more > escrow.MAX_DURATION()) return;
        if (vm.getBlockTimestamp() >= uint256(j.startedAt) + j.maxDuration) return;
        uint256 cost = escrow.extensionCost(jobId, more);
        uint256 balance = scu.balanceOf(j.buyer);
        if (balance < cost) _buyScu(j.buyer, cost - balance);
        vm.prank(j.buyer);
        try escrow.extend(jobId, more) {
            ++calls["extend"];
        } catch {}
    }

    /// @dev The host signs any end (past, future, after a stop) and any charge (even above the lock): while the
    /// job runs and before its receipt deadline, the escrow must take it and bill what the rules allow.
    function submitReceipt(uint256 seed, uint256 usedSeed, uint256 endSeed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Running);
        if (j.status != JobStatus.Running) return;
        if (vm.getBlockTimestamp() >= uint256(j.startedAt) + j.maxDuration + escrow.receiptGrace()) return;
        UsageReceipt memory r = UsageReceipt({
            jobId: jobId,
            used: bound(usedSeed, 0, 2 * uint256(j.locked)),
            resultHash: keccak256(abi.encode(usedSeed)),
            endedAt: uint64(bound(endSeed, j.startedAt, uint256(j.startedAt) + 2 * j.maxDuration))
        });
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(_keyOf(j.signer), escrow.receiptDigest(r));
        try escrow.submitReceipt(r, abi.encodePacked(rr, s, v)) {
            ++calls["submitReceipt"];
        } catch {
            ghostHonestReceiptRefused = true;
        }
    }

    function cancel(uint256 seed, bool withAck) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Created);
        if (j.status != JobStatus.Created) return;
        bytes memory ack;
        if (withAck) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(_keyOf(j.signer), escrow.dispatchAckDigest(jobId, j.specHash));
            ack = abi.encodePacked(r, s, v);
        }
        Snapshot memory before = _snapshot(j);
        uint32 noShows = registry.provider(j.provider).noShows;
        bool timedOut = vm.getBlockTimestamp() >= j.createdAt + escrow.startTimeout();
        vm.prank(j.buyer);
        escrow.cancel(jobId, ack);
        _record(jobId, j, before);
        if (registry.provider(j.provider).noShows != noShows && !(withAck && timedOut)) ghostNoShowWithoutProof = true;
        ++calls["cancel"];
    }

    /// @dev The griefer books GPUs it never dispatches and cancels them at any moment up to when anyone may (or
    /// never, leaving it to the provider): it must pay the job's price for every second held, and mark nothing.
    function griefHold(uint256 buyerSeed, uint256 hostSeed, uint256 gpus, uint256 held) external {
        uint256 count = jobIds.length;
        _createJob(buyers[buyerSeed % 3], hostSeed, gpus, 1 hours);
        if (jobIds.length == count) return;
        uint256 jobId = jobIds[count];
        Job memory j = escrow.job(jobId);
        held = bound(held, 1, 2 * escrow.startTimeout());
        vm.warp(vm.getBlockTimestamp() + held);
        Snapshot memory before = _snapshot(j);
        uint32 noShows = registry.provider(j.provider).noShows;
        vm.prank(held >= 2 * escrow.startTimeout() ? j.provider : j.buyer);
        escrow.cancel(jobId, "");
        _record(jobId, j, before);
        // Holding costs what renting does: the job's price for every second held (the fee's cap is two start
        // timeouts, which `held` never passes here).
        uint256 due = Math.mulDiv(j.locked, held, j.maxDuration, Math.Rounding.Ceil);
        if (ghostPaid[jobId] < due) ghostHoldingWasFree = true;
        if (registry.provider(j.provider).noShows != noShows) ghostNoShowWithoutProof = true;
        ++calls["griefHold"];
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

    /// @dev The buyer disputes (out of spite or not), posting the bond; SCU for it is bought when the refund
    /// does not cover it.
    function dispute(uint256 seed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Submitted);
        if (j.status != JobStatus.Submitted || vm.getBlockTimestamp() >= j.disputeEndsAt) return;
        (, uint256 fromWallet) = escrow.disputeBond(jobId);
        uint256 balance = scu.balanceOf(j.buyer);
        if (balance < fromWallet) _buyScu(j.buyer, fromWallet - balance);
        balance = scu.balanceOf(j.buyer);
        vm.prank(j.buyer);
        escrow.dispute(jobId, "handler");
        ghostBondPaidIn[jobId] = balance - scu.balanceOf(j.buyer);
        ++calls["dispute"];
    }

    function resolve(uint256 seed, uint256 awardSeed, uint256 slashSeed) external {
        (uint256 jobId, Job memory j) = _job(seed, JobStatus.Disputed);
        if (j.status != JobStatus.Disputed) return;
        Dispute memory d = escrow.disputeOf(jobId);
        Snapshot memory before = _snapshot(j);
        if (vm.getBlockTimestamp() >= d.ruleBy) {
            escrow.settleDispute(jobId); // the arbiter was too slow: anyone applies the default
            ++calls["settleDispute"];
        } else {
            vm.prank(arbiter);
            escrow.resolve(jobId, bound(awardSeed, 0, j.used), bound(slashSeed, 0, d.stakeAtRisk));
            ++calls["resolve"];
        }
        _record(jobId, j, before);
    }

    /// @dev A whole job in one call, so most runs settle several jobs: create, start, run for a while, receipt,
    /// then confirm, finalize after the window, or dispute and a ruling.
    function runJob(uint256 buyerSeed, uint256 hostSeed, uint256 seed) external {
        _runJob(buyers[buyerSeed % 3], hostSeed, seed);
        ++calls["runJob"];
    }

    /// @dev The self-dealing provider books its own host from another wallet, runs it briefly and confirms: its
    /// record grows by the GPU-time it really tied up, no faster than the clock.
    function selfDeal(uint256 providerSeed, uint256 seed) external {
        uint256 i = providerSeed % 3;
        _runJob(sybils[i], i, seed);
        ++calls["selfDeal"];
    }

    // ---------------------------------------------------------------- internals

    struct Snapshot {
        uint256 providerBalance;
        uint256 obligation;
        uint256 buyerBalance;
    }

    function _createJob(address b, uint256 hostSeed, uint256 gpus, uint256 duration) internal {
        JobParams memory params = JobParams({
            hostId: hosts[hostSeed % 3],
            gpus: uint32(bound(gpus, 1, 4)),
            maxDuration: uint32(bound(duration, escrow.minDuration(), 2 days)),
            specHash: keccak256(abi.encode(hostSeed, gpus))
        });
        Host memory h = registry.host(params.hostId);
        if (h.gpuCount - h.gpusBusy < params.gpus) return; // InsufficientGpus: unit-tested
        if (h.listedUntil < vm.getBlockTimestamp() + escrow.startTimeout() + params.maxDuration) return;
        uint256 price = escrow.quote(params);
        uint256 balance = scu.balanceOf(b);
        if (balance < price) _buyScu(b, price - balance);
        vm.prank(b);
        jobIds.push(escrow.createJob(params));
        ++calls["createJob"];
    }

    function _runJob(address b, uint256 hostSeed, uint256 seed) internal {
        uint256 count = jobIds.length;
        _createJob(b, hostSeed, seed, seed >> 8);
        if (jobIds.length == count) return;
        uint256 jobId = jobIds[count];
        vm.prank(escrow.job(jobId).signer);
        escrow.start(jobId);
        Job memory j = escrow.job(jobId);
        // The buyer stops at some moment before, or after, the host signs its end; the receipt must land.
        uint256 ran = bound(seed >> 16, 0, j.maxDuration);
        if ((seed >> 56) % 2 == 1) this.stop(count, ran / 2);
        vm.warp(j.startedAt + ran);
        this.submitReceipt(count, seed >> 24, seed >> 60); // this job (index count): any end, any charge
        j = escrow.job(jobId);
        if (j.status != JobStatus.Submitted) return;
        uint256 outcome = (seed >> 32) % 3;
        if (outcome == 2) {
            this.dispute(count);
            this.resolve(count, seed >> 40, seed >> 48);
            return;
        }
        Snapshot memory before = _snapshot(j);
        if (outcome == 0) {
            vm.prank(j.buyer);
            escrow.confirm(jobId);
        } else {
            vm.warp(j.disputeEndsAt);
            escrow.finalize(jobId);
        }
        _record(jobId, j, before);
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

    /// @dev A keeper's readings while time passed: when the price went stale, one now and a window later.
    function _keepFresh() internal {
        (,, bool fresh,,,) = registry.priceState();
        if (!fresh) _skipFresh(registry.twapWindow());
    }

    /// @dev Time passes with a keeper observing: a price is fresh at the end.
    function _skipFresh(uint256 seconds_) internal {
        uint256 window = registry.twapWindow();
        if (seconds_ > window) vm.warp(vm.getBlockTimestamp() + seconds_ - window);
        registry.observe();
        vm.warp(vm.getBlockTimestamp() + _min(seconds_, window));
    }

    /// @dev Idle, listed, unpaused, no challenge open, and the duty cycle allows one (moving the clock to it).
    function _challengeable(uint64 hostId) internal returns (bool) {
        Host memory h = registry.host(hostId);
        if (h.gpusBusy != 0 || h.paused || verifier.openChallengeOf(hostId) != 0) return false;
        (,,,,, uint64 next,) = verifier.hostVerification(hostId);
        if (vm.getBlockTimestamp() < next) vm.warp(next);
        return h.listedUntil > vm.getBlockTimestamp();
    }

    /// @dev Each provider's one host, counted only while verified through MINT_HEADROOM and not failed.
    function _checkVerifiedBound(address p) internal {
        uint256 capacity;
        uint256 from = vm.getBlockTimestamp() + registry.MINT_HEADROOM();
        for (uint256 i; i < 3; ++i) {
            if (providers[i] != p) continue;
            Host memory h = registry.host(hosts[i]);
            if (h.paused || h.verificationFailed || h.verifiedUntil < from || h.listedUntil <= from) continue;
            uint256 rating = registry.jobCost(hosts[i], 1, 3600); // one GPU-hour: the rating, exactly
            capacity += uint256(h.gpuCount) * rating * (h.listedUntil - from) / 3600;
        }
        if (registry.provider(p).obligation > capacity * registry.mintRatioBps() / 10_000) {
            ghostMintAboveVerified = true;
        }
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}
