// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {SupplyVerifier} from "../src/SupplyVerifier.sol";
import {ISupplyVerifier} from "../src/interfaces/ISupplyVerifier.sol";
import {IProviderRegistry} from "../src/interfaces/IProviderRegistry.sol";
import {ThroughputWork} from "../src/libraries/ThroughputWork.sol";
import {Challenge, ChallengeStatus, FailureReason, VerifierConfig, WorkShape} from "../src/types/Verification.sol";
import {Host, Outcome} from "../src/types/Provider.sol";
import {Parameters} from "../script/Parameters.sol";
import {Deployers} from "./utils/Deployers.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice The supply verifier against the hosts that would cheat it: one that computes part of the work, one
/// that precomputed, a slow one, one that lists more GPUs than it has, one that reveals a wrong value, one that
/// replays another challenge's commitment; and the challengers who would spam it. Each through the real
/// protocol (HostProver plays the host).
contract SupplyVerifierTest is ProtocolFixture {
    address internal challenger = makeAddr("challenger");
    uint256 internal hostId;
    uint256 internal constant PROVIDER_STAKE = 100_000e6;
    /// @dev 8 H100s at the test rate of 1 MFLOP/s each: ⌈8e6 / 2^14⌉ rounds of the 8×256×4 product.
    uint256 internal constant ROUNDS = 489;
    /// @dev 20 s overhead + ⌈489 · 2^14 / (8e6 · 75%)⌉ = 20 + 2.
    uint256 internal constant SPAN = 22;
    /// @dev The test shape's groups: tiles of a round (8 rows / 2) and tiles a leaf.
    uint256 internal constant TILES_PER_ROUND = 4;
    uint256 internal constant GROUP_TILES = 2;

    function setUp() public override {
        super.setUp();
        hostId = registerUnverifiedHost(provider, hostKey, H100, 8, 30 days);
        stake(provider, PROVIDER_STAKE);
        buyScu(challenger, 10e18);
        vm.prank(challenger);
        scu.approve(address(verifier), type(uint256).max);
    }

    function open(uint256 host) internal returns (uint256 id) {
        vm.prank(challenger);
        id = verifier.challenge(host);
    }

    function status(uint256 id) internal view returns (ChallengeStatus) {
        return verifier.challengeOf(id).status;
    }

    function signer(uint256 host) internal view returns (address) {
        return registry.host(host).signer;
    }

    function fee() internal view returns (uint256) {
        return registry.jobCost(hostId, 8, SPAN);
    }

    /// @dev What a failure pays the challenger: ten times its fee's worth at the booking price (far below the
    /// tenth of the stake the provider loses; the rest is burned).
    function reward() internal view returns (uint256) {
        (,,,, uint256 bookingPrice,) = registry.priceState();
        return fee() * verifier.REWARD_FEE_MULTIPLE() * bookingPrice / 1e18;
    }

    /// @dev The audited tile indices challenge `id` will get once committed (the test fixes the audit hash).
    function auditedIndices(uint256 id) internal returns (uint256[8] memory indices) {
        bytes32 seed = mineSeed(verifier, id);
        Challenge memory c = verifier.challengeOf(id);
        for (uint256 s; s < 8; ++s) {
            indices[s] = ThroughputWork.auditIndex(auditHashFor(id), seed, s, uint256(c.rounds) * TILES_PER_ROUND);
        }
    }

    // ---------------------------------------------------------------- the honest path and its money

    function test_work_sizesTheChallengeToTheRatedThroughput() public view {
        (uint256 rounds, uint256 span, uint256 f) = verifier.work(hostId);
        assertEq(rounds, ROUNDS);
        assertEq(span, SPAN);
        assertEq(f, fee());
        assertGt(f, 0);
    }

    function test_challenge_beginsAtOnceOnAnIdleHostAndHoldsTheFee() public {
        uint256 before = scu.balanceOf(challenger);
        uint256 next = verifier.challengeCount() + 1; // the fixture proved the whale's host with the first
        vm.expectEmit(address(verifier));
        emit ISupplyVerifier.ChallengeOpened(next, hostId, challenger, ROUNDS, fee());
        vm.expectEmit(address(verifier));
        emit ISupplyVerifier.ChallengeBegun(next, hostId, vm.getBlockNumber() + 1, vm.getBlockTimestamp() + SPAN);
        uint256 id = open(hostId);
        Challenge memory c = verifier.challengeOf(id);
        assertEq(uint8(c.status), uint8(ChallengeStatus.Proving));
        assertEq(c.rounds, ROUNDS);
        assertEq(c.commitBy, vm.getBlockTimestamp() + SPAN);
        assertEq(scu.balanceOf(challenger), before - fee());
        assertEq(scu.balanceOf(address(verifier)), fee());
        assertEq(registry.host(hostId).provingUntil, vm.getBlockTimestamp() + SPAN);
        assertEq(verifier.openChallengeOf(hostId), id);
    }

    function test_honestHost_passes_isPaidTheFee_andBacksAMint() public {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.ExceedsCapacity.selector, provider, 1e18, 0));
        registry.mint(1e18, provider); // an unverified host backs nothing

        uint256 id = open(hostId);
        uint256 begunAt = vm.getBlockTimestamp();
        uint256 providerScu = scu.balanceOf(provider);
        proveHost(verifier, id, false);

        Challenge memory c = verifier.challengeOf(id);
        assertEq(uint8(c.status), uint8(ChallengeStatus.Passed));
        assertEq(scu.balanceOf(provider), providerScu + fee());
        assertEq(scu.balanceOf(address(verifier)), 0);
        (uint64 until, uint64 measured, uint64 rated, uint64 measuredAt,, uint64 next, bool failed) =
            verifier.hostVerification(hostId);
        assertEq(until, vm.getBlockTimestamp() + VERIFIED_FOR);
        // Committed in the challenge's first second (the test's blocks share a timestamp): 1 s is the floor.
        assertEq(measured, ROUNDS * 2 * 8 * 4 * 256 / 1e6);
        assertEq(rated, 8 * TEST_MFLOPS_PER_GPU);
        assertEq(measuredAt, vm.getBlockTimestamp());
        assertEq(next, begunAt + SPAN * 10_000 / Parameters.DUTY_CYCLE_BPS);
        assertFalse(failed);
        Host memory h = registry.host(hostId);
        assertEq(h.verifiedUntil, until);
        assertEq(h.provingUntil, 0);
        assertFalse(h.verificationFailed);
        assertEq(verifier.openChallengeOf(hostId), 0);

        skipFresh(TWAP_WINDOW);
        vm.prank(provider);
        registry.mint(1e18, provider);
    }

    function test_finalize_waitsOutTheFraudWindow() public {
        uint256 id = open(hostId);
        Behaviour memory honest;
        (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs) = commitWork(verifier, id, honest);
        vm.prank(signer(hostId));
        verifier.reveal(id, tiles, groupStats, proofs);
        vm.expectRevert(
            abi.encodeWithSelector(ISupplyVerifier.FraudWindowOpen.selector, id, vm.getBlockTimestamp() + FRAUD_WINDOW)
        );
        verifier.finalize(id);
        vm.warp(vm.getBlockTimestamp() + FRAUD_WINDOW);
        verifier.finalize(id);
    }

    function test_onlyTheHostsSignerCommitsAndReveals() public {
        uint256 id = open(hostId);
        mineSeed(verifier, id);
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.NotHostSigner.selector, id, provider));
        vm.prank(provider);
        verifier.commit(id, bytes32(uint256(1)));
    }

    function test_commit_needsTheSeedBlockMined() public {
        uint256 id = open(hostId);
        uint256 seedBlock = vm.getBlockNumber() + 1;
        vm.prank(signer(hostId));
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.SeedUnavailable.selector, id, seedBlock));
        verifier.commit(id, bytes32(uint256(1)));
        assertEq(verifier.seedOf(id), bytes32(0));
    }

    // ---------------------------------------------------------------- attacks

    /// @dev A host that computed half its groups (odd leaves are garbage) cannot open an audited garbage leaf;
    /// the reveal window runs out and the challenge fails: fee refunded, a tenth of the stake to the challenger,
    /// the host's capacity gone.
    function test_partialWork_cannotReveal_andFails() public {
        uint256 id = open(hostId);
        uint256[8] memory indices = auditedIndices(id);
        Behaviour memory half;
        uint256 firstGarbage = 8;
        for (uint256 s; s < 8; ++s) {
            half.garbage[s] = (indices[s] / GROUP_TILES) % 2 == 1;
            if (half.garbage[s] && firstGarbage == 8) firstGarbage = s;
        }
        assertLt(firstGarbage, 8, "the fixed audit hash hits no odd leaf: pick another");
        (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs) = commitWork(verifier, id, half);
        assertEq(registry.host(hostId).provingUntil, 0, "a committed host takes jobs again");
        vm.prank(signer(hostId));
        vm.expectRevert(
            abi.encodeWithSelector(
                ISupplyVerifier.InvalidProof.selector, id, firstGarbage, indices[firstGarbage] / GROUP_TILES
            )
        );
        verifier.reveal(id, tiles, groupStats, proofs);

        uint256 revealBy = verifier.challengeOf(id).committedAt + REVEAL_WINDOW;
        vm.expectRevert(
            abi.encodeWithSelector(ISupplyVerifier.NotExpired.selector, id, ChallengeStatus.Committed, revealBy)
        );
        verifier.expire(id);
        vm.warp(revealBy + 1);
        (uint256 challengerScu, uint256 challengerUsdc) = (scu.balanceOf(challenger), usdc.balanceOf(challenger));
        vm.expectEmit(address(verifier));
        emit ISupplyVerifier.ChallengeFailed(id, hostId, FailureReason.MissedReveal, PROVIDER_STAKE / 10, reward());
        verifier.expire(id);
        assertEq(scu.balanceOf(challenger), challengerScu + fee());
        assertEq(usdc.balanceOf(challenger), challengerUsdc + reward());
        assertEq(usdc.balanceOf(verifier.BURN()), PROVIDER_STAKE / 10 - reward());
        assertEq(registry.provider(provider).stake, PROVIDER_STAKE * 9 / 10);
        assertTrue(registry.host(hostId).verificationFailed);
        assertEq(registry.capacityOf(provider), 0);
    }

    /// @dev A host that computed before the seed existed (from a guessed seed) commits leaves the chain's seed
    /// does not produce: its first audited proof fails.
    function test_precomputedWork_revealReverts() public {
        uint256 id = open(hostId);
        uint256[8] memory indices = auditedIndices(id);
        Behaviour memory precomputed;
        precomputed.guessedSeed = keccak256("a guess");
        (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs) =
            commitWork(verifier, id, precomputed);
        vm.prank(signer(hostId));
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.InvalidProof.selector, id, 0, indices[0] / GROUP_TILES));
        verifier.reveal(id, tiles, groupStats, proofs);
    }

    /// @dev A provider that challenges its own host from a second wallet and misses on purpose, to take stake out
    /// past the unbonding delay and the collateral check, gets back ten fees' worth and loses a tenth of its stake.
    function test_selfDealingFailure_losesFarMoreThanItTakesOut() public {
        address second = makeAddr("provider's second wallet");
        buyScu(second, 10e18);
        vm.startPrank(second);
        scu.approve(address(verifier), type(uint256).max);
        uint256 id = verifier.challenge(hostId);
        vm.stopPrank();
        vm.warp(verifier.challengeOf(id).commitBy + 1);
        uint256 taken = usdc.balanceOf(second);
        verifier.expire(id);
        taken = usdc.balanceOf(second) - taken;
        assertEq(taken, reward());
        assertLt(taken * 100, PROVIDER_STAKE / 10, "the second wallet gets less than 1% of what the stake lost");
        assertEq(registry.provider(provider).stake, PROVIDER_STAKE * 9 / 10);
    }

    /// @dev A host slower than toleranceBps of its rating misses the deadline: its commit reverts and anyone
    /// fails it.
    function test_slowHost_cannotCommitLate_andFails() public {
        uint256 id = open(hostId);
        uint256 commitBy = vm.getBlockTimestamp() + SPAN;
        mineSeed(verifier, id);
        vm.expectRevert(
            abi.encodeWithSelector(ISupplyVerifier.NotExpired.selector, id, ChallengeStatus.Proving, commitBy)
        );
        verifier.expire(id);
        vm.warp(commitBy + 1);
        vm.prank(signer(hostId));
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.CommitTooLate.selector, id, commitBy));
        verifier.commit(id, bytes32(uint256(1)));
        vm.expectEmit(address(verifier));
        emit ISupplyVerifier.ChallengeFailed(id, hostId, FailureReason.MissedCommit, PROVIDER_STAKE / 10, reward());
        verifier.expire(id);
        assertEq(uint8(status(id)), uint8(ChallengeStatus.Failed));
    }

    /// @dev A host listing 64 GPUs with one: the work is sized for 64 (3,907 rounds, a second at the rated 64
    /// MFLOP/s), so one GPU needs 64 s, past the 22 s deadline (20 s overhead + the rated time over 75%).
    function test_hostWithFewerGpusThanListed_missesTheDeadline() public {
        uint256 big = registerUnverifiedHost(provider, newSignerKey("big"), H100, 64, 30 days);
        (uint256 rounds, uint256 span,) = verifier.work(big);
        assertEq(rounds, 3_907);
        assertEq(span, 22);
        vm.prank(provider);
        uint256 id = verifier.challenge(big);
        uint256 oneGpuSeconds = rounds * verifier.flopsPerRound() / (TEST_MFLOPS_PER_GPU * 1e6);
        assertEq(oneGpuSeconds, 64);
        mineSeed(verifier, id);
        vm.warp(vm.getBlockTimestamp() + oneGpuSeconds);
        vm.prank(signer(big));
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.CommitTooLate.selector, id, vm.getBlockTimestamp() - 42));
        verifier.commit(id, bytes32(uint256(1)));
        uint256 stakeBefore = registry.provider(provider).stake;
        verifier.expire(id);
        assertTrue(registry.host(big).verificationFailed);
        // Its own challenge: no slash paid to itself (that would withdraw stake past the unbonding delay).
        assertEq(registry.provider(provider).stake, stakeBefore);
    }

    /// @dev A revealed value with the right statistic (one value negated) but the wrong product: anyone proves
    /// it and the challenge fails; a correct value proves nothing.
    function test_wrongElement_isProven_andACorrectOneIsNot() public {
        uint256 id = open(hostId);
        Behaviour memory honest;
        (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs) = commitWork(verifier, id, honest);
        // Negate the first non-zero value of sample 3's tile: v² is unchanged, so the leaf still proves.
        (uint256 row, uint256 col, int32 value) = firstNonZero(tiles[3]);
        bytes memory honestTile = tiles[3];
        tiles[3] = withValue(honestTile, TEST_COLS, row, col, -value);
        for (uint256 s; s < 8; ++s) {
            // The same leaf may be audited twice: forge it wherever it is opened.
            if (keccak256(tiles[s]) == keccak256(honestTile)) tiles[s] = tiles[3];
        }
        vm.prank(signer(hostId));
        verifier.reveal(id, tiles, groupStats, proofs);
        bytes32[] memory hashes = new bytes32[](8);
        for (uint256 s; s < 8; ++s) {
            hashes[s] = keccak256(tiles[s]);
        }
        uint256 otherCol = (col + 1) % TEST_COLS;
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.NoFraud.selector, id, 3, row, otherCol));
        verifier.proveFraud(id, 3, tiles[3], hashes, row, otherCol);
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.NotRevealed.selector, id, 3));
        verifier.proveFraud(id, 3, honestTile, hashes, row, col);

        (uint256 before, uint256 challengerUsdc) = (usdc.balanceOf(address(this)), usdc.balanceOf(challenger));
        vm.expectEmit(address(verifier));
        emit ISupplyVerifier.ChallengeFailed(id, hostId, FailureReason.WrongElement, PROVIDER_STAKE / 10, reward());
        verifier.proveFraud(id, 3, tiles[3], hashes, row, col);
        assertEq(usdc.balanceOf(address(this)), before + reward(), "the reward goes to whoever proved the value wrong");
        assertEq(usdc.balanceOf(challenger), challengerUsdc);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISupplyVerifier.WrongStatus.selector, id, ChallengeStatus.Failed, ChallengeStatus.Revealed
            )
        );
        verifier.finalize(id);
    }

    function test_proveFraud_onAnHonestRevealReverts() public {
        uint256 id = open(hostId);
        Behaviour memory honest;
        (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs) = commitWork(verifier, id, honest);
        vm.prank(signer(hostId));
        verifier.reveal(id, tiles, groupStats, proofs);
        bytes32[] memory hashes = new bytes32[](8);
        for (uint256 s; s < 8; ++s) {
            hashes[s] = keccak256(tiles[s]);
        }
        for (uint256 row; row < TEST_TILE_ROWS; ++row) {
            for (uint256 col; col < TEST_COLS; ++col) {
                vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.NoFraud.selector, id, 5, row, col));
                verifier.proveFraud(id, 5, tiles[5], hashes, row, col);
            }
        }
    }

    /// @dev Another challenge's commitment and openings (another seed) do not open this one's.
    function test_replayedCommitment_fails() public {
        uint256 other = registerUnverifiedHost(provider, newSignerKey("other"), H100, 8, 30 days);
        uint256 first = open(other);
        Behaviour memory honest;
        (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs) =
            commitWork(verifier, first, honest);
        bytes32 root = verifier.challengeOf(first).root;

        uint256 id = open(hostId);
        mineSeed(verifier, id);
        vm.prank(signer(hostId));
        verifier.commit(id, root);
        uint256 auditBlock = vm.getBlockNumber() + 1;
        vm.roll(auditBlock + 1);
        vm.setBlockhash(auditBlock, auditHashFor(first)); // even with the same audit hash
        // The other challenge's tiles sit at other positions of their groups, or prove other leaves: a statistic
        // that is not the tile's at this audit's position, or a proof that fails.
        vm.prank(signer(hostId));
        (bool ok, bytes memory err) =
            address(verifier).call(abi.encodeCall(verifier.reveal, (id, tiles, groupStats, proofs)));
        assertFalse(ok);
        bytes4 selector = bytes4(err);
        assertTrue(
            selector == ISupplyVerifier.InvalidProof.selector || selector == ISupplyVerifier.StatMismatch.selector
        );
    }

    /// @dev A host that hashed made-up statistics into its leaves (cheap: no product) and computes only the audited
    /// tiles once the audit is known: the committed statistics prove, but the tile's own is not among them; and the
    /// true statistics do not prove the committed leaf.
    function test_madeUpStatistics_revealReverts() public {
        uint256 id = open(hostId);
        uint256[8] memory indices = auditedIndices(id);
        Behaviour memory faker;
        for (uint256 s; s < 8; ++s) {
            faker.fakeStats[s] = true;
        }
        (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs) = commitWork(verifier, id, faker);
        uint64 stat = statOf(tiles[0]);
        vm.prank(signer(hostId));
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.StatMismatch.selector, id, 0, stat + 1, stat));
        verifier.reveal(id, tiles, groupStats, proofs);

        Challenge memory c = verifier.challengeOf(id);
        uint256 t = indices[0] % TILES_PER_ROUND;
        for (uint256 s; s < 8; ++s) {
            if (indices[s] / GROUP_TILES == indices[0] / GROUP_TILES) {
                groupStats[s] = groupStatsOf(c.seed, verifier.shape(), indices[0] / TILES_PER_ROUND, t, false);
            }
        }
        vm.prank(signer(hostId));
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.InvalidProof.selector, id, 0, indices[0] / GROUP_TILES));
        verifier.reveal(id, tiles, groupStats, proofs);
    }

    /// @dev A group's statistics swapped between its two tiles (the tile opened is right): the statistic at the tile's
    /// position is its neighbour's; and opening the neighbour's tile to match the swapped order breaks the proof (the
    /// leaf commits the order).
    function test_swappedStatistics_revealReverts() public {
        uint256 id = open(hostId);
        uint256[8] memory indices = auditedIndices(id);
        Behaviour memory honest;
        (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs) = commitWork(verifier, id, honest);
        bytes memory stats = groupStats[0];
        bytes memory swapped = new bytes(16);
        for (uint256 k; k < 8; ++k) {
            (swapped[k], swapped[8 + k]) = (stats[8 + k], stats[k]);
        }
        uint256 p = indices[0] % GROUP_TILES;
        (uint64 own, uint64 other) = (statAtMemory(stats, p), statAtMemory(stats, 1 - p));
        assertTrue(own != other, "the group's two statistics differ");
        assertEq(own, statOf(tiles[0]));
        groupStats[0] = swapped;
        vm.prank(signer(hostId));
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.StatMismatch.selector, id, 0, other, own));
        verifier.reveal(id, tiles, groupStats, proofs);

        (uint256 r, uint256 t) = (indices[0] / TILES_PER_ROUND, indices[0] % TILES_PER_ROUND);
        tiles[0] = tileOf(verifier.challengeOf(id).seed, verifier.shape(), r, t ^ 1); // the neighbour's tile
        assertEq(statOf(tiles[0]), other);
        vm.prank(signer(hostId));
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.InvalidProof.selector, id, 0, indices[0] / GROUP_TILES));
        verifier.reveal(id, tiles, groupStats, proofs);
    }

    /// @dev Group statistics a byte short or long (8 · groupTiles = 16 bytes each), and a missing sample's.
    function test_reveal_refusesStatisticsOfTheWrongLengthOrCount() public {
        uint256 id = open(hostId);
        Behaviour memory honest;
        (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs) = commitWork(verifier, id, honest);
        bytes memory right = groupStats[2];
        groupStats[2] = bytes.concat(right, hex"00");
        vm.prank(signer(hostId));
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.WrongStatsLength.selector, 2, 17, 16));
        verifier.reveal(id, tiles, groupStats, proofs);
        groupStats[2] = bytes.concat(bytes8(statOf(tiles[2]))); // only the tile's own
        vm.prank(signer(hostId));
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.WrongStatsLength.selector, 2, 8, 16));
        verifier.reveal(id, tiles, groupStats, proofs);
        groupStats[2] = right;

        bytes[] memory seven = new bytes[](7);
        for (uint256 s; s < 7; ++s) {
            seven[s] = groupStats[s];
        }
        vm.prank(signer(hostId));
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.WrongSampleCount.selector, 8, 7, 8));
        verifier.reveal(id, tiles, seven, proofs);
        vm.prank(signer(hostId));
        verifier.reveal(id, tiles, groupStats, proofs);
        assertEq(uint8(status(id)), uint8(ChallengeStatus.Revealed));
    }

    /// @dev The real chains' deadline against the hardware: 8 H100s at their datasheet rate get ⌈30 s of work⌉ and
    /// 20 s + the work over 75% to commit (61 s). At half the rate the work alone takes 60 s, leaving less than the
    /// least real overhead (a block to learn the seed, a block to include the commit: ≥ 2 s); at 60% it takes 50 s,
    /// leaving the 8 s of overhead Parameters.sol allows an honest host. Pure arithmetic over the verifier's own
    /// rounds and span (v1's 2 s of work and 30 s of overhead let a host at a sixteenth of its rating through).
    function test_gpuDeadline_halfTheRateMisses_sixtyPercentMeets() public {
        string memory classes = vm.readFile("script/gpu-classes.json");
        bytes32[] memory ids = vm.parseJsonBytes32Array(classes, ".ids");
        uint256[] memory datasheet = vm.parseJsonUintArray(classes, ".mflopsPerGpu");
        uint64[] memory rates = new uint64[](ids.length);
        uint256 h100;
        for (uint256 i; i < ids.length; ++i) {
            rates[i] = uint64(datasheet[i]);
            if (ids[i] == H100) h100 = rates[i];
        }
        assertEq(h100, 989_400_000, "the H100's datasheet MFLOP/s");
        SupplyVerifier gpu = Deployers.supplyVerifier(registry, scu, Parameters.verifierConfig(false), ids, rates);
        (uint256 rounds, uint256 span,) = gpu.work(hostId); // 8 H100s
        uint256 work = rounds * gpu.flopsPerRound(); // FLOP
        uint256 rate = 8 * h100 * 1e6; // FLOP/s
        assertEq(span, 61);
        uint256 minOverhead = 2;
        uint256 honestOverhead = 8;
        // Seconds of compute at x% of the rating, rounded down (in the slow host's favour).
        uint256 atHalf = work * 100 / (rate * 50);
        uint256 atSixty = work * 100 / (rate * 60);
        assertGt(atHalf + minOverhead, span, "half the rate cannot commit in time");
        assertLe(atSixty + honestOverhead, span, "60% of the rate commits in time");
        assertEq(atHalf, 60);
        assertEq(atSixty, 50);
    }

    /// @dev One open challenge per host, and a new one only after span / duty cycle since the last began.
    function test_spammer_isHeldToOneOpenChallengeAndTheDutyCycle() public {
        uint256 id = open(hostId);
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.ChallengeAlreadyOpen.selector, hostId, id));
        open(hostId);
        proveHost(verifier, id, false);
        (,,,,, uint64 next,) = verifier.hostVerification(hostId);
        assertEq(next, verifier.challengeOf(id).begunAt + SPAN * 10);
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.ChallengeTooSoon.selector, hostId, next));
        open(hostId);
        vm.warp(next);
        open(hostId);
    }

    /// @dev A provider keeping its own (free, slash-free) challenge open on its host for good, so that no one else
    /// ever checks it, is held to one of its own per SELF_CHALLENGE_GAP; a stranger's may come between.
    function test_selfChallenges_cannotMonopoliseTheHost() public {
        uint256 id = selfVerify(verifier, hostId, false);
        uint256 gapEnds = vm.getBlockTimestamp() + verifier.SELF_CHALLENGE_GAP();
        (,,,,, uint64 next,) = verifier.hostVerification(hostId);
        vm.warp(next);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.SelfChallengeTooSoon.selector, hostId, gapEnds));
        verifier.challenge(hostId);
        uint256 strangers = open(hostId);
        assertGt(strangers, id);
    }

    /// @dev A host that revealed a wrong value in its provider's own challenge is slashed all the same, and the
    /// reward goes to whoever proved it (there is no fee to refund).
    function test_wrongElementInAnOwnChallenge_isSlashedToTheProver() public {
        vm.prank(provider);
        uint256 id = verifier.challenge(hostId);
        Behaviour memory lazy;
        lazy.zeroTiles = true;
        (bytes[] memory tiles, bytes[] memory groupStats, bytes32[][] memory proofs) = commitWork(verifier, id, lazy);
        vm.prank(signer(hostId));
        verifier.reveal(id, tiles, groupStats, proofs);
        bytes32[] memory hashes = new bytes32[](8);
        for (uint256 s; s < 8; ++s) {
            hashes[s] = keccak256(tiles[s]);
        }
        uint256 col;
        bytes32 seed = verifier.challengeOf(id).seed;
        uint256 index = verifier.auditIndices(id)[0];
        uint256 perRound = TEST_ROWS / TEST_TILE_ROWS;
        while (verifier.element(seed, index / perRound, (index % perRound) * TEST_TILE_ROWS, col) == 0) ++col;
        address watcher = makeAddr("watcher");
        vm.prank(watcher);
        verifier.proveFraud(id, 0, tiles[0], hashes, 0, col);
        assertEq(registry.provider(provider).stake, PROVIDER_STAKE * 9 / 10);
        assertEq(usdc.balanceOf(watcher), reward());
    }

    /// @dev A host that failed is slashed once for the streak: failing it again before it passes (a challenge each
    /// duty-cycle gap, say while its agent is down) takes no more stake.
    function test_failureStreak_isSlashedOnce() public {
        uint256 first = open(hostId);
        vm.warp(verifier.challengeOf(first).commitBy + 1);
        verifier.expire(first);
        assertEq(registry.provider(provider).stake, PROVIDER_STAKE * 9 / 10);
        (,,,,, uint64 next,) = verifier.hostVerification(hostId);
        vm.warp(next);
        uint256 second = open(hostId);
        vm.warp(verifier.challengeOf(second).commitBy + 1);
        vm.expectEmit(address(verifier));
        emit ISupplyVerifier.ChallengeFailed(second, hostId, FailureReason.MissedCommit, 0, 0);
        verifier.expire(second);
        assertEq(registry.provider(provider).stake, PROVIDER_STAKE * 9 / 10);
    }

    /// @dev A failure shows in the provider's reliability score, once a streak for missed commits: one challenge
    /// failed and an hour of each of the host's GPUs failed.
    function test_failure_marksReliability_oncePerStreak() public {
        (uint256 before,,,,,,) = registry.reliabilityOf(provider);
        uint256 first = open(hostId);
        vm.warp(verifier.challengeOf(first).commitBy + 1);
        uint256 gpuSeconds = uint256(registry.host(hostId).gpuCount) * 1 hours;
        vm.expectEmit(address(registry));
        emit IProviderRegistry.OutcomeRecorded(provider, Outcome.ChallengeFailed, gpuSeconds);
        verifier.expire(first);
        (uint256 score,,,,, uint64 failed, uint32 challenges) = registry.reliabilityOf(provider);
        assertEq(challenges, 1);
        assertEq(failed, gpuSeconds);
        assertLt(score, before);

        (,,,,, uint64 next,) = verifier.hostVerification(hostId);
        vm.warp(next);
        uint256 second = open(hostId);
        vm.warp(verifier.challengeOf(second).commitBy + 1);
        verifier.expire(second);
        (,,,,, failed, challenges) = registry.reliabilityOf(provider);
        assertEq(challenges, 1, "a missed commit within a streak marks nothing more");
        assertEq(failed, gpuSeconds);
    }

    /// @dev Attack: a provider fails its own (free, slash-free) challenge of a dead host first, so that every
    /// stranger's missed commit after it falls within a streak. Its own missed commit is marked all the same.
    function test_ownMissedCommit_isMarkedInReliability() public {
        vm.prank(provider);
        uint256 own = verifier.challenge(hostId);
        vm.warp(verifier.challengeOf(own).commitBy + 1);
        uint256 stake = registry.provider(provider).stake;
        verifier.expire(own);
        assertEq(registry.provider(provider).stake, stake, "its own missed commit is not slashed");
        (,,,,,, uint32 challenges) = registry.reliabilityOf(provider);
        assertEq(challenges, 1, "but it is marked");
        (,,,,, uint64 next,) = verifier.hostVerification(hostId);
        vm.warp(next);
        uint256 strangers = open(hostId);
        vm.warp(verifier.challengeOf(strangers).commitBy + 1);
        verifier.expire(strangers);
        (,,,,,, challenges) = registry.reliabilityOf(provider);
        assertEq(challenges, 1, "the streak it began is marked once");
    }

    /// @dev Attack: a host that failed once (no longer slashable for a missed commit) commits partial work to every
    /// challenge of a second wallet, reveals only when the audit misses its gaps and walks away otherwise. A missed
    /// reveal follows a commitment the host chose to make: it is slashed every time, streak or not.
    function test_failureStreak_missedRevealsAreSlashedEveryTime() public {
        uint256 first = open(hostId);
        vm.warp(verifier.challengeOf(first).commitBy + 1);
        verifier.expire(first);
        assertEq(registry.provider(provider).stake, PROVIDER_STAKE * 9 / 10);
        (,,,,, uint64 next,) = verifier.hostVerification(hostId);
        vm.warp(next);

        uint256 second = open(hostId);
        Behaviour memory half;
        for (uint256 s; s < 8; ++s) {
            half.garbage[s] = s % 2 == 1;
        }
        commitWork(verifier, second, half);
        vm.warp(verifier.challengeOf(second).committedAt + REVEAL_WINDOW + 1);
        uint256 slashed = PROVIDER_STAKE * 9 / 10 / 10;
        vm.expectEmit(address(verifier));
        emit ISupplyVerifier.ChallengeFailed(
            second, hostId, FailureReason.MissedReveal, slashed, Math.min(slashed, reward())
        );
        verifier.expire(second);
        assertEq(registry.provider(provider).stake, PROVIDER_STAKE * 9 / 10 - slashed);
    }

    /// @dev Attack: a host too large to challenge (or never challenged) must not count as capacity: a provider
    /// whose proven hosts failed would otherwise be kept from liquidation by a listing nobody can check.
    function test_neverVerifiedHost_backsNothing() public {
        assertEq(registry.capacityOf(provider), 0, "the suite's own host is listed but unproven");
        uint64 unproven = registerUnverifiedHost(provider, newSignerKey("unproven"), H100, 8, 30 days);
        assertEq(registry.host(unproven).verifiedUntil, 0);
        assertEq(registry.capacityOf(provider), 0, "an unproven host adds nothing");
        uint64 proven = registerHost(provider, newSignerKey("proven"), H100, 8, 30 days);
        assertGt(registry.capacityOf(provider), 0, "a proven host counts");
        // Once the proven one fails, the two unproven ones still add nothing: the provider is liquidatable.
        vm.warp(vm.getBlockTimestamp() + 1 days); // past the fixture's own challenge's duty cycle
        uint256 id = open(proven);
        vm.warp(verifier.challengeOf(id).commitBy + 1);
        verifier.expire(id);
        assertEq(registry.capacityOf(provider), 0);
    }

    /// @dev A host with jobs running: the challenge waits (and no new job books the host), then begins when they
    /// end, with the span the fee paid for.
    function test_busyHost_pendsUntilItsJobsEnd_andTakesNoNewJob() public {
        uint64 busy = registerHost(provider, newSignerKey("busy"), H100, 8, 30 days); // verified by the fixture
        uint256 jobId = createJob(buyer, busy, 2, 1 hours);
        vm.warp(vm.getBlockTimestamp() + 1 days); // past the fixture's own challenge's duty cycle
        uint256 id = open(busy);
        assertEq(uint8(status(id)), uint8(ChallengeStatus.Pending));
        assertEq(registry.host(busy).provingUntil, type(uint64).max);

        buyScu(buyer, 100e18);
        vm.expectRevert(abi.encodeWithSelector(IProviderRegistry.HostProving.selector, busy, type(uint64).max));
        vm.prank(buyer);
        escrow.createJob(jobParams(busy, 1, 1 hours));
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.HostBusy.selector, busy, 2));
        verifier.begin(id);

        // The job ends (cancelled before it started: its GPUs are released).
        vm.prank(buyer);
        escrow.cancel(jobId, "");
        verifier.begin(id);
        Challenge memory c = verifier.challengeOf(id);
        assertEq(uint8(c.status), uint8(ChallengeStatus.Proving));
        assertEq(c.commitBy, vm.getBlockTimestamp() + SPAN);
        assertEq(registry.host(busy).provingUntil, vm.getBlockTimestamp() + SPAN);
        proveHost(verifier, id, false);
        assertEq(uint8(status(id)), uint8(ChallengeStatus.Passed));
    }

    /// @dev Attack: the provider of a busy host pauses it while a stranger's challenge waits, then lets the jobs end.
    /// Beginning anyway would slash it for a commit it no longer owed, or (if it answered) let pausing keep a
    /// status; the challenge is withdrawn instead: the fee back, no slash, the host unverified and bookable.
    function test_begin_onAHostPausedOrUnlistedWhileItWaited_withdrawsIt() public {
        for (uint256 unlisted; unlisted < 2; ++unlisted) {
            uint64 busy = registerHost(provider, newSignerKey(unlisted == 0 ? "paused" : "unlisted"), H100, 8, 30 days);
            uint256 jobId = createJob(buyer, busy, 2, 1 hours);
            vm.warp(vm.getBlockTimestamp() + 1 days); // past the fixture's own challenge's duty cycle
            uint256 stakeBefore = registry.provider(provider).stake;
            uint256 challengerBefore = scu.balanceOf(challenger);
            uint256 id = open(busy);
            uint256 paid = verifier.challengeOf(id).fee;
            assertGt(paid, 0);

            if (unlisted == 0) {
                vm.prank(provider);
                registry.setPaused(busy, true);
            } else {
                vm.warp(registry.host(busy).listedUntil);
            }
            vm.prank(buyer);
            escrow.cancel(jobId, "");
            vm.expectEmit(address(verifier));
            emit ISupplyVerifier.ChallengeWithdrawn(id, busy);
            verifier.begin(id);

            assertEq(uint8(status(id)), uint8(ChallengeStatus.Withdrawn));
            assertEq(scu.balanceOf(challenger), challengerBefore, "the fee went back");
            assertEq(registry.provider(provider).stake, stakeBefore, "no slash");
            assertEq(registry.host(busy).verifiedUntil, 0, "the proof ended with it");
            assertFalse(registry.host(busy).verificationFailed, "nothing was proven against the host");
            assertEq(registry.host(busy).provingUntil, 0, "bookable again");
            assertEq(verifier.openChallengeOf(busy), 0);
            vm.expectRevert(
                abi.encodeWithSelector(
                    ISupplyVerifier.WrongStatus.selector, id, ChallengeStatus.Withdrawn, ChallengeStatus.Pending
                )
            );
            verifier.begin(id);
        }
    }

    function test_challenge_refusesPausedAndUnlistedHosts() public {
        vm.prank(provider);
        registry.setPaused(hostId, true);
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.HostIsPaused.selector, hostId));
        open(hostId);
        vm.prank(provider);
        registry.setPaused(hostId, false);
        vm.warp(registry.host(hostId).listedUntil);
        vm.expectRevert(
            abi.encodeWithSelector(ISupplyVerifier.HostNotListed.selector, hostId, registry.host(hostId).listedUntil)
        );
        open(hostId);
    }

    function test_constructor_checksTheShapeAndTable() public {
        VerifierConfig memory c = verifierConfig();
        c.shape = WorkShape({rows: 8, cols: 4, inner: 20, tileRows: 2, groupTiles: 2});
        vm.expectRevert(
            abi.encodeWithSelector(ISupplyVerifier.InvalidParameter.selector, bytes32("inner % 8"), 4, 0, 0)
        );
        Deployers.supplyVerifier(registry, scu, c, classIds(), classRates());
        // 2 rows of 2^15 columns: 2^16 values of up to 2^24 would square past a uint64 statistic.
        c.shape = WorkShape({rows: 8, cols: 1 << 15, inner: 32, tileRows: 2, groupTiles: 2});
        vm.expectRevert(
            abi.encodeWithSelector(
                ISupplyVerifier.InvalidParameter.selector, bytes32("tileRows * cols"), 1 << 16, 1, 1 << 15
            )
        );
        Deployers.supplyVerifier(registry, scu, c, classIds(), classRates());
        c.shape = WorkShape({rows: 8, cols: 3, inner: 32, tileRows: 2, groupTiles: 2});
        vm.expectRevert(
            abi.encodeWithSelector(ISupplyVerifier.InvalidParameter.selector, bytes32("cols power of two"), 2, 0, 0)
        );
        Deployers.supplyVerifier(registry, scu, c, classIds(), classRates());
        c.shape = WorkShape({rows: 6, cols: 4, inner: 32, tileRows: 4, groupTiles: 1});
        vm.expectRevert(
            abi.encodeWithSelector(ISupplyVerifier.InvalidParameter.selector, bytes32("rows % tileRows"), 2, 0, 0)
        );
        Deployers.supplyVerifier(registry, scu, c, classIds(), classRates());
        c.shape = WorkShape({rows: (1 << 20) + 2, cols: 4, inner: 32, tileRows: 2, groupTiles: 2});
        vm.expectRevert(
            abi.encodeWithSelector(
                ISupplyVerifier.InvalidParameter.selector, bytes32("rows"), (1 << 20) + 2, 1, 1 << 20
            )
        );
        Deployers.supplyVerifier(registry, scu, c, classIds(), classRates());
        expectGroupRejected(c, 8, 2, 0, "groupTiles", 0, 1, 1_024);
        expectGroupRejected(c, 8, 2, 3, "groupTiles power of two", 2, 0, 0);
        expectGroupRejected(c, 8, 2, 8, "tilesPerRound % groupTiles", 4, 0, 0);
        expectGroupRejected(c, 1 << 16, 16, 2_048, "groupTiles", 2_048, 1, 1_024);
        // 32 tiles a round in groups of 2: 16 leaves a round, so 2^23 rounds would pass the agent's 2^26 leaves.
        expectGroupRejected(c, 64, 2, 2, "leavesPerRound", 16, 1, 8);
        c.shape = WorkShape({rows: 64, cols: 4, inner: 32, tileRows: 2, groupTiles: 4}); // 8 leaves a round: the most
        assertEq(Deployers.supplyVerifier(registry, scu, c, classIds(), classRates()).shape().groupTiles, 4);
        c = verifierConfig();
        c.verifiedFor = 1 days; // a verification that would never back a mint (MINT_HEADROOM is a day)
        vm.expectRevert(
            abi.encodeWithSelector(
                ISupplyVerifier.InvalidParameter.selector, bytes32("verifiedFor"), 1 days, 2 days, 365 days
            )
        );
        Deployers.supplyVerifier(registry, scu, c, classIds(), classRates());
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.ClassTableMismatch.selector, 2, 1));
        Deployers.supplyVerifier(registry, scu, verifierConfig(), classIds(), new uint64[](1));
    }

    function expectGroupRejected(
        VerifierConfig memory c,
        uint32 rows,
        uint32 tileRows,
        uint32 groupTiles,
        bytes32 name,
        uint256 value,
        uint256 min,
        uint256 max
    ) internal {
        c.shape = WorkShape({rows: rows, cols: 4, inner: 32, tileRows: tileRows, groupTiles: groupTiles});
        vm.expectRevert(abi.encodeWithSelector(ISupplyVerifier.InvalidParameter.selector, name, value, min, max));
        Deployers.supplyVerifier(registry, scu, c, classIds(), classRates());
    }

    function statAtMemory(bytes memory stats, uint256 p) internal pure returns (uint64 stat) {
        for (uint256 k; k < 8; ++k) {
            stat = (stat << 8) | uint8(stats[8 * p + k]);
        }
    }

    function firstNonZero(bytes memory tile) internal pure returns (uint256 row, uint256 col, int32 value) {
        for (uint256 i; i < tile.length / 4; ++i) {
            value = int32(uint32(bytes4(bytes.concat(tile[4 * i], tile[4 * i + 1], tile[4 * i + 2], tile[4 * i + 3]))));
            if (value != 0) return (i / TEST_COLS, i % TEST_COLS, value);
        }
        revert("an all-zero tile");
    }

    // ---------------------------------------------------------------- the registry's bounds

    /// @dev A verification that lapses stops new mints but never liquidates what was minted against it; a failed
    /// challenge takes the host out of the liquidation bound too.
    function test_lapsedVerificationStopsMints_failedOneLiquidates() public {
        // Listed past its verification's end (the fixture verifies for a year).
        uint256 long = registerUnverifiedHost(provider, newSignerKey("long"), H100, 8, 700 days);
        uint256 id = open(long);
        proveHost(verifier, id, false);
        skipFresh(TWAP_WINDOW);
        vm.prank(provider);
        registry.mint(10e18, provider);
        uint256 capacity = registry.capacityOf(provider);
        assertGt(registry.mintBound(provider), 0);

        vm.warp(registry.host(long).verifiedUntil - registry.MINT_HEADROOM() + 1);
        assertEq(registry.mintBound(provider), 0, "less than MINT_HEADROOM of verification left backs no mint");
        assertGt(registry.capacityOf(provider), 0, "a lapsing verification still counts against a liquidation");
        assertLt(registry.capacityOf(provider), capacity);
        assertFalse(registry.isLiquidatable(provider));

        (,,,,, uint64 next,) = verifier.hostVerification(long);
        vm.warp(next > vm.getBlockTimestamp() ? next : vm.getBlockTimestamp());
        uint256 second = open(long);
        vm.warp(verifier.challengeOf(second).commitBy + 1);
        verifier.expire(second);
        assertEq(registry.capacityOf(provider), 0);
        assertTrue(registry.isLiquidatable(provider), "its obligation is no longer backed");
    }
}
