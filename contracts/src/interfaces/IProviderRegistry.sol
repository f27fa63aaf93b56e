// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Host, HostParams, Provider, Outcome} from "../types/Provider.sol";
import {IRouter} from "./IRouter.sol";

/// @title IProviderRegistry
/// @notice Providers, their hosts, their USDC stake and their SCU obligation (PROTOCOL.md, "Who holds what").
/// The registry is the SCU minter: a provider mints against remaining listed capacity and stake, retires by
/// burning, and is paid for jobs by burning against its own obligation first, so SCU supply always equals the
/// sum of obligations. Anyone may liquidate a provider outside its capacity bound or below collateral, but only
/// as much as restores its health plus LIQUIDATION_BUFFER_BPS, at no more than the pool's time-weighted price
/// plus the stated premium.
interface IProviderRegistry {
    // ---------------------------------------------------------------- errors
    /// @notice `caller` is not the job escrow.
    error NotEscrow(address caller);
    /// @notice `caller` is not the supply verifier.
    error NotVerifier(address caller);
    /// @notice `caller` is neither the job escrow nor the supply verifier.
    error NotSlasher(address caller);
    /// @notice Host `hostId` is proving its throughput until `provingUntil` and takes no new job until then.
    error HostProving(uint256 hostId, uint256 provingUntil);
    /// @notice `caller` is not the deployer, who alone wires the escrow.
    error NotDeployer(address caller);
    /// @notice The escrow is already set (to `escrow`); it is wired once at deployment.
    error EscrowAlreadySet(address escrow);
    /// @notice The unbonding delay `unbondingDelay` is shorter than the escrow's longest job life `required`.
    error UnbondingDelayTooShort(uint256 unbondingDelay, uint256 required);
    /// @notice Parameter `name` must be within `min`..`max`; `value` was given.
    error InvalidParameter(bytes32 name, uint256 value, uint256 min, uint256 max);
    /// @notice `caller` does not own host `hostId`.
    error NotHostOwner(uint256 hostId, address caller);
    /// @notice No host `hostId` is registered.
    error UnknownHost(uint256 hostId);
    /// @notice `provider` already has the most hosts one provider may register (`max`).
    error TooManyHosts(address provider, uint256 max);
    /// @notice The signer's consent expired at `deadline`; it is now `currentTime`.
    error SignerConsentExpired(uint256 deadline, uint256 currentTime);
    /// @notice The consent does not recover to `signer` for the caller on this registry and chain (it recovers
    /// to `recovered`): the host's key must sign that it serves this provider.
    error InvalidSignerConsent(address signer, address recovered);
    /// @notice `signer` already signs for host `hostId`: one key serves one host.
    error SignerInUse(address signer, uint256 hostId);
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
    /// @notice The permit failed and the registry's allowance `allowance` is below the `needed`.
    error PermitFailed(uint256 allowance, uint256 needed);
    /// @notice `provider`'s obligation would be `obligation` SCU, above its bound `bound`: mint ratio × the
    /// capacity its listings will still have MINT_HEADROOM from now, at the ratings in effect.
    error ExceedsCapacity(address provider, uint256 obligation, uint256 bound);
    /// @notice `provider`'s stake would be `stake` USDC, below the `required` its obligation, open jobs and open
    /// disputes need.
    error InsufficientStake(address provider, uint256 stake, uint256 required);
    /// @notice No price reading is between one and two TWAP windows old, so there is no reference price; the
    /// newest reading is from `newestObservation` (0: none). Record one (`observe`, anyone) and it is usable a
    /// window later.
    error PriceStale(uint256 newestObservation);
    /// @notice `provider`'s unbonding stake unlocks at `unlocksAt`; it is now `currentTime`.
    error UnbondingLocked(address provider, uint256 unlocksAt, uint256 currentTime);
    /// @notice `provider`'s unbonding request lapsed at `expiredAt` (UNBOND_WINDOW after it unlocked):
    /// request again.
    error UnbondExpired(address provider, uint256 expiredAt);
    /// @notice `provider` has nothing unbonding; request an unbond first.
    error NothingUnbonding(address provider);
    /// @notice `provider` is within its capacity bound and collateral; it cannot be liquidated.
    error NotLiquidatable(address provider);
    /// @notice `amount` SCU is more than `provider`'s obligation `obligation` (to retire or liquidate).
    error ExceedsObligation(address provider, uint256 amount, uint256 obligation);
    /// @notice Buying `scuAmount` SCU costs `cost` USDC, above `maxCost`: the lower of the TWAP and the recent
    /// price, plus the premium.
    error LiquidationPriceOutOfBounds(uint256 scuAmount, uint256 cost, uint256 maxCost);
    /// @notice `provider`'s stake free of disputes, `available`, cannot pay the liquidation's `needed` USDC
    /// (cost + bonus).
    error LiquidationExceedsStake(address provider, uint256 needed, uint256 available);
    /// @notice Liquidating `scuAmount` SCU would take more than restoring `provider`'s health plus the buffer
    /// needs: liquidate at most `maxAmount`.
    error LiquidationExceedsShortfall(address provider, uint256 scuAmount, uint256 maxAmount);
    /// @notice Host `hostId` is paused and takes no new jobs.
    error HostPaused(uint256 hostId);
    /// @notice Host `hostId`'s listing ends at `listedUntil`, before a job ending at `jobEnd` could.
    error ListingEndsBeforeJob(uint256 hostId, uint256 listedUntil, uint256 jobEnd);
    /// @notice Host `hostId` has `free` GPUs free; `requested` were asked for.
    error InsufficientGpus(uint256 hostId, uint256 requested, uint256 free);

