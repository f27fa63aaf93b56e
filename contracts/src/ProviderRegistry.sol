// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
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
import {Host, HostParams, Provider, Outcome, RegistryConfig} from "./types/Provider.sol";

/// @title ProviderRegistry
/// @notice Providers list hosts, stake USDC and mint SCU against what they listed (PROTOCOL.md invariants 1–3
/// and 5). It is the only SCU minter: every SCU in existence is some provider's obligation until a burn
/// retires it.
/// @dev Tokens are the deployment's USDC, the protocol's SCU and its pool; effects precede every transfer.
contract ProviderRegistry is IProviderRegistry {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    uint256 internal constant BPS = 10_000;
    /// @notice Most hosts one provider may register: bounds the capacity loop (≈ 5k gas a host).
    uint256 public constant MAX_HOSTS_PER_PROVIDER = 32;
    /// @notice Most GPUs one host may list (a rack-scale node is 72).
    uint256 public constant MAX_GPUS_PER_HOST = 1024;
    /// @notice Longest a listing may run ahead: two years.
    uint256 public constant MAX_LISTING = 730 days;
    uint256 public constant MAX_ENDPOINT_LENGTH = 256;
    uint256 public constant MAX_REGION_LENGTH = 64;

    IComputeCredit public immutable credit;
    IERC20 public immutable usdc;
    IComputeStandard public immutable standard;
    IPool public immutable pool;
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

    /// @dev A reading of the pool's SCU price accumulator (USDC per SCU, UQ64.64 × seconds).
    struct Observation {
        uint128 cumulative;
        uint32 timestamp;
    }

    /// @dev The TWAP runs from `_older` (or `_newer` before a second reading) to now: at least one window.
    Observation internal _older;
    Observation internal _newer;

    mapping(uint256 hostId => Host) internal _hosts;
    mapping(address account => Provider) internal _providers;
    mapping(address account => uint256[]) internal _hostIds;
    uint256 public hostCount;

    constructor(IComputeCredit credit_, IERC20 usdc_, IComputeStandard standard_, IPool pool_, RegistryConfig memory c) {
        _checkParam("mintRatioBps", c.mintRatioBps, 1, BPS);
        // 100% to 1,000%: below 100% a provider's stake could be worth less than what it owes.
        _checkParam("collateralRatioBps", c.collateralRatioBps, BPS, 10 * BPS);
        _checkParam("liquidationBonusBps", c.liquidationBonusBps, 0, 2000);
        _checkParam("liquidationMaxPremiumBps", c.liquidationMaxPremiumBps, 0, 2000);
        _checkParam("twapWindow", c.twapWindow, 60, 1 days);
        _checkParam("floorPrice", c.floorPrice, 1, type(uint128).max);
        (credit, usdc, standard, pool) = (credit_, usdc_, standard_, pool_);
        _scuIsToken0 = pool_.token0() == address(credit_);
        _deployer = msg.sender;
        mintRatioBps = c.mintRatioBps;
        collateralRatioBps = c.collateralRatioBps;
        liquidationBonusBps = c.liquidationBonusBps;
        liquidationMaxPremiumBps = c.liquidationMaxPremiumBps;
        twapWindow = c.twapWindow;
        unbondingDelay = c.unbondingDelay;
        floorPrice = c.floorPrice;
    }

    /// @notice Wires the job escrow, once, from the deployer. Requirements: the unbonding delay covers the
    /// escrow's longest job life, so stake cannot leave before a job it backs could be disputed.
    function setEscrow(address escrow_) external {
        if (msg.sender != _deployer) revert NotDeployer(msg.sender);
        if (escrow != address(0)) revert EscrowAlreadySet(escrow);
        uint256 required = IJobEscrow(escrow_).maxJobLife();
        if (unbondingDelay < required) revert UnbondingDelayTooShort(unbondingDelay, required);
        escrow = escrow_;
        emit EscrowSet(escrow_);
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
    function capacityOf(address account) public view returns (uint256 scu) {
        uint256[] storage ids = _hostIds[account];
        for (uint256 i; i < ids.length; ++i) {
            Host storage h = _hosts[ids[i]];
            if (h.paused || h.listedUntil <= block.timestamp) continue;
            scu += JobMath.capacity(h.gpuCount, standard.ratingOf(h.classId), h.listedUntil - block.timestamp);
        }
    }

    /// @inheritdoc IProviderRegistry
    function obligationBound(address account) public view returns (uint256 scu) {
        return capacityOf(account) * mintRatioBps / BPS;
    }

    /// @inheritdoc IProviderRegistry
    function requiredStake(address account) external view returns (uint256 usdc_) {
        return _requiredStake(_providers[account], referencePrice());
    }

    /// @inheritdoc IProviderRegistry
    function isLiquidatable(address account) external view returns (bool) {
        return _isLiquidatable(account, _providers[account], referencePrice());
    }

    /// @inheritdoc IProviderRegistry
    function referencePrice() public view returns (uint256 usdcPerScu) {
        (uint128 cumulative, uint32 timestamp) = _readPool();
        (Observation memory base,) = _base(timestamp);
        return _reference(base, cumulative, timestamp);
    }

    /// @inheritdoc IProviderRegistry
    function reliabilityOf(address account)
        external
        view
        returns (uint256 scoreBps, uint32 completed, uint32 noShows, uint32 disputesLost)
    {
        Provider storage p = _providers[account];
        (completed, noShows, disputesLost) = (p.completed, p.noShows, p.disputesLost);
        // Laplace's rule of succession: one imagined success and one failure, so a new provider is an even bet
        // and one early no-show does not sink it to zero.
        scoreBps = (uint256(completed) + 1) * BPS / (uint256(completed) + noShows + disputesLost + 2);
    }

    /// @notice What a job of `gpus` GPUs on host `hostId` for `seconds_` seconds costs now, in SCU.
    function jobCost(uint256 hostId, uint256 gpus, uint256 seconds_) external view returns (uint256) {
        return JobMath.cost(gpus, standard.ratingOf(_host(hostId).classId), seconds_);
    }

    // ================================================================ providers

    /// @inheritdoc IProviderRegistry
    function registerHost(HostParams calldata params) external returns (uint256 hostId) {
        if (params.signer == address(0)) revert InvalidSigner();
        standard.ratingOf(params.classId); // reverts UnknownGpuClass
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
        _hosts[hostId] = Host({
            provider: msg.sender,
            gpuCount: params.gpuCount,
            gpusBusy: 0,
            paused: false,
            signer: params.signer,
            listedUntil: params.listedUntil,
            classId: params.classId,
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
        _ownedHost(hostId).listedUntil = listedUntil;
        _checkCapacity(msg.sender, _providers[msg.sender].obligation);
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
        // A permit someone else already submitted reverts; the allowance it set is what counts.
        try IERC20Permit(address(usdc)).permit(
            msg.sender, address(this), permit.value, permit.deadline, permit.v, permit.r, permit.s
        ) {} catch {
            uint256 allowance = usdc.allowance(msg.sender, address(this));
            if (allowance < amount) revert PermitFailed(allowance, amount);
        }
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
        emit UnbondRequested(msg.sender, amount, unlocksAt);
    }

    /// @inheritdoc IProviderRegistry
    function withdraw(address to) external returns (uint256 amount) {
        Provider storage p = _providers[msg.sender];
        if (p.unbondingAmount == 0) revert NothingUnbonding(msg.sender);
        if (block.timestamp < p.unbondingUnlocksAt) {
            revert UnbondingLocked(msg.sender, p.unbondingUnlocksAt, block.timestamp);
        }
        if (p.openDisputes != 0) revert DisputesOpen(msg.sender, p.openDisputes);
        // A slash since the request leaves less to take.
        amount = Math.min(p.unbondingAmount, p.stake);
        p.stake -= amount.toUint128();
        (p.unbondingAmount, p.unbondingUnlocksAt) = (0, 0);
        _checkStake(msg.sender, p, _observe());
        usdc.safeTransfer(to, amount);
        emit Withdrawn(msg.sender, to, amount);
    }

    /// @inheritdoc IProviderRegistry
    function mint(uint256 amount, address to) external {
        if (amount == 0) revert ZeroAmount();
        Provider storage p = _providers[msg.sender];
        uint256 obligation = p.obligation + amount;
        _checkCapacity(msg.sender, obligation);
        p.obligation = obligation.toUint128();
        _checkStake(msg.sender, p, _observe());
        credit.mint(to, amount);
        emit CreditsMinted(msg.sender, to, amount, obligation);
    }

    /// @inheritdoc IProviderRegistry
    function retire(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Provider storage p = _providers[msg.sender];
        if (amount > p.obligation) revert ExceedsObligation(msg.sender, amount, p.obligation);
        p.obligation -= amount.toUint128();
        credit.burn(msg.sender, amount);
        emit ObligationRetired(msg.sender, amount, p.obligation);
    }

    /// @inheritdoc IProviderRegistry
    function liquidate(address account, uint256 scuAmount, address to) external returns (uint256 usdcCost) {
        if (scuAmount == 0) revert ZeroAmount();
        Provider storage p = _providers[account];
        uint256 price = _observe();
        if (!_isLiquidatable(account, p, price)) revert NotLiquidatable(account);
        if (scuAmount > p.obligation) revert ExceedsObligation(account, scuAmount, p.obligation);

        (uint112 r0, uint112 r1,) = pool.getReserves();
        (uint256 reserveUsdc, uint256 reserveScu) = _scuIsToken0 ? (uint256(r1), uint256(r0)) : (uint256(r0), uint256(r1));
        if (scuAmount >= reserveScu) revert IPool.InsufficientLiquidity(scuAmount, reserveScu);
        usdcCost = PoolMath.getAmountIn(scuAmount, reserveUsdc, reserveScu, pool.fee());
        uint256 maxCost = Math.mulDiv(scuAmount, price * (BPS + liquidationMaxPremiumBps), 1e18 * BPS);
        if (usdcCost > maxCost) revert LiquidationPriceOutOfBounds(scuAmount, usdcCost, maxCost);
        uint256 bonus = usdcCost * liquidationBonusBps / BPS;
        if (usdcCost + bonus > p.stake) revert LiquidationExceedsStake(account, usdcCost + bonus, p.stake);

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
        _observe();
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
        if (h.listedUntil < jobEnd) revert ListingEndsBeforeJob(hostId, h.listedUntil, jobEnd);
        uint32 free = h.gpuCount - h.gpusBusy; // busy ≤ count: only this function raises it, after this check
        if (gpus > free) revert InsufficientGpus(hostId, gpus, free);
        h.gpusBusy += gpus;
        owner = h.provider;
        Provider storage p = _providers[owner];
        price = JobMath.cost(gpus, standard.ratingOf(h.classId), duration);
        p.jobCredits = (p.jobCredits + price).toUint128();
        _checkStake(owner, p, _observe());
        signer = h.signer;
    }

    /// @inheritdoc IProviderRegistry
    function release(uint256 hostId, uint32 gpus) external onlyEscrow {
        _hosts[hostId].gpusBusy -= gpus;
    }

    /// @inheritdoc IProviderRegistry
    function openDispute(address account) external onlyEscrow {
        ++_providers[account].openDisputes;
    }

    /// @inheritdoc IProviderRegistry
    function settle(address account, uint256 locked, uint256 paid, Outcome outcome, bool disputed)
        external
        onlyEscrow
        returns (uint256 burned)
    {
        Provider storage p = _providers[account];
        p.jobCredits -= locked.toUint128(); // the escrow settles each job once, with the amount it reserved
        if (disputed) --p.openDisputes;
        if (outcome == Outcome.Completed) ++p.completed;
        else if (outcome == Outcome.NoShow) ++p.noShows;
        else if (outcome == Outcome.DisputeLost) ++p.disputesLost;
        emit OutcomeRecorded(account, outcome);

        burned = Math.min(paid, p.obligation);
        if (burned != 0) {
            p.obligation -= burned.toUint128();
            credit.burn(msg.sender, burned);
            emit ObligationRetired(account, burned, p.obligation);
        }
    }

    /// @inheritdoc IProviderRegistry
    function slash(address account, address to, uint256 amount) external onlyEscrow returns (uint256 slashed) {
        Provider storage p = _providers[account];
        slashed = Math.min(amount, p.stake);
        p.stake -= slashed.toUint128();
        if (slashed != 0) usdc.safeTransfer(to, slashed);
        emit Slashed(account, to, slashed);
    }

    // ================================================================ internals

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

    function _checkCapacity(address account, uint256 obligation) internal view {
        uint256 bound = obligationBound(account);
        if (obligation > bound) revert ExceedsCapacity(account, obligation, bound);
    }

    function _checkStake(address account, Provider storage p, uint256 price) internal view {
        uint256 required = _requiredStake(p, price);
        if (p.stake < required) revert InsufficientStake(account, p.stake, required);
    }

    /// @dev (collateral ratio × O + open-job credits) × P, rounded up.
    function _requiredStake(Provider memory p, uint256 price) internal view returns (uint256) {
        uint256 backed = Math.mulDiv(p.obligation, collateralRatioBps, BPS, Math.Rounding.Ceil) + p.jobCredits;
        return Math.mulDiv(backed, price, 1e18, Math.Rounding.Ceil);
    }

    function _isLiquidatable(address account, Provider memory p, uint256 price) internal view returns (bool) {
        if (p.obligation == 0) return false;
        if (p.obligation > obligationBound(account)) return true;
        return p.stake < Math.mulDiv(p.obligation, collateralRatioBps * price, BPS * 1e18, Math.Rounding.Ceil);
    }

    /// @dev The pool's SCU price accumulator (USDC per SCU) brought up to now.
    function _readPool() internal view returns (uint128 cumulative, uint32 timestamp) {
        (uint128 c0, uint128 c1, uint32 t) = pool.cumulativePrices();
        return (_scuIsToken0 ? c0 : c1, t);
    }

    /// @dev The observation the TWAP runs from at `timestamp`, and whether `_observe` records a new one: the
    /// newest once it is a window old (so the span is always at least a window), else the older one.
    function _base(uint32 timestamp) internal view returns (Observation memory base, bool rotate) {
        Observation memory newer = _newer;
        rotate = newer.timestamp == 0 || _elapsed(newer.timestamp, timestamp) >= twapWindow;
        base = rotate || _older.timestamp == 0 ? newer : _older;
    }

    /// @dev Records an observation when the newest is a window old and returns the reference price.
    function _observe() internal returns (uint256 price) {
        (uint128 cumulative, uint32 timestamp) = _readPool();
        (Observation memory base, bool rotate) = _base(timestamp);
        if (rotate) {
            if (base.timestamp != 0) _older = base;
            _newer = Observation(cumulative, timestamp);
        }
        return _reference(base, cumulative, timestamp);
    }

    /// @dev max(TWAP from `base` to now, floor); the floor alone when `base` is less than a window old.
    function _reference(Observation memory base, uint128 cumulative, uint32 timestamp) internal view returns (uint256) {
        uint256 elapsed = _elapsed(base.timestamp, timestamp);
        if (base.timestamp == 0 || elapsed < twapWindow) return floorPrice;
        uint128 delta;
        unchecked {
            delta = cumulative - base.cumulative; // mod 2^128, as the pool accumulates
        }
        // UQ64.64 USDC-wei per SCU-wei, averaged, scaled to a whole SCU (1e18 wei): < 2^188, no overflow.
        uint256 twap = (uint256(delta) * 1e18 / elapsed) >> 64;
        return Math.max(twap, floorPrice);
    }

    function _elapsed(uint32 from, uint32 to) internal pure returns (uint256) {
        unchecked {
            return uint32(to - from); // mod 2^32, as the pool stamps time
        }
    }
}
