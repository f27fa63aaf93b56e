/**
 * GPU-time in SCU, as contracts/src/libraries/JobMath.sol computes it: g GPUs of rating r (WAD, SCU per
 * GPU-hour) for s seconds cost g · r · s / 3600 SCU, rounded up. The escrow locks exactly this, so a quote
 * shown in the browser is the amount the buyer's wallet will be asked for. And what a receipt is billed,
 * per second, as JobEscrow._bill computes it.
 */
export const SECONDS_PER_HOUR = 3600n;
/** JobEscrow.MIN_CHARGE: a started job bills at least its first minute, however soon it ends. */
export const MIN_CHARGE_SECONDS = 60;

export function jobCost(gpus: bigint | number, ratingWad: bigint, seconds: bigint | number): bigint {
  const product = BigInt(gpus) * ratingWad * BigInt(seconds);
  return (product + SECONDS_PER_HOUR - 1n) / SECONDS_PER_HOUR;
}

/** The locked price pro rata of `elapsed` seconds out of `maxDuration`, rounded up (so never above `locked`
 * while elapsed ≤ maxDuration). */
export function usageCap(locked: bigint, elapsed: bigint | number, maxDuration: bigint | number): bigint {
  const product = locked * BigInt(elapsed);
  const duration = BigInt(maxDuration);
  return (product + duration - 1n) / duration;
}

/** A running job as the escrow bills it: unix seconds, `stoppedAt` 0 while the buyer has not stopped it. */
export interface BillableJob {
  locked: bigint;
  maxDuration: number;
  startedAt: number;
  stoppedAt: number;
}

/**
 * JobEscrow.billing: what a receipt for `used` SCU ending at `endedAt` is billed at chain time `now`. The end is
 * min(endedAt, now, startedAt + maxDuration, stoppedAt if stopped), never before the start; the SCU is at most
 * `used` and at most the locked price pro rata of max(end − start, MIN_CHARGE) seconds.
 */
export function billing(
  job: BillableJob,
  used: bigint,
  endedAt: number,
  now: number,
): { billedEnd: number; scu: bigint } {
  let end = Math.min(endedAt, now, job.startedAt + job.maxDuration);
  if (job.stoppedAt !== 0) end = Math.min(end, job.stoppedAt);
  end = Math.max(end, job.startedAt);
  const cap = usageCap(job.locked, Math.max(end - job.startedAt, MIN_CHARGE_SECONDS), job.maxDuration);
  return { billedEnd: end, scu: used < cap ? used : cap };
}

/**
 * What a host signs for a run that lasted `ranSeconds` on its own clock (rounded up to the second): the receipt
 * ends at the on-chain start plus those seconds, never past the maximum or a stop the host knows of, and charges
 * the most the escrow bills for them. The escrow may only shorten it (a chain clock behind, a stop it learns of
 * later), so a receipt signed this way is never refused for its times.
 */
export function meterRun(job: BillableJob, ranSeconds: number): { endedAt: number; seconds: number; used: bigint } {
  const ran = Math.ceil(Math.max(ranSeconds, 0));
  const { billedEnd, scu } = billing(job, job.locked, job.startedAt + ran, Number.MAX_SAFE_INTEGER);
  return { endedAt: billedEnd, seconds: billedEnd - job.startedAt, used: scu };
}
