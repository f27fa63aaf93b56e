// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {IComputeCredit} from "./interfaces/IComputeCredit.sol";
import {IComputeStandard} from "./interfaces/IComputeStandard.sol";
import {IJobEscrow} from "./interfaces/IJobEscrow.sol";
import {IPool} from "./interfaces/IPool.sol";
import {IRouter} from "./interfaces/IRouter.sol";
import {PoolMath} from "./libraries/PoolMath.sol";
import {JobMath} from "./libraries/JobMath.sol";
import {ReferencePrice} from "./libraries/ReferencePrice.sol";
import {Collateral} from "./libraries/Collateral.sol";
import {Reliability} from "./libraries/Reliability.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {Host, HostParams, Provider, Outcome, RegistryConfig} from "./types/Provider.sol";

/// @title ProviderRegistry
/// @notice Providers list hosts, stake USDC and mint SCU against what they listed (PROTOCOL.md invariants 1–3,
/// 5 and 7). It is the only SCU minter: every SCU in existence is some provider's obligation until a burn
/// retires it. It has no owner: its parameters are fixed at deployment.
/// @dev Tokens are the deployment's USDC, the protocol's SCU and its pool; effects precede every transfer.
contract ProviderRegistry is IProviderRegistry {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;
    using ReferencePrice for IPriceOracle;

    uint256 internal constant BPS = 10_000;
    /// @notice Most hosts one provider may register: bounds the capacity loop (≈ 5k gas a host).
    uint256 public constant MAX_HOSTS_PER_PROVIDER = 32;
    /// @notice Most GPUs one host may list (a rack-scale node is 72).
    uint256 public constant MAX_GPUS_PER_HOST = 1024;
    /// @notice Longest a listing may run ahead: two years.
    uint256 public constant MAX_LISTING = 730 days;
    uint256 public constant MAX_ENDPOINT_LENGTH = 256;
    uint256 public constant MAX_REGION_LENGTH = 64;
    /// @notice How far ahead a mint, a pause or a shortened listing must stay backed: a fresh mint cannot become
    /// liquidatable by its listings running down for a day.
    uint256 public constant MINT_HEADROOM = 1 days;
    /// @notice How far past health a liquidation may take a provider: 10% (of the capacity bound, or of the
    /// collateral ratio), so that a liquidated provider is not liquidatable again a minute later.
    uint256 public constant LIQUIDATION_BUFFER_BPS = 1_000;
    /// @notice How long unbonded stake stays withdrawable before the request lapses.
    uint256 public constant UNBOND_WINDOW = 3 days;
    /// @notice The reliability score's prior: one GPU-hour served and one failed, so a new provider scores 50%.
    uint256 public constant RELIABILITY_PRIOR_GPU_SECONDS = Reliability.PRIOR_GPU_SECONDS;
    bytes32 public constant SIGNER_CONSENT_TYPEHASH = keccak256("HostSigner(address provider,uint256 deadline)");
    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    IComputeCredit public immutable credit;
    IERC20 public immutable usdc;
    IComputeStandard public immutable standard;
    IPool public immutable pool;
    /// @notice The reference price's source (its own contract; anyone records readings there or through `observe`).
    IPriceOracle public immutable oracle;
    bool internal immutable _scuIsToken0;
    address internal immutable _deployer;

    uint256 public immutable mintRatioBps;
    uint256 public immutable collateralRatioBps;
    uint256 public immutable liquidationBonusBps;
    uint256 public immutable liquidationMaxPremiumBps;
    uint256 public immutable twapWindow;
    uint256 public immutable unbondingDelay;
    uint256 public immutable floorPrice;

    address public escrow;
    /// @notice The SupplyVerifier: it alone records hosts' verification, and slashes for a failed challenge.
    address public verifier;
    /// @dev The EIP-712 domain ("Hourglass ProviderRegistry", "1", chain id, this registry) as deployed, and the
    /// chain id it was built for (rebuilt on any other chain, as after a fork).
    bytes32 private immutable _domainSeparator;
    uint256 private immutable _domainChainId;

    mapping(uint256 hostId => Host) internal _hosts;
    mapping(address account => Provider) internal _providers;
    mapping(address account => uint256[]) internal _hostIds;
    /// @inheritdoc IProviderRegistry
    mapping(address signer => uint256 hostId) public hostOfSigner;
    uint256 public hostCount;

    /// @param oracle_ The price oracle over the SCU/USDC pool the registry liquidates into.
    constructor(
        IComputeCredit credit_,
        IERC20 usdc_,
        IComputeStandard standard_,
        IPriceOracle oracle_,
        RegistryConfig memory c
    ) {
        (_domainChainId, _domainSeparator) = (block.chainid, _buildDomainSeparator());
        _checkParam("mintRatioBps", c.mintRatioBps, 1, BPS);
        // 100% to 1,000%: below 100% a provider's stake could be worth less than what it owes.
        _checkParam("collateralRatioBps", c.collateralRatioBps, BPS, 10 * BPS);
        _checkParam("liquidationBonusBps", c.liquidationBonusBps, 0, 2000);
        _checkParam("liquidationMaxPremiumBps", c.liquidationMaxPremiumBps, 0, 2000);
        // A liquidation must free more requirement than it costs per SCU, or buying SCU with stake would make
        // a provider less healthy: collateral ratio > (1 + premium)(1 + bonus).
        uint256 liquidationCost = (BPS + c.liquidationMaxPremiumBps) * (BPS + c.liquidationBonusBps);
        if (uint256(c.collateralRatioBps) * BPS <= liquidationCost) {
            revert InvalidParameter("collateralRatioBps", c.collateralRatioBps, liquidationCost / BPS + 1, 10 * BPS);
        }
        _checkParam("floorPrice", c.floorPrice, 1, type(uint128).max);
        IPool pool_ = oracle_.pool();
        (credit, usdc, standard, pool, oracle) = (credit_, usdc_, standard_, pool_, oracle_);
        _scuIsToken0 = pool_.token0() == address(credit_);
        _deployer = msg.sender;
        mintRatioBps = c.mintRatioBps;
        collateralRatioBps = c.collateralRatioBps;
        liquidationBonusBps = c.liquidationBonusBps;
        liquidationMaxPremiumBps = c.liquidationMaxPremiumBps;
        twapWindow = oracle_.window();
        unbondingDelay = c.unbondingDelay;
        floorPrice = c.floorPrice;
    }

    /// @notice Wires the job escrow and the supply verifier, once, from the deployer. Requirements: the unbonding
    /// delay covers the escrow's longest job life, so stake cannot leave before a job it backs could be disputed.
    function setEscrow(address escrow_, address verifier_) external {
        if (msg.sender != _deployer) revert NotDeployer(msg.sender);
        if (escrow != address(0)) revert EscrowAlreadySet(escrow);
        uint256 required = IJobEscrow(escrow_).maxJobLife();
        if (unbondingDelay < required) revert UnbondingDelayTooShort(unbondingDelay, required);
        (escrow, verifier) = (escrow_, verifier_);
        emit EscrowSet(escrow_, verifier_);
    }

    modifier onlyEscrow() {
        if (msg.sender != escrow) revert NotEscrow(msg.sender);
        _;
    }

    // ================================================================ views

    /// @inheritdoc IProviderRegistry
    function host(uint256 hostId) external view returns (Host memory) {
        return _host(hostId);
    }

    /// @inheritdoc IProviderRegistry
    function provider(address account) external view returns (Provider memory) {
        return _providers[account];
    }

    /// @inheritdoc IProviderRegistry
    function hostsOf(address account) external view returns (uint256[] memory) {
        return _hostIds[account];
    }

    /// @inheritdoc IProviderRegistry
    function signerConsentDigest(address account, uint256 deadline) public view returns (bytes32) {
        bytes32 domain = block.chainid == _domainChainId ? _domainSeparator : _buildDomainSeparator();
        return
            MessageHashUtils.toTypedDataHash(domain, keccak256(abi.encode(SIGNER_CONSENT_TYPEHASH, account, deadline)));
    }

    /// @inheritdoc IProviderRegistry
    function capacityOf(address account) public view returns (uint256 scu) {
        uint256[] storage ids = _hostIds[account];
        for (uint256 i; i < ids.length; ++i) {
            Host storage h = _hosts[ids[i]];
            // A lapsed verification never liquidates (the provider minted against it); a failed challenge does, and
            // a host never proven (or whose challenge was withdrawn) backs nothing: a host too large to challenge
            // must not shield a provider whose proven hosts failed.
            if (h.paused || h.verificationFailed || h.verifiedUntil == 0 || h.listedUntil <= block.timestamp) continue;
            scu += JobMath.capacity(h.gpuCount, h.ratingWad, h.listedUntil - block.timestamp);
        }
    }

    /// @inheritdoc IProviderRegistry
    function obligationBound(address account) public view returns (uint256 scu) {
        return capacityOf(account) * mintRatioBps / BPS;
    }

    /// @inheritdoc IProviderRegistry
    function mintBound(address account) external view returns (uint256 scu) {
        (scu,) = _mintBound(account, false);
    }

    /// @inheritdoc IProviderRegistry
    function requiredStake(address account) external view returns (uint256 usdc_) {
        (, uint256 price, bool fresh,,) = _prices();
        return Collateral.requiredStake(
            _providers[account], ReferencePrice.booking(price, fresh, floorPrice), collateralRatioBps
        );
    }

    /// @inheritdoc IProviderRegistry
    function isLiquidatable(address account) external view returns (bool) {
        (, uint256 price,,,) = _prices(); // 0 when not fresh: only the capacity bound is judged
        (bool capacityShort, bool collateralShort) =
            Collateral.shortfalls(_providers[account], obligationBound(account), price, collateralRatioBps);
        return capacityShort || collateralShort;
    }

    /// @inheritdoc IProviderRegistry
    function priceState()
        external
        view
        returns (
            uint256 twap,
            uint256 price,
            bool fresh,
            uint256 newestObservation,
            uint256 bookingPrice,
            uint256 recentPrice
        )
    {
        (twap, price, fresh, newestObservation, recentPrice) = _prices();
        bookingPrice = ReferencePrice.booking(price, fresh, floorPrice);
    }

    /// @inheritdoc IProviderRegistry
    function reliabilityOf(address account)
        external
        view
        returns (
            uint256 scoreBps,
            uint32 completed,
            uint32 noShows,
            uint32 disputesLost,
            uint64 servedGpuSeconds,
            uint64 failedGpuSeconds,
            uint32 challengesFailed
        )
    {
        Provider storage p = _providers[account];
        (completed, noShows, disputesLost) = (p.completed, p.noShows, p.disputesLost);
        challengesFailed = p.challengesFailed;
        (servedGpuSeconds, failedGpuSeconds) = (p.servedGpuSeconds, p.failedGpuSeconds);
        scoreBps = Reliability.scoreBps(servedGpuSeconds, failedGpuSeconds);
    }

    /// @inheritdoc IProviderRegistry
    function jobCost(uint256 hostId, uint256 gpus, uint256 seconds_) external view returns (uint256) {
        return JobMath.cost(gpus, standard.ratingOf(_host(hostId).classId), seconds_);
    }

    // ================================================================ providers

    /// @inheritdoc IProviderRegistry
    function registerHost(HostParams calldata params, uint256 consentDeadline, bytes calldata consent)
        external
        returns (uint256 hostId)
    {
        if (block.timestamp > consentDeadline) revert SignerConsentExpired(consentDeadline, block.timestamp);
        // tryRecover refuses malformed and high-s signatures (error ≠ NoError) and then returns no signer.
        (address recovered, ECDSA.RecoverError err,) =
            ECDSA.tryRecover(signerConsentDigest(msg.sender, consentDeadline), consent);
        if (err != ECDSA.RecoverError.NoError || recovered != params.signer) {
            revert InvalidSignerConsent(params.signer, recovered);
        }
        uint256 bound = hostOfSigner[params.signer];
        if (bound != 0) revert SignerInUse(params.signer, bound);
        uint96 rating = standard.ratingOf(params.classId).toUint96(); // reverts UnknownGpuClass
        if (params.gpuCount == 0 || params.gpuCount > MAX_GPUS_PER_HOST) {
            revert InvalidGpuCount(params.gpuCount, MAX_GPUS_PER_HOST);
        }
        _checkListing(params.listedUntil);
        _checkEndpoint(params.endpoint);
        if (bytes(params.region).length > MAX_REGION_LENGTH) {
            revert InvalidRegion(bytes(params.region).length, MAX_REGION_LENGTH);
        }
        uint256[] storage ids = _hostIds[msg.sender];
        if (ids.length >= MAX_HOSTS_PER_PROVIDER) revert TooManyHosts(msg.sender, MAX_HOSTS_PER_PROVIDER);

        hostId = ++hostCount;
        ids.push(hostId);
        hostOfSigner[params.signer] = hostId;
        _hosts[hostId] = Host({
            provider: msg.sender,
            gpuCount: params.gpuCount,
            gpusBusy: 0,
            paused: false,
            signer: params.signer,
            listedUntil: params.listedUntil,
            classId: params.classId,
            ratingWad: rating,
            verifiedUntil: 0,
            provingUntil: 0,
            verificationFailed: false,
            endpoint: params.endpoint,
            region: params.region
        });
        emit HostRegistered(
            hostId,
            msg.sender,
            params.signer,
            params.classId,
            params.gpuCount,
            params.listedUntil,
            params.endpoint,
            params.region
        );
    }

    /// @inheritdoc IProviderRegistry
    function setEndpoint(uint256 hostId, string calldata endpoint) external {
        _checkEndpoint(endpoint);
        _ownedHost(hostId).endpoint = endpoint;
        emit HostEndpointChanged(hostId, endpoint);
    }

    /// @inheritdoc IProviderRegistry
    function setListedUntil(uint256 hostId, uint64 listedUntil) external {
        _checkListing(listedUntil);
        Host storage h = _ownedHost(hostId);
        bool shorter = listedUntil < h.listedUntil;
        h.listedUntil = listedUntil;
        // Only a shorter listing can leave the obligation less backed.
        if (shorter) _checkCapacity(msg.sender, _providers[msg.sender].obligation);
        emit HostListingChanged(hostId, listedUntil);
    }

    /// @inheritdoc IProviderRegistry
    function setPaused(uint256 hostId, bool paused) external {
        _ownedHost(hostId).paused = paused;
        if (paused) _checkCapacity(msg.sender, _providers[msg.sender].obligation);
        emit HostPausedSet(hostId, paused);
    }

    /// @inheritdoc IProviderRegistry
    function stakeWithPermit(uint256 amount, IRouter.PermitSignature calldata permit) external {
        _permit(IERC20Permit(address(usdc)), amount, permit);
        stake(amount);
    }

    /// @inheritdoc IProviderRegistry
    function stake(uint256 amount) public {
        if (amount == 0) revert ZeroAmount();
        Provider storage p = _providers[msg.sender];
        p.stake = (p.stake + amount).toUint128();
        usdc.safeTransferFrom(msg.sender, address(this), amount);
        emit Staked(msg.sender, amount);
    }

    /// @inheritdoc IProviderRegistry
    function requestUnbond(uint256 amount) external {
        Provider storage p = _providers[msg.sender];
        if (amount == 0) revert ZeroAmount();
        if (amount > p.stake) revert InsufficientStake(msg.sender, p.stake, amount);
        uint64 unlocksAt = (block.timestamp + unbondingDelay).toUint64();
        (p.unbondingAmount, p.unbondingUnlocksAt) = (amount.toUint128(), unlocksAt);
        emit UnbondRequested(msg.sender, amount, unlocksAt, (unlocksAt + UNBOND_WINDOW).toUint64());
    }

    /// @inheritdoc IProviderRegistry
    function withdraw(address to) external returns (uint256 amount) {
        Provider storage p = _providers[msg.sender];
        if (p.unbondingAmount == 0) revert NothingUnbonding(msg.sender);
        uint256 unlocksAt = p.unbondingUnlocksAt;
        if (block.timestamp < unlocksAt) revert UnbondingLocked(msg.sender, unlocksAt, block.timestamp);
        if (block.timestamp >= unlocksAt + UNBOND_WINDOW) revert UnbondExpired(msg.sender, unlocksAt + UNBOND_WINDOW);
        // A slash since the request leaves less to take.
        amount = Math.min(p.unbondingAmount, p.stake);
        p.stake -= amount.toUint128();
        (p.unbondingAmount, p.unbondingUnlocksAt) = (0, 0);
        // The obligation and open jobs are valued at a fresh price; with neither, only disputes hold stake.
        _checkStake(msg.sender, p, p.obligation == 0 && p.jobCredits == 0 ? 0 : _freshPrice());
        usdc.safeTransfer(to, amount);
        emit Withdrawn(msg.sender, to, amount);
    }

    /// @inheritdoc IProviderRegistry
    function mint(uint256 amount, address to) external {
        if (amount == 0) revert ZeroAmount();
        Provider storage p = _providers[msg.sender];
        uint256 obligation = p.obligation + amount;
        (uint256 bound, uint256[] memory ratings) = _mintBound(msg.sender, false);
        if (obligation > bound) revert ExceedsCapacity(msg.sender, obligation, bound);
        _raiseRatings(msg.sender, ratings);
        p.obligation = obligation.toUint128();
        _checkStake(msg.sender, p, _freshPrice());
        credit.mint(to, amount);
        emit CreditsMinted(msg.sender, to, amount, obligation);
    }

    /// @inheritdoc IProviderRegistry
    function retireWithPermit(uint256 amount, IRouter.PermitSignature calldata permit) external {
        _permit(IERC20Permit(address(credit)), amount, permit);
        retire(amount);
    }

    /// @inheritdoc IProviderRegistry
    function retire(uint256 amount) public {
        if (amount == 0) revert ZeroAmount();
        Provider storage p = _providers[msg.sender];
        if (amount > p.obligation) revert ExceedsObligation(msg.sender, amount, p.obligation);
        p.obligation -= amount.toUint128();
        credit.burn(msg.sender, amount); // spends the caller's allowance
        emit ObligationRetired(msg.sender, amount, p.obligation);
    }

    /// @inheritdoc IProviderRegistry
    function liquidate(address account, uint256 scuAmount, address to) external returns (uint256 usdcCost) {
        if (scuAmount == 0) revert ZeroAmount();
        Provider storage p = _providers[account];
        (uint256 twap, uint256 price, uint256 recent) = _freshPrices();
        uint256 capacityBound = obligationBound(account);
        (bool capacityShort, bool collateralShort) = Collateral.shortfalls(p, capacityBound, price, collateralRatioBps);
        if (!capacityShort && !collateralShort) revert NotLiquidatable(account);
        if (scuAmount > p.obligation) revert ExceedsObligation(account, scuAmount, p.obligation);

        (uint112 r0, uint112 r1,) = pool.getReserves();
        (uint256 reserveUsdc, uint256 reserveScu) =
            _scuIsToken0 ? (uint256(r1), uint256(r0)) : (uint256(r0), uint256(r1));
        if (scuAmount >= reserveScu) revert IPool.InsufficientLiquidity(scuAmount, reserveScu);
        usdcCost = PoolMath.getAmountIn(scuAmount, reserveUsdc, reserveScu, pool.fee());
        // The market's own prices bound what the stake pays, never the floor.
        uint256 fair = ReferencePrice.market(twap, recent);
        uint256 maxCost = ReferencePrice.maxCost(scuAmount, fair, liquidationMaxPremiumBps);
        if (usdcCost > maxCost) revert LiquidationPriceOutOfBounds(scuAmount, usdcCost, maxCost);
        uint256 most = Collateral.liquidationLimit(
            p,
            capacityShort ? capacityBound : type(uint256).max,
            collateralShort,
            price,
            Collateral.liquidationCost(fair, liquidationMaxPremiumBps, liquidationBonusBps),
            collateralRatioBps,
            LIQUIDATION_BUFFER_BPS
        );
        if (scuAmount > most) revert LiquidationExceedsShortfall(account, scuAmount, most);
        uint256 bonus = usdcCost * liquidationBonusBps / BPS;
        // Stake held for open disputes is owed to buyers first.
        uint256 available = p.stake > p.disputeStake ? p.stake - p.disputeStake : 0;
        if (usdcCost + bonus > available) revert LiquidationExceedsStake(account, usdcCost + bonus, available);

        p.stake -= (usdcCost + bonus).toUint128();
        p.obligation -= scuAmount.toUint128();
        usdc.safeTransfer(address(pool), usdcCost);
        pool.swap(!_scuIsToken0, scuAmount, address(this));
        credit.burn(address(this), scuAmount);
        if (bonus != 0) usdc.safeTransfer(to, bonus);
        emit Liquidated(account, msg.sender, scuAmount, usdcCost, bonus);
        emit ObligationRetired(account, scuAmount, p.obligation);
    }

    /// @inheritdoc IProviderRegistry
    function observe() external {
        oracle.observe();
    }

    // ================================================================ escrow hooks

    /// @inheritdoc IProviderRegistry
    function reserve(uint256 hostId, uint32 gpus, uint32 duration, uint256 jobEnd)
        external
        onlyEscrow
        returns (address owner, address signer, uint256 price)
    {
        Host storage h = _host(hostId);
        if (h.paused) revert HostPaused(hostId);
        if (h.provingUntil > block.timestamp) revert HostProving(hostId, h.provingUntil);
        if (h.listedUntil < jobEnd) revert ListingEndsBeforeJob(hostId, h.listedUntil, jobEnd);
        uint32 free = h.gpuCount - h.gpusBusy; // busy ≤ count: only this function raises it, after this check
        if (gpus > free) revert InsufficientGpus(hostId, gpus, free);
        h.gpusBusy += gpus;
        owner = h.provider;
        Provider storage p = _providers[owner];
        price = JobMath.cost(gpus, standard.ratingOf(h.classId), duration);
        p.jobCredits = (p.jobCredits + price).toUint128();
        // Booking a job never waits on the oracle: with no fresh price the stake is checked at the floor.
        _checkStake(owner, p, oracle.observeAndBook(floorPrice));
        signer = h.signer;
    }

    /// @inheritdoc IProviderRegistry
    function extendBooking(uint256 hostId, address owner, uint256 added, uint256 jobEnd) external onlyEscrow {
        Host storage h = _hosts[hostId];
        // A paused host takes nothing new, and a challenge waiting for the host's jobs must not wait longer.
        if (h.paused) revert HostPaused(hostId);
        if (h.provingUntil > block.timestamp) revert HostProving(hostId, h.provingUntil);
        if (h.listedUntil < jobEnd) revert ListingEndsBeforeJob(hostId, h.listedUntil, jobEnd);
        Provider storage p = _providers[owner];
        p.jobCredits = (p.jobCredits + added).toUint128();
        _checkStake(owner, p, oracle.observeAndBook(floorPrice));
    }

    /// @inheritdoc IProviderRegistry
    function release(uint256 hostId, uint32 gpus) external onlyEscrow {
        _hosts[hostId].gpusBusy -= gpus;
    }

    /// @inheritdoc IProviderRegistry
    function openDispute(address account, uint256 locked, uint256 stakeAtRisk) external onlyEscrow {
        Provider storage p = _providers[account];
        ++p.openDisputes;
        p.jobCredits -= locked.toUint128(); // the job's credits, booked when it was created
        p.disputeStake = (p.disputeStake + stakeAtRisk).toUint128();
        emit DisputeStakeChanged(account, true, stakeAtRisk);
    }

    /// @inheritdoc IProviderRegistry
    function closeDispute(address account, uint256 locked, uint256 stakeAtRisk) external onlyEscrow {
        Provider storage p = _providers[account];
        --p.openDisputes;
        // The escrow closes each dispute once, with what it opened; settlement then frees the credits.
        p.jobCredits += locked.toUint128();
        p.disputeStake -= stakeAtRisk.toUint128();
        emit DisputeStakeChanged(account, false, stakeAtRisk);
    }

    /// @inheritdoc IProviderRegistry
    function settle(address account, uint256 locked, uint256 paid, Outcome outcome, uint256 gpuSeconds)
        external
        onlyEscrow
        returns (uint256 burned)
    {
        Provider storage p = _providers[account];
        p.jobCredits -= locked.toUint128(); // the escrow settles each job once, with the amount it reserved
        if (outcome == Outcome.Completed) {
            ++p.completed;
            p.servedGpuSeconds += gpuSeconds.toUint64();
        } else if (outcome == Outcome.NoShow) {
            ++p.noShows;
            p.failedGpuSeconds += gpuSeconds.toUint64();
        } else if (outcome == Outcome.DisputeLost) {
            ++p.disputesLost;
            p.failedGpuSeconds += gpuSeconds.toUint64();
        }
        emit OutcomeRecorded(account, outcome, gpuSeconds);

        burned = Math.min(paid, p.obligation);
        if (burned != 0) {
            p.obligation -= burned.toUint128();
            credit.burn(msg.sender, burned); // the escrow allowed the registry in its constructor
            emit ObligationRetired(account, burned, p.obligation);
        }
    }

    /// @inheritdoc IProviderRegistry
    function slash(address account, address to, uint256 amount) external returns (uint256 slashed) {
        if (msg.sender != escrow && msg.sender != verifier) revert NotSlasher(msg.sender);
        Provider storage p = _providers[account];
        slashed = Math.min(amount, p.stake);
        p.stake -= slashed.toUint128();
        if (slashed != 0) usdc.safeTransfer(to, slashed);
        emit Slashed(account, to, slashed);
    }

    // ================================================================ verifier hooks

    /// @inheritdoc IProviderRegistry
    function setVerification(uint256 hostId, uint64 verifiedUntil, uint64 provingUntil, bool failed) external {
        if (msg.sender != verifier) revert NotVerifier(msg.sender);
        Host storage h = _hosts[hostId]; // the verifier challenges registered hosts only
        (h.verifiedUntil, h.provingUntil, h.verificationFailed) = (verifiedUntil, provingUntil, failed);
    }

    /// @inheritdoc IProviderRegistry
    function recordFailedChallenge(uint256 hostId) external {
        if (msg.sender != verifier) revert NotVerifier(msg.sender);
        Host storage h = _hosts[hostId];
        Provider storage p = _providers[h.provider];
        uint256 gpuSeconds = uint256(h.gpuCount) * Reliability.FAILED_CHALLENGE_SECONDS_PER_GPU;
        ++p.challengesFailed;
        p.failedGpuSeconds += gpuSeconds.toUint64();
        emit OutcomeRecorded(h.provider, Outcome.ChallengeFailed, gpuSeconds);
    }

    // ================================================================ internals

    /// @dev EIP-712's domain, written out: OpenZeppelin's EIP712 adds ERC-5267's `eip712Domain()` and its string
    /// handling, which the registry (at the contract size limit) has no room for and no signer of it needs.
    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(
            abi.encode(
                _DOMAIN_TYPEHASH, keccak256("Hourglass ProviderRegistry"), keccak256("1"), block.chainid, address(this)
            )
        );
    }

    function _host(uint256 hostId) internal view returns (Host storage h) {
        h = _hosts[hostId];
        if (h.provider == address(0)) revert UnknownHost(hostId);
    }

    function _ownedHost(uint256 hostId) internal view returns (Host storage h) {
        h = _host(hostId);
        if (h.provider != msg.sender) revert NotHostOwner(hostId, msg.sender);
    }

    function _checkListing(uint64 listedUntil) internal view {
        if (listedUntil <= block.timestamp || listedUntil > block.timestamp + MAX_LISTING) {
            revert InvalidListing(listedUntil, block.timestamp + MAX_LISTING);
        }
    }

    function _checkEndpoint(string calldata endpoint) internal pure {
        uint256 length = bytes(endpoint).length;
        if (length == 0 || length > MAX_ENDPOINT_LENGTH) revert InvalidEndpoint(length, MAX_ENDPOINT_LENGTH);
    }

    function _checkParam(bytes32 name, uint256 value, uint256 min, uint256 max) internal pure {
        if (value < min || value > max) revert InvalidParameter(name, value, min, max);
    }

    /// @dev A permit someone else already submitted reverts; the allowance it set is what counts.
    function _permit(IERC20Permit token, uint256 amount, IRouter.PermitSignature calldata permit) internal {
        try token.permit(msg.sender, address(this), permit.value, permit.deadline, permit.v, permit.r, permit.s) {}
        catch {
            uint256 allowance = IERC20(address(token)).allowance(msg.sender, address(this));
            if (allowance < amount) revert PermitFailed(allowance, amount);
        }
    }

    /// @dev Mint ratio × what `account`'s unpaused listings will hold MINT_HEADROOM from now, at the ratings in
    /// effect, and each host's rating in effect (0 for a host that counts for nothing). A host that failed its
    /// last throughput challenge never counts; for a mint, only hosts verified until MINT_HEADROOM from now count
    /// (so a fresh mint is backed by proven GPUs). With `counted`, each host at the lower of that and the rating a
    /// liquidation counts it at, verified or not (as `capacityOf`): what a pause or a shorter listing must leave,
    /// so that one the registry accepts never leaves the provider liquidatable.
    function _mintBound(address account, bool counted) internal view returns (uint256 scu, uint256[] memory ratings) {
        uint256[] storage ids = _hostIds[account];
        ratings = new uint256[](ids.length);
        uint256 from = block.timestamp + MINT_HEADROOM;
        for (uint256 i; i < ids.length; ++i) {
            Host storage h = _hosts[ids[i]];
            if (
                h.paused || h.verificationFailed || h.verifiedUntil == 0 || h.listedUntil <= from
                    || (!counted && h.verifiedUntil < from)
            ) {
                continue;
            }
            ratings[i] = standard.ratingOf(h.classId);
            if (counted && h.ratingWad < ratings[i]) ratings[i] = h.ratingWad;
            scu += JobMath.capacity(h.gpuCount, ratings[i], h.listedUntil - from);
        }
        scu = scu * mintRatioBps / BPS;
    }

    /// @dev On a mint, each host's counted rating rises to the rating it was minted against, so that a rating
    /// falling later cannot make this obligation liquidatable (a counted rating is only ever raised).
    function _raiseRatings(address account, uint256[] memory ratings) internal {
        uint256[] storage ids = _hostIds[account];
        for (uint256 i; i < ratings.length; ++i) {
            Host storage h = _hosts[ids[i]];
            if (ratings[i] > h.ratingWad) {
                h.ratingWad = ratings[i].toUint96();
                emit HostRatingRaised(ids[i], ratings[i]);
            }
        }
    }

    function _checkCapacity(address account, uint256 obligation) internal view {
        (uint256 bound,) = _mintBound(account, true);
        if (obligation > bound) revert ExceedsCapacity(account, obligation, bound);
    }

    function _checkStake(address account, Provider storage p, uint256 price) internal view {
        uint256 required = Collateral.requiredStake(p, price, collateralRatioBps);
        if (p.stake < required) revert InsufficientStake(account, p.stake, required);
    }

    /// @dev The oracle's prices with the floor applied (ReferencePrice.read). Each oracle call is made from one
    /// function here: every place the registry makes an external call adds its encoding to the registry's code,
    /// which is at the size limit.
    function _prices()
        internal
        view
        returns (uint256 twap, uint256 price, bool fresh, uint32 newestAt, uint256 recent)
    {
        return oracle.read(floorPrice);
    }

    /// @dev ReferencePrice.observeFresh: a fresh TWAP, P and the recent price, recording a reading when due, or
    /// PriceStale.
    function _freshPrices() internal returns (uint256 twap, uint256 price, uint256 recent) {
        return oracle.observeFresh(floorPrice);
    }

    /// @dev A fresh P, as `_freshPrices`.
    function _freshPrice() internal returns (uint256 price) {
        (, price,) = _freshPrices();
    }
}