    // ---------------------------------------------------------------- events
    /// @notice `provider` registered host `hostId`, its `signer` consenting.
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
    /// @notice Host `hostId`'s capacity now counts at `ratingWad`, the rating its provider last minted against.
    event HostRatingRaised(uint256 indexed hostId, uint256 ratingWad);
    /// @notice `provider` staked `amount` USDC.
    event Staked(address indexed provider, uint256 amount);
    /// @notice `provider` asked to unbond `amount` USDC, withdrawable from `unlocksAt` until `expiresAt`.
    event UnbondRequested(address indexed provider, uint256 amount, uint64 unlocksAt, uint64 expiresAt);
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
    /// @notice A job of `provider`'s ended with `outcome`, weighing `gpuSeconds` in its record.
    event OutcomeRecorded(address indexed provider, Outcome outcome, uint256 gpuSeconds);
    /// @notice A dispute against `provider` opened (`opened`) or closed, putting `stakeAtRisk` USDC of its stake
    /// out of reach while open.
    event DisputeStakeChanged(address indexed provider, bool opened, uint256 stakeAtRisk);
    /// @notice The escrow and the supply verifier were wired.
    event EscrowSet(address escrow, address verifier);

    // ---------------------------------------------------------------- views
    /// @notice Host `hostId` (reverts with UnknownHost if none).
    function host(uint256 hostId) external view returns (Host memory);
    /// @notice Provider `provider`'s stake, obligation, open-job credits, disputes, unbonding request and record.
    function provider(address account) external view returns (Provider memory);
    /// @notice Hosts `provider` registered, in order.
    function hostsOf(address account) external view returns (uint256[] memory);
    /// @notice Number of hosts ever registered (host ids run from 1 to this).
    function hostCount() external view returns (uint256);
    /// @notice The host `signer` signs for (0: none). A key is bound to one host for good.
    function hostOfSigner(address signer) external view returns (uint256 hostId);
    /// @notice The EIP-712 digest a host's signer key signs to consent to serving `account` (until `deadline`)
    /// on this registry and chain: `HostSigner(address provider,uint256 deadline)`.
    function signerConsentDigest(address account, uint256 deadline) external view returns (bytes32);
    /// @notice Σ over `provider`'s unpaused hosts that passed a throughput challenge and have not failed one since
    /// of GPUs × the host's counted rating × hours left in the listing, in SCU: the capacity a liquidation is judged
    /// against (a host whose verification merely lapsed still counts; one never proven does not).
    function capacityOf(address account) external view returns (uint256 scu);
    /// @notice The most obligation `provider` may hold before it can be liquidated: mint ratio × capacity.
    function obligationBound(address account) external view returns (uint256 scu);
    /// @notice The most obligation `provider` may hold after a mint: mint ratio × the capacity its listings will
    /// still have MINT_HEADROOM from now, at the ratings in effect, counting only hosts verified (a passed
    /// throughput challenge) until at least then. A fresh mint therefore stays within `obligationBound` for at
    /// least MINT_HEADROOM.
    function mintBound(address account) external view returns (uint256 scu);
    /// @notice USDC stake `provider` needs for its obligation (× collateral ratio) and open jobs at the price
    /// stake is booked at, plus the stake at risk in its open disputes.
    function requiredStake(address account) external view returns (uint256 usdc);
    /// @notice Whether `provider` is outside its capacity bound, or (with a fresh price) below collateral ratio
    /// × O × P.
    function isLiquidatable(address account) external view returns (bool);
    /// @notice The reference price P = max(pool TWAP, floor) in USDC base units per SCU (1e18 wei), and what it is
    /// made of, for pages and keepers: the raw TWAP and P (both 0 when not fresh: no reading between one and two
    /// windows old, so no price), whether it is fresh, the newest reading's time, the price stake is booked at (P
    /// when fresh, else the floor), and the recent price (the average since the newest reading before this block;
    /// 0 when none). A liquidation pays at most (1 + premium) × min(TWAP, recent price) per SCU.
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
        );
    /// @notice Reliability in basis points from GPU-time, (served + 1 GPU-hour) / (served + failed + 2 GPU-hours),
    /// with the counts and GPU-seconds it is made of. A provider with no history scores 5,000.
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
        );

    /// @notice What `gpus` GPUs of host `hostId` cost for `seconds_` seconds at the class's rating now, in SCU
    /// (rounded up, as the escrow locks it).
    function jobCost(uint256 hostId, uint256 gpus, uint256 seconds_) external view returns (uint256 scu);

    // ---------------------------------------------------------------- providers
    /// @notice Registers a host for the caller. Requirements: the host's signer consented for the caller until
    /// `consentDeadline` (an EIP-712 `HostSigner` signature, see `signerConsentDigest`), and signs for no other
    /// host; a listed GPU class; 1 ≤ GPUs ≤ MAX_GPUS_PER_HOST; now < listedUntil ≤ now + MAX_LISTING; endpoint
    /// 1–256 bytes; region ≤ 64.
    function registerHost(HostParams calldata params, uint256 consentDeadline, bytes calldata consent)
        external
        returns (uint256 hostId);
    /// @notice Changes a host's endpoint. Requirements: the caller owns the host; endpoint 1–256 bytes.
    function setEndpoint(uint256 hostId, string calldata endpoint) external;
    /// @notice Moves a host's listing end. Requirements: the caller owns it; the new end is in the future and
    /// within MAX_LISTING; a shorter listing leaves the caller within `mintBound` (a longer one is always
    /// allowed: it only adds capacity).
    function setListedUntil(uint256 hostId, uint64 listedUntil) external;
    /// @notice Pauses or resumes a host. Requirements: the caller owns it; after pausing, the caller stays
    /// within `mintBound`, each host counted at no more than the rating a liquidation counts it at (a paused host
    /// counts for no capacity). Resuming is always allowed.
    function setPaused(uint256 hostId, bool paused) external;
    /// @notice Adds `amount` USDC to the caller's stake (needs an allowance).
    function stake(uint256 amount) external;
    /// @notice `stake` after a USDC permit for the registry: one signature instead of an approval transaction.
    /// Requirements: the permit takes effect, or an allowance of `amount` is already in place.
    function stakeWithPermit(uint256 amount, IRouter.PermitSignature calldata permit) external;
    /// @notice Starts unbonding `amount` USDC (replacing any earlier request): withdrawable after the delay, for
    /// UNBOND_WINDOW, then the request lapses.
    function requestUnbond(uint256 amount) external;
    /// @notice Withdraws the unbonded stake to `to`. Requirements: the delay has passed and the request has not
    /// lapsed; the stake left covers the obligation, open jobs and open disputes (at a fresh reference price,
    /// when the obligation or open jobs need one). A slash while unbonding reduces what leaves.
    function withdraw(address to) external returns (uint256 amount);
    /// @notice Mints `amount` SCU to `to` against the caller's capacity. Requirements: obligation after ≤
    /// mintBound; a fresh reference price; stake ≥ requiredStake after. Raises each host's counted rating to
    /// the rating in effect.
    function mint(uint256 amount, address to) external;
    /// @notice Burns `amount` of the caller's SCU and retires that much of its obligation. Requirements: an
    /// SCU allowance for the registry of `amount` (burning needs the holder's consent).
    function retire(uint256 amount) external;
    /// @notice `retire` after an SCU permit for the registry.
    function retireWithPermit(uint256 amount, IRouter.PermitSignature calldata permit) external;
    /// @notice Liquidates `provider`: its stake (less what open disputes hold) buys `scuAmount` SCU from the
    /// pool at no more than (1 + premium) × the lower of the pool's TWAP and its recent price, the SCU is burned against its obligation and `to`
    /// receives a bonus of LIQUIDATION_BONUS of the cost. Requirements: isLiquidatable at a fresh price;
    /// scuAmount ≤ what restores the broken rule (the excess over obligationBound, or the SCU that brings stake
    /// back to collateral ratio × O × P at the worst price the bound allows) plus LIQUIDATION_BUFFER_BPS of it.
    function liquidate(address account, uint256 scuAmount, address to) external returns (uint256 usdcCost);
    /// @notice Records a price reading in the oracle when the newest is half a window old (anyone may call; mints,
    /// withdrawals, bookings and liquidations do too).
    function observe() external;
    /// @notice The oracle's shortest TWAP span, in seconds.
    function twapWindow() external view returns (uint256);

    // ---------------------------------------------------------------- escrow hooks
    /// @notice Books `gpus` GPUs of host `hostId` for a job of up to `duration` seconds that must end by
    /// `jobEnd`, prices it at the class's rating in effect and books that much SCU as the provider's open jobs.
    /// Requirements: the host is listed until `jobEnd`, unpaused, not proving and has the GPUs free; the provider's stake
    /// covers its obligation, open jobs and disputes at the booking price. Returns the host's provider and
    /// signer and the job's price.
    function reserve(uint256 hostId, uint32 gpus, uint32 duration, uint256 jobEnd)
        external
        returns (address owner, address signer, uint256 price);
    /// @notice Books `added` SCU more as `owner`'s open jobs for a job on host `hostId` extended to end by
    /// `jobEnd`. Requirements: as `reserve` (the host listed until `jobEnd`, unpaused, not proving; the stake
    /// covers it), less the GPUs, which the job holds already.
    function extendBooking(uint256 hostId, address owner, uint256 added, uint256 jobEnd) external;
    /// @notice Frees `gpus` GPUs of host `hostId` (the job ended).
    function release(uint256 hostId, uint32 gpus) external;
    /// @notice Holds `stakeAtRisk` USDC of `provider`'s stake for an open dispute over a job that locked
    /// `locked` SCU, in place of what the job's credits held: a dispute holds its stake at risk, not more.
    function openDispute(address account, uint256 locked, uint256 stakeAtRisk) external;
    /// @notice Ends what `openDispute` held (the dispute was resolved or defaulted): the job's credits count
    /// again until it settles.
    function closeDispute(address account, uint256 locked, uint256 stakeAtRisk) external;
    /// @notice Settles a job of `provider` that locked `locked` SCU: frees the credits, records `outcome`
    /// weighing `gpuSeconds`, and burns up to `paid` of the SCU the escrow holds against the provider's
    /// obligation. Returns what was burned; the escrow transfers the rest of `paid` to the provider.
    function settle(address account, uint256 locked, uint256 paid, Outcome outcome, uint256 gpuSeconds)
        external
        returns (uint256 burned);
    /// @notice Moves up to `amount` USDC of `provider`'s stake to `to`; returns what moved. The escrow's (a lost
    /// dispute) or the supply verifier's (a failed throughput challenge).
    function slash(address account, address to, uint256 amount) external returns (uint256 slashed);

    // ---------------------------------------------------------------- verifier hooks
    /// @notice The supply verifier records host `hostId`'s verification: verified until `verifiedUntil`, taking
    /// no new job until `provingUntil` (a challenge runs), and whether it failed its last challenge.
    function setVerification(uint256 hostId, uint64 verifiedUntil, uint64 provingUntil, bool failed) external;
    /// @notice The supply verifier records a failed challenge of host `hostId` in its provider's reliability: one
    /// more challenge failed, and the host's GPUs × Reliability.FAILED_CHALLENGE_SECONDS_PER_GPU failed
    /// GPU-seconds (emitted as OutcomeRecorded with Outcome.ChallengeFailed).
    function recordFailedChallenge(uint256 hostId) external;
}
