/**
 * Why a provider action cannot be taken now, as a sentence (undefined when it can), from the dashboard's read:
 * the provider page disables each button with its reason. The rules are the registry's (ProviderRegistry.sol);
 * the contract keeps the last word, since every transaction is simulated before it is signed.
 */
import { WAD } from "../math";
import { formatClock, formatDuration } from "../time";
import { formatToken, formatUsd, SCU } from "../tokens";
import { mintLimits } from "./limits";
import type { ProviderDashboard, ProviderHost } from "./dashboard";
import { HOST_LIMITS } from "../contracts/constants";

const BPS = 10_000n;
const MAX_LISTING = HOST_LIMITS.maxListingDays * 86_400;

/** What a listing backs at time `t` at `ratingWad` (JobMath.capacity): GPUs × rating × hours left, rounded down. */
export function hostCapacity(
  host: Pick<ProviderHost, "gpuCount" | "listedUntil">,
  ratingWad: bigint,
  t: number,
): bigint {
  const left = host.listedUntil - t;
  return left <= 0 ? 0n : (BigInt(host.gpuCount) * ratingWad * BigInt(left)) / 3600n;
}

/** Whether a host counts in any bound: unpaused, proven at least once and not failed since (ProviderRegistry skips
 * the rest: a host never proven, or whose challenge was withdrawn, has a verifiedUntil of 0). */
const counts = (h: ProviderHost) => !h.paused && !h.verification.failed && h.verification.verifiedUntil > 0;

/** Mint ratio × Σ over the hosts that count of what they back at `t`, each at `rating`. */
function boundOf(d: ProviderDashboard, hosts: ProviderHost[], t: number, rating: (h: ProviderHost) => bigint): bigint {
  const capacity = hosts.reduce((sum, h) => (counts(h) ? sum + hostCapacity(h, rating(h), t) : sum), 0n);
  return (capacity * d.params.mintRatioBps) / BPS;
}

/** The liquidation bound at chain time `t` if nothing changes (`obligationBound`): the hosts' counted ratings. */
export const obligationBoundAt = (d: ProviderDashboard, t: number) => boundOf(d, d.hosts, t, (h) => h.countedRatingWad);

/** The bound a pause or a shortened listing must leave the obligation within, at chain time `t` with `hosts`:
 * their capacity a headroom later, at the ratings in effect, verified or not (a lapsed verification never
 * liquidates, so it never holds a pause back either). */
export const mintBoundAt = (d: ProviderDashboard, t: number, hosts = d.hosts) =>
  boundOf(d, hosts, t + d.params.mintHeadroom, (h) => h.ratingWad);

/** What a mint may bring the obligation up to at chain time `t` (`mintBound`): the same, counting only the hosts
 * verified until at least a headroom later, so new credits are backed by GPUs that proved their throughput. */
export const mintableBoundAt = (d: ProviderDashboard, t: number) =>
  mintBoundAt(
    d,
    t,
    d.hosts.filter((h) => h.verification.verifiedUntil >= t + d.params.mintHeadroom),
  );

/**
 * Until when the listings back the obligation as they run down (capacity shrinks every second), if nothing is
 * extended or retired: the last second at which the liquidation bound still covers it. Undefined with no
 * obligation; `now` when it is already past.
 */
