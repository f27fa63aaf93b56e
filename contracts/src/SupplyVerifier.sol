// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ISupplyVerifier} from "./interfaces/ISupplyVerifier.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {IComputeCredit} from "./interfaces/IComputeCredit.sol";
import {ThroughputWork} from "./libraries/ThroughputWork.sol";
import {Host, Provider} from "./types/Provider.sol";
import {
    Challenge,
    ChallengeStatus,
    FailureReason,
    HostVerification,
    VerifierConfig,
    WorkShape
} from "./types/Verification.sol";

/// @title SupplyVerifier
/// @notice Challenges hosts to prove the throughput they listed (ISupplyVerifier says how) and tells the
/// registry which hosts may back a mint. It has no owner: its parameters and throughput table are fixed at
/// deployment.
/// @dev SCU and the registry are the protocol's own contracts; every state change precedes the transfers.
contract SupplyVerifier is ISupplyVerifier {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    uint256 internal constant BPS = 10_000;
    /// @notice Tiles a reveal opens: enough that a host that skipped a fifth of its tiles is caught with
    /// probability 1 − 0.8^8 ≈ 83%, and every challenge risks its stake share.
    uint256 public constant AUDIT_SAMPLES = ThroughputWork.AUDIT_SAMPLES;
    /// @notice Rounds a challenge may take (the round field of a word's counter is 23 bits).
    uint256 public constant MAX_ROUNDS = ThroughputWork.MAX_ROUNDS - 1;
    /// @notice Shortest verification: longer than the registry's MINT_HEADROOM (1 day), or a passed challenge
    /// would never back a mint.
    uint256 public constant MIN_VERIFIED_FOR = 2 days;
    /// @notice Most a failed challenge pays its challenger, in multiples of its fee's worth: ten times what checking
    /// cost, and no more, so a provider failing on purpose to a wallet of its own takes back ten fees at most.
    uint256 public constant REWARD_FEE_MULTIPLE = 10;
    /// @notice Most tiles a leaf may group: a reveal carries the 8-byte statistic of every tile of each audited
    /// group, 8 · 8 · 1,024 = 64 KB of calldata at most (the GPU shape's 256 take 16 KB).
    uint256 public constant MAX_GROUP_TILES = 1_024;
    /// @notice Most leaves a round may have (rows / (tileRows · groupTiles)): with MAX_ROUNDS rounds a challenge then
    /// has at most 2^23 · 8 = 2^26 leaves, the most the host agent's Merkle tree takes (lib/verification/merkle.ts,
    /// MAX_MERKLE_LEAVES: 32 bytes a leaf, 2 GiB), so any challenge this verifier can open is one a host can prove.
    uint256 public constant MAX_LEAVES_PER_ROUND = 8;
    /// @notice Most values a tile may hold (its statistic must fit 64 bits; lib/verification/work.ts says the same).
    uint256 public constant MAX_TILE_VALUES = 1 << 15;
    /// @notice How long after its own challenge of a host ends a provider may challenge it again: a provider
    /// challenging its own host for free must not hold the host's one open challenge for good and keep everyone
    /// else from checking it (its own challenges, free and slash-free, come at most once per gap; anyone's may come
    /// between them). Shorter than a verification, so a provider can renew its own before it lapses.
    uint256 public constant SELF_CHALLENGE_GAP = 3 days;
    /// @notice Where the rest of a failure's slash goes: burned, out of everyone's reach.
    address public constant BURN = address(0xdEaD);
    /// @dev MFLOP/s → FLOP/s.
    uint256 internal constant MEGA = 1e6;

    IProviderRegistry public immutable registry;
    IComputeCredit public immutable credit;

    uint32 internal immutable _rows;
    uint32 internal immutable _cols;
    uint32 internal immutable _inner;
    uint32 internal immutable _tileRows;
    uint32 internal immutable _groupTiles;
    /// @notice FLOPs of one round, 2·M·N·K.
    uint256 public immutable flopsPerRound;
    uint256 public immutable targetSeconds;
    uint256 public immutable commitOverhead;
    uint256 public immutable toleranceBps;
    uint256 public immutable revealWindow;
    uint256 public immutable fraudWindow;
    uint256 public immutable verifiedFor;
    uint256 public immutable dutyCycleBps;
    uint256 public immutable failureSlashBps;

    /// @inheritdoc ISupplyVerifier
    mapping(bytes32 classId => uint64 mflops) public mflopsPerGpu;
    /// @inheritdoc ISupplyVerifier
    uint256 public challengeCount;
    mapping(uint256 id => Challenge) internal _challenges;
    mapping(uint256 hostId => HostVerification) internal _hosts;

    /// @param classIds GPU classes this verifier can challenge, with `mflops[i]` the MFLOP/s per GPU class i must
    /// prove (script/Parameters.sol says which figures).
    constructor(
        IProviderRegistry registry_,
        IComputeCredit credit_,
        VerifierConfig memory c,
        bytes32[] memory classIds,
        uint64[] memory mflops
    ) {
        WorkShape memory s = c.shape;
        _checkParam("inner", s.inner, ThroughputWork.ENTRIES_PER_WORD, ThroughputWork.MAX_INNER);
        _checkParam("inner % 8", s.inner % ThroughputWork.ENTRIES_PER_WORD, 0, 0);
        _checkParam("cols", s.cols, 1, ThroughputWork.MAX_INDEX);
        _checkParam("cols power of two", s.cols & (s.cols - 1), 0, 0);
        _checkParam("tileRows", s.tileRows, 1, s.rows);
        _checkParam("tileRows power of two", s.tileRows & (s.tileRows - 1), 0, 0);
        _checkParam("rows", s.rows, 1, ThroughputWork.MAX_INDEX);
        _checkParam("rows % tileRows", s.rows % s.tileRows, 0, 0);
        uint256 tilesPerRound = s.rows / s.tileRows;
        _checkParam("groupTiles", s.groupTiles, 1, MAX_GROUP_TILES);
        _checkParam("groupTiles power of two", s.groupTiles & (s.groupTiles - 1), 0, 0);
        _checkParam("tilesPerRound % groupTiles", tilesPerRound % s.groupTiles, 0, 0);
        _checkParam("leavesPerRound", tilesPerRound / s.groupTiles, 1, MAX_LEAVES_PER_ROUND);
        // A tile's statistic stays below 2^64: T·N values of at most 2^24 squared is ≤ 2^15 · 2^48 = 2^63.
        _checkParam("tileRows * cols", uint256(s.tileRows) * s.cols, 1, MAX_TILE_VALUES);
        _checkParam("targetSeconds", c.targetSeconds, 1, 1 hours);
        _checkParam("toleranceBps", c.toleranceBps, 1, BPS);
        _checkParam("revealWindow", c.revealWindow, 1, 1 days);
        _checkParam("fraudWindow", c.fraudWindow, 1, 7 days);
        _checkParam("verifiedFor", c.verifiedFor, MIN_VERIFIED_FOR, 365 days);
        _checkParam("dutyCycleBps", c.dutyCycleBps, 1, BPS);
        _checkParam("failureSlashBps", c.failureSlashBps, 0, BPS);
        if (classIds.length != mflops.length) revert ClassTableMismatch(classIds.length, mflops.length);
        for (uint256 i; i < classIds.length; ++i) {
            _checkParam("mflopsPerGpu", mflops[i], 1, type(uint64).max);
            mflopsPerGpu[classIds[i]] = mflops[i];
        }
        (registry, credit) = (registry_, credit_);
        (_rows, _cols, _inner, _tileRows, _groupTiles) = (s.rows, s.cols, s.inner, s.tileRows, s.groupTiles);
        flopsPerRound = ThroughputWork.flopsPerRound(s);
        (targetSeconds, commitOverhead, toleranceBps) = (c.targetSeconds, c.commitOverhead, c.toleranceBps);
        (revealWindow, fraudWindow, verifiedFor) = (c.revealWindow, c.fraudWindow, c.verifiedFor);
        (dutyCycleBps, failureSlashBps) = (c.dutyCycleBps, c.failureSlashBps);
    }

    // ================================================================ views

    /// @inheritdoc ISupplyVerifier
    function challengeOf(uint256 id) external view returns (Challenge memory) {
        return _challenges[id];
    }

    /// @inheritdoc ISupplyVerifier
    function shape() public view returns (WorkShape memory) {
        return WorkShape({rows: _rows, cols: _cols, inner: _inner, tileRows: _tileRows, groupTiles: _groupTiles});
    }

    /// @inheritdoc ISupplyVerifier
    function hostVerification(uint256 hostId)
        external
        view
        returns (
            uint64 verifiedUntil,
            uint64 measuredMflops,
            uint64 ratedMflops,
            uint64 measuredAt,
            uint64 lastChallengeId,
            uint64 nextChallengeAt,
            bool failed
        )
    {
        HostVerification storage v = _hosts[hostId];
        Host memory h = registry.host(hostId);
        ratedMflops = (uint256(mflopsPerGpu[h.classId]) * h.gpuCount).toUint64();
        (verifiedUntil, measuredMflops, measuredAt) = (v.verifiedUntil, v.measuredMflops, v.measuredAt);
        (lastChallengeId, nextChallengeAt, failed) = (v.lastChallengeId, v.nextChallengeAt, v.failed);
    }

    /// @inheritdoc ISupplyVerifier
    function openChallengeOf(uint256 hostId) external view returns (uint256) {
        return _hosts[hostId].openChallengeId;
    }

    /// @inheritdoc ISupplyVerifier
    function work(uint256 hostId) public view returns (uint256 rounds, uint256 span, uint256 fee) {
        Host memory h = registry.host(hostId);
        (rounds, span) = _work(hostId, h);
        fee = registry.jobCost(hostId, h.gpuCount, span);
    }

    /// @inheritdoc ISupplyVerifier
    function element(bytes32 seed, uint256 round, uint256 row, uint256 col) external view returns (int256) {
        return ThroughputWork.element(seed, shape(), round, row, col);
    }

    /// @inheritdoc ISupplyVerifier
    function seedOf(uint256 id) public view returns (bytes32) {
        uint256 seedBlock = _challenges[id].seedBlock;
        if (seedBlock == 0) return 0; // not begun (blockhash(0) is the genesis hash on a young chain)
        bytes32 h = blockhash(seedBlock);
        return h == 0 ? bytes32(0) : keccak256(abi.encode(h, address(this), block.chainid, id));
    }

    /// @inheritdoc ISupplyVerifier
    function auditIndices(uint256 id) external view returns (uint256[8] memory indices) {
        Challenge storage c = _challenges[id];
        if (c.status != ChallengeStatus.Committed && c.status != ChallengeStatus.Revealed) {
            revert WrongStatus(id, c.status, ChallengeStatus.Committed);
        }
        bytes32 auditHash = c.auditHash != 0 ? c.auditHash : _auditHash(id, c);
        uint256 tiles = _tiles(c.rounds);
        for (uint256 s; s < AUDIT_SAMPLES; ++s) {
            indices[s] = ThroughputWork.auditIndex(auditHash, c.seed, s, tiles);
        }
    }

    // ================================================================ actions

    /// @inheritdoc ISupplyVerifier
    function challenge(uint256 hostId) external returns (uint256 id) {
        Host memory h = registry.host(hostId); // reverts UnknownHost
        if (h.listedUntil <= block.timestamp) revert HostNotListed(hostId, h.listedUntil);
        if (h.paused) revert HostIsPaused(hostId);
        HostVerification storage v = _hosts[hostId];
        if (v.openChallengeId != 0) revert ChallengeAlreadyOpen(hostId, v.openChallengeId);
        if (block.timestamp < v.nextChallengeAt) revert ChallengeTooSoon(hostId, v.nextChallengeAt);
        if (msg.sender == h.provider && block.timestamp < v.nextSelfChallengeAt) {
            revert SelfChallengeTooSoon(hostId, v.nextSelfChallengeAt);
        }
        (uint256 rounds, uint256 span) = _work(hostId, h);
        // A provider proving its own host pays no fee: it would pay itself, and a new deployment has no SCU yet
        // (every SCU is minted against verified hosts).
        uint256 fee = msg.sender == h.provider ? 0 : registry.jobCost(hostId, h.gpuCount, span);

        id = ++challengeCount;
        Challenge storage c = _challenges[id];
        (c.hostId, c.challenger, c.fee) = (hostId.toUint64(), msg.sender, fee.toUint128());
        (c.rounds, c.gpus, c.status) = (rounds.toUint32(), h.gpuCount, ChallengeStatus.Pending);
        (v.openChallengeId, v.lastChallengeId) = (id.toUint64(), id.toUint64());
        // No job books the host from now until it commits: the challenge's GPUs are the host's whole listing.
        registry.setVerification(hostId, v.verifiedUntil, type(uint64).max, v.failed);
        emit ChallengeOpened(id, hostId, msg.sender, rounds, fee);
        if (h.gpusBusy == 0) _begin(id, c, v, span);
        if (fee != 0) IERC20(address(credit)).safeTransferFrom(msg.sender, address(this), fee);
    }

    /// @inheritdoc ISupplyVerifier
    function begin(uint256 id) external {
        Challenge storage c = _challenges[id];
        _expectStatus(id, c, ChallengeStatus.Pending);
        Host memory h = registry.host(c.hostId);
        if (h.gpusBusy != 0) revert HostBusy(c.hostId, h.gpusBusy);
        // A host that stopped offering its GPUs while the challenge waited has nothing to prove: a slash for
        // missing a commit it no longer owed would be unfair, and keeping its status would make pausing a way to
        // dodge the check. So the challenge is withdrawn, its fee goes back, and the host's proof ends.
        if (h.listedUntil <= block.timestamp || h.paused) return _withdraw(id, c, h.provider);
        // The span is the one the fee paid for, from the rounds fixed at opening.
        _begin(id, c, _hosts[c.hostId], _span(c.rounds, _rate(h)));
    }

    /// @inheritdoc ISupplyVerifier
    function commit(uint256 id, bytes32 root) external {
        Challenge storage c = _challenges[id];
        _expectStatus(id, c, ChallengeStatus.Proving);
        _onlySigner(id, c);
        if (block.timestamp > c.commitBy) revert CommitTooLate(id, c.commitBy);
        bytes32 seed = seedOf(id);
        if (seed == 0) revert SeedUnavailable(id, c.seedBlock);
        (c.seed, c.root, c.status) = (seed, root, ChallengeStatus.Committed);
        (c.committedAt, c.commitBlock) = (uint64(block.timestamp), uint64(block.number));
        HostVerification storage v = _hosts[c.hostId];
        registry.setVerification(c.hostId, v.verifiedUntil, 0, v.failed); // the host takes jobs again
        emit Committed(id, root);
    }

    /// @inheritdoc ISupplyVerifier
    function reveal(uint256 id, bytes[] calldata tiles, bytes[] calldata groupStats, bytes32[][] calldata proofs)
        external
    {
        Challenge storage c = _challenges[id];
        _expectStatus(id, c, ChallengeStatus.Committed);
        _onlySigner(id, c);
        uint256 revealBy = c.committedAt + revealWindow;
        if (block.timestamp > revealBy) revert RevealTooLate(id, revealBy);
        if (tiles.length != AUDIT_SAMPLES || groupStats.length != AUDIT_SAMPLES || proofs.length != AUDIT_SAMPLES) {
            revert WrongSampleCount(tiles.length, groupStats.length, proofs.length);
        }
        bytes32 auditHash = _auditHash(id, c);
        (bytes32 seed, bytes32 root, uint256 tileCount) = (c.seed, c.root, _tiles(c.rounds));
        uint256 depth = ThroughputWork.depth(_leaves(c.rounds));
        bytes32[8] memory tileHashes; // AUDIT_SAMPLES
        for (uint256 s; s < AUDIT_SAMPLES; ++s) {
            uint256 tile = ThroughputWork.auditIndex(auditHash, seed, s, tileCount);
            _checkSample(id, s, seed, root, tile, depth, tiles[s], groupStats[s], proofs[s]);
            tileHashes[s] = keccak256(tiles[s]);
        }
        bytes32 revealHash = keccak256(abi.encodePacked(tileHashes));
        (c.revealHash, c.auditHash, c.revealedAt) = (revealHash, auditHash, uint64(block.timestamp));
        c.status = ChallengeStatus.Revealed;
        emit Revealed(id, revealHash);
    }

    /// @inheritdoc ISupplyVerifier
    function proveFraud(
        uint256 id,
        uint256 sample,
        bytes calldata tile,
        bytes32[] calldata tileHashes,
        uint256 row,
        uint256 col
    ) external {
        Challenge storage c = _challenges[id];
        _expectStatus(id, c, ChallengeStatus.Revealed);
        if (
            tileHashes.length != AUDIT_SAMPLES || sample >= AUDIT_SAMPLES
                || keccak256(abi.encodePacked(tileHashes)) != c.revealHash || keccak256(tile) != tileHashes[sample]
        ) revert NotRevealed(id, sample);
        if (row >= _tileRows || col >= _cols) revert OutsideTile(row, col);
        uint256 index = ThroughputWork.auditIndex(c.auditHash, c.seed, sample, _tiles(c.rounds)); // τ_s
        uint256 tilesPerRound = _rows / _tileRows;
        int256 expected = ThroughputWork.element(
            c.seed, shape(), index / tilesPerRound, (index % tilesPerRound) * _tileRows + row, col
        );
        if (ThroughputWork.tileValue(tile, _cols, row, col) == expected) revert NoFraud(id, sample, row, col);
        _fail(id, c, FailureReason.WrongElement);
    }

    /// @inheritdoc ISupplyVerifier
    function expire(uint256 id) external {
        Challenge storage c = _challenges[id];
        if (c.status == ChallengeStatus.Proving) {
            if (block.timestamp <= c.commitBy) revert NotExpired(id, c.status, c.commitBy);
            _fail(id, c, FailureReason.MissedCommit);
        } else if (c.status == ChallengeStatus.Committed) {
            uint256 revealBy = c.committedAt + revealWindow;
            if (block.timestamp <= revealBy) revert NotExpired(id, c.status, revealBy);
            _fail(id, c, FailureReason.MissedReveal);
        } else {
            revert WrongStatus(id, c.status, ChallengeStatus.Proving);
        }
    }

    /// @inheritdoc ISupplyVerifier
    function finalize(uint256 id) external {
        Challenge storage c = _challenges[id];
        _expectStatus(id, c, ChallengeStatus.Revealed);
        uint256 endsAt = c.revealedAt + fraudWindow;
        if (block.timestamp < endsAt) revert FraudWindowOpen(id, endsAt);
        c.status = ChallengeStatus.Passed;
        HostVerification storage v = _hosts[c.hostId];
        uint64 verifiedUntil = (block.timestamp + verifiedFor).toUint64();
        // The work's FLOPs over the seconds from the seed's block to the commitment (at least one: a commitment
        // needs a later block than the seed's, but a chain may give both the same timestamp).
        uint256 elapsed = Math.max(c.committedAt - c.begunAt, 1);
        uint64 measured = (uint256(c.rounds) * flopsPerRound / elapsed / MEGA).toUint64();
        (v.verifiedUntil, v.measuredMflops, v.measuredAt) = (verifiedUntil, measured, uint64(block.timestamp));
        (v.failed, v.openChallengeId) = (false, 0);
        address owner = registry.host(c.hostId).provider;
        if (c.challenger == owner) v.nextSelfChallengeAt = (block.timestamp + SELF_CHALLENGE_GAP).toUint64();
        registry.setVerification(c.hostId, verifiedUntil, 0, false);
        emit ChallengePassed(id, c.hostId, measured, verifiedUntil);
        if (c.fee != 0) IERC20(address(credit)).safeTransfer(owner, c.fee);
    }

    // ================================================================ internals

    function _begin(uint256 id, Challenge storage c, HostVerification storage v, uint256 span) internal {
        uint64 commitBy = (block.timestamp + span).toUint64();
        (c.begunAt, c.seedBlock, c.commitBy) = (uint64(block.timestamp), uint64(block.number + 1), commitBy);
        c.status = ChallengeStatus.Proving;
        // Challenges take at most dutyCycleBps of a host's time: the next may begin span / duty cycle from now.
        v.nextChallengeAt = (block.timestamp + span * BPS / dutyCycleBps).toUint64();
        registry.setVerification(c.hostId, v.verifiedUntil, commitBy, v.failed);
        emit ChallengeBegun(id, c.hostId, block.number + 1, commitBy);
    }

    /// @dev Ends a challenge that never began: the fee back, the host unverified (but not failed: nothing was proven
    /// against it) and open to bookings and to the next challenge.
    function _withdraw(uint256 id, Challenge storage c, address owner) internal {
        c.status = ChallengeStatus.Withdrawn;
        uint256 hostId = c.hostId;
        HostVerification storage v = _hosts[hostId];
        (v.verifiedUntil, v.openChallengeId) = (0, 0);
        // A provider's own challenge counts against its gap however it ended, or opening one on a busy host and
        // pausing would hold the host's one open challenge again and again.
        if (c.challenger == owner) v.nextSelfChallengeAt = (block.timestamp + SELF_CHALLENGE_GAP).toUint64();
        registry.setVerification(hostId, 0, 0, v.failed);
        emit ChallengeWithdrawn(id, hostId);
        if (c.fee != 0) IERC20(address(credit)).safeTransfer(c.challenger, c.fee);
    }

    /// @dev The challenger's fee back, the host unverified and out of every capacity bound, and the provider's
    /// stake share to the challenger.
    function _fail(uint256 id, Challenge storage c, FailureReason reason) internal {
        c.status = ChallengeStatus.Failed;
        uint256 hostId = c.hostId;
        HostVerification storage v = _hosts[hostId];
        address owner = registry.host(hostId).provider;
        // One slash per failure streak: a host that failed already (and has not passed since) is out of every
        // bound; failing it again and again, a challenge each duty-cycle gap, would only bleed its stake.
        // A missed commit is what a host that is down does: slashed once per streak, and never on its provider's
        // own challenge. A missed reveal or a wrong value follows a commitment the host chose to make: always
        // slashed, or a host that failed once could commit partial work again and again, reveal only when the
        // audit missed its gaps, and walk away free otherwise.
        // The record counts each failure the slash does, and also a provider's own missed commit (not slashed: a
        // provider may own up to a host that is down), so failing its own challenge first keeps no failure off it.
        bool firstOfStreak = !v.failed;
        bool slashable = reason != FailureReason.MissedCommit || (firstOfStreak && c.challenger != owner);
        bool recorded = reason != FailureReason.MissedCommit || firstOfStreak;
        (v.verifiedUntil, v.failed, v.openChallengeId) = (0, true, 0);
        if (c.challenger == owner) v.nextSelfChallengeAt = (block.timestamp + SELF_CHALLENGE_GAP).toUint64();
        registry.setVerification(hostId, 0, 0, true);
        // A wrong value pays whoever proved it; a missed step, the challenger.
        address to = reason == FailureReason.WrongElement ? msg.sender : c.challenger;
        if (recorded) registry.recordFailedChallenge(hostId);
        (uint256 slashed, uint256 rewarded) = slashable ? _slash(owner, c, to) : (0, 0);
        emit ChallengeFailed(id, hostId, reason, slashed, rewarded);
        if (c.fee != 0) IERC20(address(credit)).safeTransfer(c.challenger, c.fee);
    }

    /// @dev A failed host's provider loses failureSlashBps of its stake, less what open disputes hold (the
    /// escrow's to slash). `to` (the challenger, or whoever proved a wrong value) gets at most REWARD_FEE_MULTIPLE
    /// times the challenge's price (the host's price for its span, what a stranger's fee is, at the registry's
    /// booking price) and the rest is burned: a provider that fails on purpose to a wallet of its own gets back a
    /// sliver of what it loses, so the slash is no way to take stake out past the unbonding delay and the
    /// collateral check.
    function _slash(address owner, Challenge storage c, address to)
        internal
        returns (uint256 slashed, uint256 rewarded)
    {
        Provider memory p = registry.provider(owner);
        uint256 free = p.stake > p.disputeStake ? p.stake - p.disputeStake : 0;
        slashed = Math.min(uint256(p.stake) * failureSlashBps / BPS, free);
        (,,,, uint256 bookingPrice,) = registry.priceState();
        uint256 price = registry.jobCost(c.hostId, c.gpus, c.commitBy - c.begunAt);
        rewarded = Math.min(slashed, Math.mulDiv(price * REWARD_FEE_MULTIPLE, bookingPrice, 1e18));
        if (rewarded != 0) registry.slash(owner, to, rewarded);
        if (slashed > rewarded) registry.slash(owner, BURN, slashed - rewarded);
    }

    /// @dev The host's rated throughput in FLOP/s: its class's per-GPU rate × its GPUs.
    function _rate(Host memory h) internal view returns (uint256) {
        uint256 perGpu = mflopsPerGpu[h.classId];
        if (perGpu == 0) revert UnknownClass(h.classId);
        return perGpu * MEGA * h.gpuCount;
    }

    /// @dev Rounds: enough for targetSeconds at the rated throughput (at least one); span: the commit overhead
    /// plus the time those rounds take at toleranceBps of it, rounded up.
    function _work(uint256 hostId, Host memory h) internal view returns (uint256 rounds, uint256 span) {
        uint256 rate = _rate(h);
        rounds = Math.max(1, Math.ceilDiv(targetSeconds * rate, flopsPerRound));
        if (rounds > MAX_ROUNDS) revert WorkTooLarge(hostId, rounds, MAX_ROUNDS);
        span = _span(rounds, rate);
    }

    function _span(uint256 rounds, uint256 rate) internal view returns (uint256) {
        return commitOverhead + Math.ceilDiv(rounds * flopsPerRound * BPS, rate * toleranceBps);
    }

    /// @dev Sample `s` of challenge `id`, audited tile `tile`: its `values` are a whole tile, its group's `stats`
    /// hold tileStat(values) at the tile's position, and their leaf with `proof` reaches `root` at the group's index.
    function _checkSample(
        uint256 id,
        uint256 s,
        bytes32 seed,
        bytes32 root,
        uint256 tile,
        uint256 depth,
        bytes calldata values,
        bytes calldata stats,
        bytes32[] calldata proof
    ) internal view {
        (uint256 tileBytes, uint256 statsBytes) = (4 * uint256(_tileRows) * _cols, 8 * uint256(_groupTiles));
        if (values.length != tileBytes) revert WrongTileLength(s, values.length, tileBytes);
        if (stats.length != statsBytes) revert WrongStatsLength(s, stats.length, statsBytes);
        if (proof.length != depth) revert WrongProofLength(s, proof.length, depth);
        (uint64 revealed, uint64 computed) =
            (ThroughputWork.statAt(stats, tile % _groupTiles), ThroughputWork.tileStat(values));
        if (revealed != computed) revert StatMismatch(id, s, revealed, computed);
        (uint256 leafIndex, uint256 groupsPerRound) = (tile / _groupTiles, _rows / _tileRows / _groupTiles);
        bytes32 leaf = ThroughputWork.leaf(seed, leafIndex / groupsPerRound, leafIndex % groupsPerRound, stats);
        if (!ThroughputWork.verify(root, leaf, leafIndex, proof)) revert InvalidProof(id, s, leafIndex);
    }

    /// @dev Tiles of a challenge (the audit's domain): every tile of every round.
    function _tiles(uint256 rounds) internal view returns (uint256) {
        return rounds * (_rows / _tileRows);
    }

    /// @dev Leaves in the tree: one per group of groupTiles tiles of a round.
    function _leaves(uint256 rounds) internal view returns (uint256) {
        return _tiles(rounds) / _groupTiles;
    }

    /// @dev blockhash(commitBlock + 1): unknown to the host when it committed. Zero in the commit's next block
    /// itself and 256 blocks later.
    function _auditHash(uint256 id, Challenge storage c) internal view returns (bytes32 h) {
        h = blockhash(c.commitBlock + 1);
        if (h == 0) revert AuditUnavailable(id, c.commitBlock + 1);
    }

    function _expectStatus(uint256 id, Challenge storage c, ChallengeStatus expected) internal view {
        if (c.status == ChallengeStatus.None) revert UnknownChallenge(id);
        if (c.status != expected) revert WrongStatus(id, c.status, expected);
    }

    function _onlySigner(uint256 id, Challenge storage c) internal view {
        if (msg.sender != registry.host(c.hostId).signer) revert NotHostSigner(id, msg.sender);
    }

    function _checkParam(bytes32 name, uint256 value, uint256 min, uint256 max) internal pure {
        if (value < min || value > max) revert InvalidParameter(name, value, min, max);
    }
}
