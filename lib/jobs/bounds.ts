/**
 * What a job may ask for, as the escrow bounds it, read from what a buyer types: the GPU count and the
 * job's maximum duration in hours.
 */
import { parseWhole, type Field } from "../forms";
import { formatDuration } from "../time";
import { MAX_HOURS } from "../contracts/constants";

/** Most GPUs one job asks for on the compute page; the escrow itself takes any count up to the host's free GPUs. */
export const MAX_JOB_GPUS = 64;

/** The job's GPU count: a whole number from 1 (the escrow refuses 0) to MAX_JOB_GPUS. */
export const parseJobGpus = (input: string): Field<number> => parseWhole(input, "GPU count", 1, MAX_JOB_GPUS);

/** The job's maximum duration in hours: at least `minSeconds` (JobEscrow.minDuration, two start timeouts: the
 * longest a job's GPUs can be held unstarted, which its price must cover), at most a week. */
export function parseJobHours(input: string, minSeconds: number): Field<number> {
  const hours = Number(input.trim());
  if (input.trim() === "" || !Number.isFinite(hours)) return { error: "Enter the hours as a number, like 3 or 0.5." };
  if (hours * 3600 < minSeconds) {
    return {
      error: `A job runs for at least ${formatDuration(minSeconds)} (${+(minSeconds / 3600).toFixed(4)} hours); you pay only for the seconds it runs (or, cancelled before it starts, for the time it held the GPUs).`,
    };
  }
  if (hours > MAX_HOURS)
    return { error: `A job runs for at most ${formatDuration(MAX_HOURS * 3600)} (${MAX_HOURS} hours).` };
  return { value: hours };
}