export function backedUntil(d: ProviderDashboard): number | undefined {
  if (d.obligation === 0n) return undefined;
  if (obligationBoundAt(d, d.now) < d.obligation) return d.now;
  // The bound only falls with time: search for the last second it covers the obligation.
  let [lo, hi] = [d.now, Math.max(d.now, ...d.hosts.map((h) => h.listedUntil))];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (obligationBoundAt(d, mid) >= d.obligation) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** When the registry's price is fresh if nobody records another reading: a reading younger than a window is
 * usable a window after it was recorded; with none that young, only a new reading helps (undefined), and
 * `observe()` records one (the newest is then more than two windows old, past the half window it waits). */
export function freshAt(d: ProviderDashboard): number | undefined {
  const { fresh, newestObservation: newest } = d.price;
  if (fresh) return d.now;
  return newest > 0 && d.now - newest < d.params.twapWindow ? newest + d.params.twapWindow : undefined;
}

/** Why an action that needs a fresh price waits, and until when; undefined while the price is fresh. */
export function priceBlocked(d: ProviderDashboard, action: "minting" | "withdrawing"): string | undefined {
  if (d.price.fresh) return undefined;
  const why =
    action === "minting"
      ? "No fresh price reading"
      : "No fresh price reading, which withdrawing needs while you have an obligation or open jobs";
  const at = freshAt(d);
  if (at === undefined)
    return `${why}: anyone can record one; ${action} opens ${formatDuration(d.params.twapWindow)} after.`;
  return `${why} yet: ${action} opens at ${formatClock(at)} (in ${formatDuration(at - d.now)}), a TWAP window after the reading of ${formatClock(d.price.newestObservation)}.`;
}

/** A new listing end for a host: in the future, within the registry's longest listing, and, if it shortens the
 * listing, leaving the obligation within the mint bound. Extending is always allowed: it only adds capacity. */
export function listingBlocked(d: ProviderDashboard, host: ProviderHost, listedUntil: number): string | undefined {
  if (listedUntil <= d.now) return "A listing must end in the future.";
  if (listedUntil > d.now + MAX_LISTING) return `A listing may run at most ${MAX_LISTING / 86_400} days from now.`;
  if (listedUntil >= host.listedUntil) return undefined;
  const after = mintBoundAt(
    d,
    d.now,
    d.hosts.map((h) => (h.hostId === host.hostId ? { ...h, listedUntil } : h)),
  );
  if (d.obligation <= after) return undefined;
  return `Ending the listing then, your listings back ${formatToken(after, SCU)} a day from now, less than your ${formatToken(d.obligation, SCU)} obligation.`;
}

/** How far ahead the "Max" mint looks: a transaction lands seconds after the read, and by then the listings
 * have run down that much capacity. */
export const MINT_LEEWAY_SECONDS = 60;

/** The most that stays mintable for the next minute: the stake limit now, and the mint bound as it will be. */
export function mintMaxWithLeeway(d: ProviderDashboard): bigint {
  const bound = mintableBoundAt(d, d.now + MINT_LEEWAY_SECONDS);
  const byCapacity = bound > d.obligation ? bound - d.obligation : 0n;
  return byCapacity < d.limits.maxMint ? byCapacity : d.limits.maxMint;
}

export function mintBlocked(d: ProviderDashboard, amount: bigint): string | undefined {
  if (d.limits.limitedBy === "price") return priceBlocked(d, "minting");
  if (amount <= d.limits.maxMint) return undefined;
  const most = formatToken(d.limits.maxMint, SCU);
  return d.limits.limitedBy === "capacity"
    ? `Your verified listings, counted a day from now, back at most ${most} more: verify more hosts (request a challenge), list more GPUs, or list them for longer.`
    : `Your stake covers at most ${most} more at the reference price ${formatUsd(d.price.price, 4)}: stake more USDC first.`;
}

export function retireBlocked(d: ProviderDashboard, amount: bigint, scuBalance: bigint): string | undefined {
  if (amount > d.obligation)
    return `Your obligation is ${formatToken(d.obligation, SCU)}: you cannot retire more than that.`;
  if (amount > scuBalance) return `You hold ${formatToken(scuBalance, SCU)}: retiring burns credits from your wallet.`;
  return undefined;
}

export function unbondBlocked(d: ProviderDashboard, amount: bigint): string | undefined {
  if (amount > d.stake) return `Your stake is ${formatUsd(d.stake)}: you cannot unbond more than that.`;
  return undefined;
}

/** Stake that may leave without the rest falling below what the obligation, open jobs and open disputes need. */
export const freeStake = (d: ProviderDashboard) => (d.stake > d.limits.required ? d.stake - d.limits.required : 0n);

/** The end of the window in which the unbonding request may be withdrawn; past it the request has lapsed. */
export const unbondExpiresAt = (d: ProviderDashboard) => d.unbonding.unlocksAt + d.unbonding.window;

export function withdrawBlocked(d: ProviderDashboard): string | undefined {
  const { amount, unlocksAt } = d.unbonding;
  if (amount === 0n) return "Nothing is unbonding: start unbonding first, then withdraw after the delay.";
  if (d.now < unlocksAt)
    return `Unbonding stake unlocks in ${formatDuration(unlocksAt - d.now)}, at ${formatClock(unlocksAt)}.`;
  if (d.now >= unbondExpiresAt(d)) {
    return `Your unbonding request lapsed at ${formatClock(unbondExpiresAt(d))}, ${formatDuration(d.unbonding.window)} after it unlocked: start unbonding again.`;
  }
  // ProviderRegistry.withdraw: the obligation and open jobs are valued at a fresh price; with neither, only
  // open disputes hold stake.
  const needsPrice = d.obligation > 0n || d.jobCredits > 0n;
  if (needsPrice && !d.price.fresh) return priceBlocked(d, "withdrawing");
  const required = needsPrice ? d.limits.required : d.disputeStake;
  const leaving = amount < d.stake ? amount : d.stake;
  if (d.stake - leaving < required) {
    return `After ${formatUsd(leaving)} leaves, ${formatUsd(d.stake - leaving)} of stake would remain, below the ${formatUsd(required)} your obligation, open jobs and open disputes need: unbond less, or retire credits first.`;
  }
  return undefined;
}

/** Pausing takes the host's capacity out of the mint bound; the obligation must still fit under what is left. */
export function pauseBlocked(d: ProviderDashboard, host: ProviderHost): string | undefined {
  if (host.paused) return undefined;
  const after = mintBoundAt(
    d,
    d.now,
    d.hosts.map((h) => (h.hostId === host.hostId ? { ...h, paused: true } : h)),
  );
  if (d.obligation <= after) return undefined;
  return `Without this host your capacity backs ${formatToken(after, SCU)}, less than your ${formatToken(d.obligation, SCU)} obligation (counted a day ahead, as for a mint): retire ${formatToken(d.obligation - after, SCU)} first.`;
}

export interface PriceScenario {
  /** The price move, as a multiple of today's reference price. */
  factor: number;
  /** The reference price then (the registry never goes below its floor). */
  price: bigint;
  required: bigint;
  /** Stake ÷ (obligation × price), WAD; undefined with no obligation. */
  collateralRatioWad: bigint | undefined;
  liquidatable: boolean;
  maxMint: bigint;
}

/** The book under a moved reference price (from today's, or the floor while there is no fresh one): what the
 * stake must be, the ratio, whether it could be liquidated, and how much more could be minted. */
export function priceScenarios(d: ProviderDashboard, factors: number[]): PriceScenario[] {
  return factors.map((factor) => {
    const moved = (d.price.bookingPrice * BigInt(Math.round(factor * 10_000))) / BPS;
    const price = moved < d.params.floorPrice ? d.params.floorPrice : moved;
    const limits = mintLimits({
      stake: d.stake,
      obligation: d.obligation,
      jobCredits: d.jobCredits,
      disputeStake: d.disputeStake,
      mintBound: d.mintBound,
      priceFresh: true,
      bookingPrice: price,
      collateralRatioBps: d.params.collateralRatioBps,
    });
    // ProviderRegistry._shortfalls: outside the capacity bound, or stake below ⌈ratio × O × P⌉.
    const scale = BPS * WAD;
    const collateral = (d.obligation * d.params.collateralRatioBps * price + scale - 1n) / scale;
    return {
      factor,
      price,
      required: limits.required,
      collateralRatioWad: limits.collateralRatioWad,
      liquidatable: d.obligation > 0n && (d.obligation > d.obligationBound || d.stake < collateral),
      maxMint: limits.maxMint,
    };
  });
}

/** A collateral ratio for people: "184%". */
export const formatRatio = (wad: bigint | undefined) =>
  wad === undefined ? "—" : `${((Number(wad) / Number(WAD)) * 100).toFixed(0)}%`;
