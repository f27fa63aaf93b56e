// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Host, HostParams, Provider, Outcome} from "../types/Provider.sol";
import {IRouter} from "./IRouter.sol";

/// @title IProviderRegistry
/// @notice Providers, their hosts, their USDC stake and their SCU obligation (PROTOCOL.md, "Who holds what").
/// The registry is the SCU minter: a provider mints against remaining listed capacity and stake, retires by
/// burning, and is paid for jobs by burning against its own obligation first, so SCU supply always equals the
/// sum of obligations. Anyone may liquidate a provider outside its capacity bound or below collateral.
interface IProviderRegistry {
    // ---------------------------------------------------------------- errors
    /// @notice `caller` is not the job escrow.
    error NotEscrow(address caller);
    /// @notice `caller` is not the deployer, who alone wires the escrow.
    error NotDeployer(address caller);
    /// @notice The escrow is already set (to `escrow`); it is wired once at deployment.
    error EscrowAlreadySet(address escrow);
    /// @notice The unbonding delay `unbondingDelay` is shorter than the escrow's longest job life `required`
    /// (start timeout + longest job + receipt grace + dispute window).
    error UnbondingDelayTooShort(uint256 unbondingDelay, uint256 required);
    /// @notice Parameter `name` must be within `min`..`max`; `value` was given.
    error InvalidParameter(bytes32 name, uint256 value, uint256 min, uint256 max);
    /// @notice `caller` does not own host `hostId`.
    error NotHostOwner(uint256 hostId, address caller);
    /// @notice No host `hostId` is registered.
    error UnknownHost(uint256 hostId);
    /// @notice `provider` already has the most hosts one provider may register (`max`).
    error TooManyHosts(address provider, uint256 max);
    /// @notice The host signer cannot be the zero address.
    error InvalidSigner();
    /// @notice A host needs between 1 and `max` GPUs (`gpuCount` given).
    error InvalidGpuCount(uint256 gpuCount, uint256 max);
    /// @notice A listing must end in the future and within `maxListedUntil` (`listedUntil` given).
    error InvalidListing(uint256 listedUntil, uint256 maxListedUntil);
    /// @notice An endpoint must be 1 to `max` bytes long (`length` given).
    error InvalidEndpoint(uint256 length, uint256 max);
    /// @notice A region must be at most `max` bytes long (`length` given).
    error InvalidRegion(uint256 length, uint256 max);
    /// @notice An amount of zero was given where something must move.
    error ZeroAmount();
    /// @notice The permit failed and the registry's USDC allowance `allowance` is below the `needed`.
    error PermitFailed(uint256 allowance, uint256 needed);
    /// @notice `provider`'s obligation would be `obligation` SCU, above its capacity bound `bound`
    /// (mint ratio × remaining listed capacity of its active hosts).
    error ExceedsCapacity(address provider, uint256 obligation, uint256 bound);
    /// @notice `provider`'s stake would be `stake` USDC, below the `required` its obligation and open jobs need.
    error InsufficientStake(address provider, uint256 stake, uint256 required);
    /// @notice `provider`'s unbonding stake unlocks at `unlocksAt`; it is now `currentTime`.
    error UnbondingLocked(address provider, uint256 unlocksAt, uint256 currentTime);
    /// @notice `provider` has nothing unbonding; request an unbond first.
    error NothingUnbonding(address provider);
    /// @notice `provider` has `openDisputes` open disputes; its stake cannot leave until they are resolved.
    error DisputesOpen(address provider, uint256 openDisputes);
    /// @notice `provider` is within its capacity bound and collateral; it cannot be liquidated.
    error NotLiquidatable(address provider);
    /// @notice `amount` SCU is more than `provider`'s obligation `obligation` (to retire or liquidate).
    error ExceedsObligation(address provider, uint256 amount, uint256 obligation);
    /// @notice Buying `scuAmount` SCU costs `cost` USDC, above the bound `maxCost` around the reference price.
    error LiquidationPriceOutOfBounds(uint256 scuAmount, uint256 cost, uint256 maxCost);
    /// @notice `provider`'s stake `stake` cannot pay the liquidation's `needed` USDC (cost + bonus).
    error LiquidationExceedsStake(address provider, uint256 needed, uint256 stake);
    /// @notice Host `hostId` is paused and takes no new jobs.
    error HostPaused(uint256 hostId);
    /// @notice Host `hostId`'s listing ends at `listedUntil`, before a job ending at `jobEnd` could.
    error ListingEndsBeforeJob(uint256 hostId, uint256 listedUntil, uint256 jobEnd);
    /// @notice Host `hostId` has `free` GPUs free; `requested` were asked for.
    error InsufficientGpus(uint256 hostId, uint256 requested, uint256 free);

