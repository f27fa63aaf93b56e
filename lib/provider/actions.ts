/**
 * Why a provider action cannot be taken now, as a sentence (undefined when it can), from the dashboard's read:
 * the provider page disables each button with its reason. The rules are the registry's (ProviderRegistry.sol);
 * the contract keeps the last word, since every transaction is simulated before it is signed.
 */
import { WAD } from "../math";
import { gpuClass, ratingWad } from "../scu/ratings";
import { formatClock, formatDuration } from "../time";
import { formatToken, formatUsd, SCU } from "../tokens";
import { mintLimits } from "./limits";
import type { ProviderDashboard, ProviderHost } from "./read";
import { HOST_LIMITS } from "./register";

const BPS = 10_000n;
const MAX_LISTING = HOST_LIMITS.maxListingDays * 86_400;

/** What a host's listing backs now (JobMath.capacity): GPUs × rating × hours left, rounded down. */
export function hostCapacity(host: Pick<ProviderHost, "classId" | "gpuCount" | "listedUntil">, now: number): bigint {
  const left = host.listedUntil - now;
  return left <= 0 ? 0n : (BigInt(host.gpuCount) * ratingWad(gpuClass(host.classId)) * BigInt(left)) / 3600n;
}

/** The obligation bound at chain time `t` if nothing changes: mint ratio × the unpaused hosts' capacity then. */
export function boundAt(d: ProviderDashboard, t: number): bigint {
  const capacity = d.hosts.reduce((sum, h) => (h.paused ? sum : sum + hostCapacity(h, t)), 0n);
  return (capacity * d.params.mintRatioBps) / BPS;
}

/**
 * Until when the listings back the obligation as they run down (capacity shrinks every second), if nothing is
 * extended or retired: the last second at which the bound still covers it. Undefined with no obligation; `now`
 * when it is already past.
 */
export function backedUntil(d: ProviderDashboard): number | undefined {
  if (d.obligation === 0n) return undefined;
  if (boundAt(d, d.now) < d.obligation) return d.now;
  // The bound only falls with time: search for the last second it covers the obligation.
  let [lo, hi] = [d.now, Math.max(d.now, ...d.hosts.map((h) => h.listedUntil))];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (boundAt(d, mid) >= d.obligation) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A new listing end for a host: in the future, within the registry's longest listing, and still backing the
 * obligation if it shortens the listing. */
export function listingBlocked(d: ProviderDashboard, host: ProviderHost, listedUntil: number): string | undefined {
  if (listedUntil <= d.now) return "A listing must end in the future.";
  if (listedUntil > d.now + MAX_LISTING) return `A listing may run at most ${MAX_LISTING / 86_400} days from now.`;
  if (host.paused || listedUntil >= host.listedUntil) return undefined;
  const after = boundAt({ ...d, hosts: d.hosts.map((h) => (h.hostId === host.hostId ? { ...h, listedUntil } : h)) }, d.now);
  if (d.obligation <= after) return undefined;
  return `Ending the listing then, your capacity backs ${formatToken(after, SCU)}, less than your ${formatToken(d.obligation, SCU)} obligation.`;
}

/** How far ahead the "Max" mint looks: a transaction lands seconds after the read, and by then the listings
 * have run down that much capacity. */
export const MINT_LEEWAY_SECONDS = 60;

/** The most that stays mintable for the next minute: the stake limit now, and the capacity bound as it will be. */
export function mintMaxWithLeeway(d: ProviderDashboard): bigint {
  const bound = boundAt(d, d.now + MINT_LEEWAY_SECONDS);
  const byCapacity = bound > d.obligation ? bound - d.obligation : 0n;
  return byCapacity < d.limits.maxMint ? byCapacity : d.limits.maxMint;
}

export function mintBlocked(d: ProviderDashboard, amount: bigint): string | undefined {
  if (amount <= d.limits.maxMint) return undefined;
  const most = formatToken(d.limits.maxMint, SCU);
  return d.limits.limitedBy === "capacity"
    ? `Your listed capacity backs at most ${most} more: list more GPUs, or list them for longer.`
    : `Your stake covers at most ${most} more at the reference price ${formatUsd(d.referencePrice, 4)}: stake more USDC first.`;
}

export function retireBlocked(d: ProviderDashboard, amount: bigint, scuBalance: bigint): string | undefined {
  if (amount > d.obligation) return `Your obligation is ${formatToken(d.obligation, SCU)}: you cannot retire more than that.`;
  if (amount > scuBalance) return `You hold ${formatToken(scuBalance, SCU)}: retiring burns credits from your wallet.`;
  return undefined;
}

export function unbondBlocked(d: ProviderDashboard, amount: bigint): string | undefined {
  if (amount > d.stake) return `Your stake is ${formatUsd(d.stake)}: you cannot unbond more than that.`;
  return undefined;
}

/** Stake that may leave without the rest falling below what the obligation and open jobs need now. */
export const freeStake = (d: ProviderDashboard) => (d.stake > d.limits.required ? d.stake - d.limits.required : 0n);

export function withdrawBlocked(d: ProviderDashboard): string | undefined {
  const { amount, unlocksAt } = d.unbonding;
  if (amount === 0n) return "Nothing is unbonding: start unbonding first, then withdraw after the delay.";
  if (d.now < unlocksAt) return `Unbonding stake unlocks in ${formatDuration(unlocksAt - d.now)}, at ${formatClock(unlocksAt)}.`;
  if (d.reliability.openDisputes > 0) {
    const n = d.reliability.openDisputes;
    return `${n} dispute${n === 1 ? " is" : "s are"} open against you: stake cannot leave until the arbiter resolves ${n === 1 ? "it" : "them"}.`;
  }
  const leaving = amount < d.stake ? amount : d.stake;
  if (d.stake - leaving < d.limits.required) {
    return `After ${formatUsd(leaving)} leaves, ${formatUsd(d.stake - leaving)} of stake would remain, below the ${formatUsd(d.limits.required)} your obligation and open jobs need: retire credits first.`;
  }
  return undefined;
}

/** Pausing takes the host's capacity out of the bound; the obligation must still fit under what is left. */
export function pauseBlocked(d: ProviderDashboard, host: ProviderHost): string | undefined {
  if (host.paused) return undefined;
  const after = ((d.capacity - hostCapacity(host, d.now)) * d.params.mintRatioBps) / BPS;
  if (d.obligation <= after) return undefined;
  return `Without this host your capacity backs ${formatToken(after, SCU)}, less than your ${formatToken(d.obligation, SCU)} obligation: retire ${formatToken(d.obligation - after, SCU)} first.`;
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

/** The book under a moved reference price: what the stake must be, the ratio, whether it could be liquidated,
 * and how much more could be minted. */
export function priceScenarios(d: ProviderDashboard, factors: number[]): PriceScenario[] {
  return factors.map((factor) => {
    const moved = (d.referencePrice * BigInt(Math.round(factor * 10_000))) / BPS;
    const price = moved < d.params.floorPrice ? d.params.floorPrice : moved;
    const limits = mintLimits({
      stake: d.stake, obligation: d.obligation, jobCredits: d.jobCredits, obligationBound: d.obligationBound,
      referencePrice: price, collateralRatioBps: d.params.collateralRatioBps,
    });
    // ProviderRegistry._isLiquidatable: outside the capacity bound, or stake below ⌈ratio × O × P⌉.
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
export const formatRatio = (wad: bigint | undefined) => (wad === undefined ? "—" : `${((Number(wad) / Number(WAD)) * 100).toFixed(0)}%`);
