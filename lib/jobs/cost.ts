/**
 * GPU-time in SCU, as contracts/src/libraries/JobMath.sol computes it: g GPUs of rating r (WAD, SCU per
 * GPU-hour) for s seconds cost g · r · s / 3600 SCU, rounded up. The escrow locks exactly this, so a quote
 * shown in the browser is the amount the buyer's wallet will be asked for.
 */
export const SECONDS_PER_HOUR = 3600n;

export function jobCost(gpus: bigint | number, ratingWad: bigint, seconds: bigint | number): bigint {
  const product = BigInt(gpus) * ratingWad * BigInt(seconds);
  return (product + SECONDS_PER_HOUR - 1n) / SECONDS_PER_HOUR;
}