    // ---------------------------------------------------------------- events
    /// @notice `provider` registered host `hostId`.
    event HostRegistered(
        uint256 indexed hostId,
        address indexed provider,
        address signer,
        bytes32 indexed classId,
        uint32 gpuCount,
        uint64 listedUntil,
        string endpoint,
        string region
    );
    /// @notice Host `hostId`'s endpoint changed.
    event HostEndpointChanged(uint256 indexed hostId, string endpoint);
    /// @notice Host `hostId`'s listing now ends at `listedUntil`.
    event HostListingChanged(uint256 indexed hostId, uint64 listedUntil);
    /// @notice Host `hostId` was paused (takes no new jobs, counts for no capacity) or resumed.
    event HostPausedSet(uint256 indexed hostId, bool paused);
    /// @notice `provider` staked `amount` USDC.
    event Staked(address indexed provider, uint256 amount);
    /// @notice `provider` asked to unbond `amount` USDC, withdrawable from `unlocksAt`.
    event UnbondRequested(address indexed provider, uint256 amount, uint64 unlocksAt);
    /// @notice `provider` withdrew `amount` USDC of stake to `to`.
    event Withdrawn(address indexed provider, address indexed to, uint256 amount);
    /// @notice `provider` minted `amount` SCU to `to`; its obligation is now `obligation`.
    event CreditsMinted(address indexed provider, address indexed to, uint256 amount, uint256 obligation);
    /// @notice `provider`'s obligation fell by `amount` (retired by burning its credits, or by a job's pay-in);
    /// it is now `obligation`.
    event ObligationRetired(address indexed provider, uint256 amount, uint256 obligation);
    /// @notice `liquidator` liquidated `provider`: `usdcCost` of its stake bought `scuBurned` SCU, which was
    /// burned, and `bonus` USDC went to the liquidator.
    event Liquidated(
        address indexed provider, address indexed liquidator, uint256 scuBurned, uint256 usdcCost, uint256 bonus
    );
    /// @notice `provider` lost `amount` USDC of stake to `to` by an arbiter's ruling.
    event Slashed(address indexed provider, address indexed to, uint256 amount);
    /// @notice A job of `provider`'s ended with `outcome`.
    event OutcomeRecorded(address indexed provider, Outcome outcome);
    /// @notice The escrow was wired.
    event EscrowSet(address escrow);

    // ---------------------------------------------------------------- views
    /// @notice Host `hostId` (reverts with UnknownHost if none).
    function host(uint256 hostId) external view returns (Host memory);
    /// @notice Provider `provider`'s stake, obligation, open-job credits, unbonding request and record.
    function provider(address account) external view returns (Provider memory);
    /// @notice Hosts `provider` registered, in order.
    function hostsOf(address account) external view returns (uint256[] memory);
    /// @notice Number of hosts ever registered (host ids run from 1 to this).
    function hostCount() external view returns (uint256);
    /// @notice Σ over `provider`'s unpaused hosts of GPUs × rating × hours left in the listing, in SCU.
    function capacityOf(address account) external view returns (uint256 scu);
    /// @notice The most obligation `provider` may hold now: mint ratio × capacity.
    function obligationBound(address account) external view returns (uint256 scu);
    /// @notice USDC stake `provider` needs for its obligation (× collateral ratio) and open jobs, at price P.
    function requiredStake(address account) external view returns (uint256 usdc);
    /// @notice Whether `provider` is outside its capacity bound or below collateral ratio × O × P.
    function isLiquidatable(address account) external view returns (bool);
    /// @notice The reference price P in USDC base units per SCU (1e18 wei): the pool's TWAP over the last
    /// observation window, or the floor price when that is higher or the TWAP is not yet available.
    function referencePrice() external view returns (uint256 usdcPerScu);
    /// @notice Reliability in basis points, (completed + 1) / (completed + no-shows + disputes lost + 2),
    /// with the counts it is made of. A provider with no history scores 5,000.
    function reliabilityOf(address account)
        external
        view
        returns (uint256 scoreBps, uint32 completed, uint32 noShows, uint32 disputesLost);

