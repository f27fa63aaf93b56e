/**
 * A provider's credit limits as the registry enforces them (ProviderRegistry.mint, _requiredStake,
 * _isLiquidatable), for the provider page to show before anything is signed:
 * - capacity: obligation O ≤ mint ratio × listed capacity (`obligationBound`);
 * - collateral: stake ≥ (⌈O × collateral ratio⌉ + SCU in open jobs) × P, rounded up, at the reference price P
 *   (the pool's time-weighted price, never below the floor).
 * The most it may mint now is the smaller headroom of the two; it becomes liquidatable when P rises past
 * stake ÷ (O × collateral ratio).
 */
import { WAD } from "../math";

const BPS = 10_000n;

export interface ProviderBook {
  /** USDC base units. */
  stake: bigint;
  /** SCU minted and not retired. */
  obligation: bigint;
  /** SCU locked in this provider's open jobs. */
  jobCredits: bigint;
  /** `obligationBound(provider)`: mint ratio × capacity, SCU. */
  obligationBound: bigint;
  /** USDC base units per whole SCU. */
  referencePrice: bigint;
  collateralRatioBps: bigint;
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** The stake `obligation` needs at `price` (ProviderRegistry._requiredStake). */
export function requiredStake(obligation: bigint, jobCredits: bigint, price: bigint, collateralRatioBps: bigint): bigint {
  const backed = ceilDiv(obligation * collateralRatioBps, BPS) + jobCredits;
  return ceilDiv(backed * price, WAD);
}

export interface MintLimits {
  /** The most `mint` accepts now. */
  maxMint: bigint;
  /** Which rule sets it. */
  limitedBy: "capacity" | "stake";
  required: bigint;
  /** Stake ÷ (O × P), WAD; undefined with no obligation. */
  collateralRatioWad: bigint | undefined;
  /** The reference price at which the obligation becomes liquidatable; undefined with no obligation. */
  liquidationPrice: bigint | undefined;
}

export function mintLimits(book: ProviderBook): MintLimits {
  const { stake, obligation, jobCredits, obligationBound, referencePrice: price, collateralRatioBps: cr } = book;
  const byCapacity = obligationBound > obligation ? obligationBound - obligation : 0n;
  // The largest O' whose required stake fits: solve the formula without its roundings, then step the one or
  // two units they move it, down while it does not fit and up while the next one does.
  let most = price === 0n ? 0n : (((stake * WAD) / price - jobCredits) * BPS) / cr;
  if (most < 0n) most = 0n;
  while (most > 0n && requiredStake(most, jobCredits, price, cr) > stake) most--;
  while (price > 0n && requiredStake(most + 1n, jobCredits, price, cr) <= stake) most++;
  const byStake = most > obligation ? most - obligation : 0n;
  return {
    maxMint: byCapacity < byStake ? byCapacity : byStake,
    limitedBy: byCapacity <= byStake ? "capacity" : "stake",
    required: requiredStake(obligation, jobCredits, price, cr),
    collateralRatioWad: obligation === 0n || price === 0n ? undefined : (stake * WAD * WAD) / (obligation * price),
    liquidationPrice: obligation === 0n ? undefined : (stake * BPS * WAD) / (obligation * cr),
  };
}
