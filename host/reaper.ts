/**
 * The agent's duty to its own GPUs: a job booked on its host that nobody started holds them until someone
 * cancels it, which anyone may do two start timeouts after it was booked (JobEscrow.cancel). The agent does, with
 * its operator key: the GPUs come back, and the reservation fee (the job's price for the time held) goes to the
 * provider. A job the agent itself acknowledged and never started is cancelled with that acknowledgement, as the
 * host's own no-show: its buyer was owed the start, and gets everything back.
 *
 * It learns of bookings by watching its host's JobCreated events, and at start from the last BACKFILL_BLOCKS
 * blocks. The set it keeps is bounded by the host: every waiting job holds at least one of its GPUs, and a check
 * drops every job that is no longer waiting.
 */
import type { Hex } from "viem";
import { describeError } from "../lib/errors";
import type { HostChain } from "./hostChain";

/** How far back the agent looks for bookings it missed while down: hours of blocks on any chain it serves. */
export const BACKFILL_BLOCKS = 10_000n;

/** Starts the duty for the host `hostId()` names once it is known; returns the function that stops it.
 * `ackOf` is the agent's own DispatchAck for a job it accepted, if any. `everySeconds` 0 never checks. */
export function releaseHeldGpus(
  chain: HostChain,
  hostId: () => bigint | undefined,
  ackOf: (jobId: bigint) => Hex | undefined,
  everySeconds: number,
): () => void {
  if (everySeconds === 0) return () => {};
  const waiting = new Set<bigint>();
  let unwatch: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastFailure: string | undefined;
  const check = async () => {
    try {
      const id = hostId();
      if (id !== undefined) {
        if (!unwatch) {
          unwatch = chain.watchBookings(id, (jobId) => waiting.add(jobId));
          for (const jobId of await chain.jobsBookedSince(id, BACKFILL_BLOCKS)) waiting.add(jobId);
        }
        const [now, startTimeout] = await Promise.all([chain.now(), chain.startTimeout()]);
        for (const jobId of [...waiting]) {
          const job = await chain.job(jobId);
          if (job.status !== "created") {
            waiting.delete(jobId);
            continue;
          }
          if (now < job.createdAt + 2 * startTimeout) continue;
          const ack = ackOf(jobId);
          await chain.cancel(jobId, ack);
          waiting.delete(jobId);
          console.log(
            ack
              ? `job #${jobId}: accepted and never started; cancelled as this host's no-show (its buyer is refunded in full)`
              : `job #${jobId}: nobody started it in two start timeouts; cancelled to free its ${job.gpus} GPU(s)`,
          );
        }
      }
      lastFailure = undefined;
    } catch (error) {
      const reason = describeError(error);
      if (reason !== lastFailure) console.error(`releasing held GPUs: ${reason}`);
      lastFailure = reason;
    }
    if (!stopped) timer = setTimeout(() => void check(), everySeconds * 1000).unref();
  };
  void check();
  return () => {
    stopped = true;
    clearTimeout(timer);
    unwatch?.();
  };
}
