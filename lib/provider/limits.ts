/**
 * A provider's credit limits as the registry enforces them (ProviderRegistry.mint, _requiredStake,
 * _shortfalls), for the provider page to show before anything is signed:
 * - price: minting needs a fresh reference price (a TWAP over one to two windows ending now);
 * - capacity: obligation O ≤ `mintBound`, mint ratio × the capacity the listings will still have a day from
 *   now at the ratings in effect;
 * - collateral: stake ≥ ⌈(⌈O × collateral ratio⌉ + SCU in open jobs) × P⌉ + the stake open disputes hold, at
 *   the price stake is booked at (P when fresh, else the floor).
 * The most it may mint now is the smallest headroom of the three; it becomes liquidatable when P rises past
 * stake ÷ (O × collateral ratio).
 */
import { WAD } from "../math";

const BPS = 10_000n;

/** What the stake backs. */
export interface StakeClaims {
  /** SCU minted and not retired. */
  obligation: bigint;
  /** SCU locked in this provider's open jobs. */
  jobCredits: bigint;
  /** USDC held for open disputes. */
  disputeStake: bigint;
}

export interface ProviderBook extends StakeClaims {
  /** USDC base units. */
  stake: bigint;
  /** `mintBound(provider)`, SCU. */
  mintBound: bigint;
  /** Whether the registry has a fresh reference price (mint refuses without one). */
  priceFresh: boolean;
  /** USDC base units per whole SCU that stake is booked at: P when fresh, the floor otherwise. */
  bookingPrice: bigint;
  collateralRatioBps: bigint;
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** The stake `claims` need at `price` (ProviderRegistry._requiredStake). */
export function requiredStake(claims: StakeClaims, price: bigint, collateralRatioBps: bigint): bigint {
  const backed = ceilDiv(claims.obligation * collateralRatioBps, BPS) + claims.jobCredits;
  return ceilDiv(backed * price, WAD) + claims.disputeStake;
}

export interface MintLimits {
  /** The most `mint` accepts now. */
  maxMint: bigint;
  /** Which rule sets it: no fresh price (nothing can be minted), the mint bound, or the stake. */
  limitedBy: "price" | "capacity" | "stake";
  /** Stake the obligation, open jobs and open disputes need at the booking price. */
  required: bigint;
  /** Stake ÷ (O × booking price), WAD; undefined with no obligation. */
  collateralRatioWad: bigint | undefined;
  /** The reference price at which the obligation becomes liquidatable; undefined with no obligation. */
  liquidationPrice: bigint | undefined;
}

export function mintLimits(book: ProviderBook): MintLimits {
  const { stake, obligation, jobCredits, disputeStake, mintBound, bookingPrice: price, collateralRatioBps: cr } = book;
  const byCapacity = mintBound > obligation ? mintBound - obligation : 0n;
  // The largest O' whose required stake fits: solve the formula without its roundings, then step the one or
  // two units they move it, down while it does not fit and up while the next one does.
  const free = stake - disputeStake;
  let most = price === 0n || free <= 0n ? 0n : (((free * WAD) / price - jobCredits) * BPS) / cr;
  if (most < 0n) most = 0n;
  const fits = (o: bigint) => requiredStake({ obligation: o, jobCredits, disputeStake }, price, cr) <= stake;
  while (most > 0n && !fits(most)) most--;
  while (price > 0n && fits(most + 1n)) most++;
  const byStake = most > obligation ? most - obligation : 0n;
  const limitedBy = !book.priceFresh ? "price" : byCapacity <= byStake ? "capacity" : "stake";
  return {
    maxMint: limitedBy === "price" ? 0n : byCapacity < byStake ? byCapacity : byStake,
    limitedBy,
    required: requiredStake({ obligation, jobCredits, disputeStake }, price, cr),
    collateralRatioWad: obligation === 0n || price === 0n ? undefined : (stake * WAD * WAD) / (obligation * price),
    liquidationPrice: obligation === 0n ? undefined : (stake * BPS * WAD) / (obligation * cr),
  };
}
