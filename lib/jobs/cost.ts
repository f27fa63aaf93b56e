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


/**
 * The most a receipt may charge for a job that locked `locked` for `maxDuration` seconds and ran `elapsed`:
 * the locked price pro rata, rounded up, exactly as JobEscrow.submitReceipt bounds `used`.
 */
export function usageCap(locked: bigint, elapsed: bigint | number, maxDuration: bigint | number): bigint {
  const product = locked * BigInt(elapsed);
  const duration = BigInt(maxDuration);
  return (product + duration - 1n) / duration;
}

/**
 * What a host bills: the time it ran rounded up to the whole minute, priced pro rata of what the job locked.
 * Never past the job's maximum, nor past a buyer's on-chain stop (`stoppedAfter`, seconds from the start),
 * where the escrow ends billing to the second. Returns the billed seconds (the receipt's endedAt − startedAt)
 * and SCU.
 */
export function meterUsage(
  locked: bigint,
  elapsedSeconds: number,
  maxDuration: number,
  stoppedAfter?: number,
): { seconds: number; used: bigint } {
  const limit = Math.min(maxDuration, stoppedAfter ?? maxDuration);
  const seconds = Math.min(Math.ceil(Math.max(elapsedSeconds, 0) / 60) * 60, limit);
  return { seconds, used: usageCap(locked, seconds, maxDuration) };
}