    /// @notice What `gpus` GPUs of host `hostId` cost for `seconds_` seconds at the class's rating now, in SCU
    /// (rounded up, as the escrow locks it).
    function jobCost(uint256 hostId, uint256 gpus, uint256 seconds_) external view returns (uint256 scu);

    // ---------------------------------------------------------------- providers
    /// @notice Registers a host for the caller. Requirements: nonzero signer; a listed GPU class;
    /// 1 ≤ GPUs ≤ MAX_GPUS_PER_HOST; now < listedUntil ≤ now + MAX_LISTING; endpoint 1–256 bytes; region ≤ 64.
    function registerHost(HostParams calldata params) external returns (uint256 hostId);
    /// @notice Changes a host's endpoint. Requirements: the caller owns the host; endpoint 1–256 bytes.
    function setEndpoint(uint256 hostId, string calldata endpoint) external;
    /// @notice Moves a host's listing end. Requirements: the caller owns it; the new end is in the future;
    /// the caller stays within its capacity bound.
    function setListedUntil(uint256 hostId, uint64 listedUntil) external;
    /// @notice Pauses or resumes a host. Requirements: the caller owns it; after pausing, the caller stays
    /// within its capacity bound (a paused host counts for no capacity).
    function setPaused(uint256 hostId, bool paused) external;
    /// @notice Adds `amount` USDC to the caller's stake (needs an allowance).
    function stake(uint256 amount) external;
    /// @notice `stake` after a USDC permit for the registry: one signature instead of an approval transaction.
    /// Requirements: the permit takes effect, or an allowance of `amount` is already in place.
    function stakeWithPermit(uint256 amount, IRouter.PermitSignature calldata permit) external;
    /// @notice Starts unbonding `amount` USDC (replacing any earlier request), withdrawable after the delay.
    function requestUnbond(uint256 amount) external;
    /// @notice Withdraws the unbonded stake to `to`. Requirements: the delay has passed; no open disputes;
    /// the stake left covers the obligation and open jobs. A slash while unbonding reduces what leaves.
    function withdraw(address to) external returns (uint256 amount);
    /// @notice Mints `amount` SCU to `to` against the caller's capacity. Requirements: obligation after
    /// ≤ obligationBound; stake ≥ requiredStake after.
    function mint(uint256 amount, address to) external;
    /// @notice Burns `amount` of the caller's SCU and retires that much of its obligation.
    function retire(uint256 amount) external;
    /// @notice Liquidates `provider`: its stake buys `scuAmount` SCU from the pool, at most
    /// (1 + LIQUIDATION_MAX_PREMIUM) × P, the SCU is burned against its obligation and `to` receives a bonus of
    /// LIQUIDATION_BONUS of the cost. Requirements: isLiquidatable; scuAmount ≤ obligation; stake pays.
    function liquidate(address account, uint256 scuAmount, address to) external returns (uint256 usdcCost);
    /// @notice Records the pool's cumulative price when the last observation is a window old (anyone may call;
    /// every mint, withdrawal and liquidation does).
    function observe() external;

    // ---------------------------------------------------------------- escrow hooks
    /// @notice Books `gpus` GPUs of host `hostId` for a job of up to `duration` seconds that must end by
    /// `jobEnd`, prices it at the class's current rating and books that much SCU as the provider's open jobs.
    /// Requirements: the host is listed until `jobEnd`, unpaused and has the GPUs free; the provider's stake
    /// covers its obligation and open jobs. Returns the host's provider and signer and the job's price.
    function reserve(uint256 hostId, uint32 gpus, uint32 duration, uint256 jobEnd)
        external
        returns (address owner, address signer, uint256 price);
    /// @notice Frees `gpus` GPUs of host `hostId` (the job ended).
    function release(uint256 hostId, uint32 gpus) external;
    /// @notice Counts an open dispute against `provider` (its stake cannot leave until resolved).
    function openDispute(address account) external;
    /// @notice Settles a job of `provider` that locked `locked` SCU: frees the credits, records `outcome`, and
    /// burns up to `paid` of the SCU the escrow holds against the provider's obligation. Returns what was
    /// burned; the escrow transfers the rest of `paid` to the provider.
    /// `disputed` closes the dispute the job had open.
    function settle(address account, uint256 locked, uint256 paid, Outcome outcome, bool disputed)
        external
        returns (uint256 burned);
    /// @notice Moves up to `amount` USDC of `provider`'s stake to `to`; returns what moved.
    function slash(address account, address to, uint256 amount) external returns (uint256 slashed);
}
