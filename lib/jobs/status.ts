/** A job's life, in the order of JobStatus in contracts/src/types/Job.sol. */
export const JOB_STATUSES = [
  "none",
  "created",
  "running",
  "submitted",
  "disputed",
  "settled",
  "cancelled",
  "expired",
] as const;

export type JobStatus = (typeof JOB_STATUSES)[number];

/** How each status reads in a sentence: "Job #3 is running". */
export const JOB_STATUS_WORDS: Record<JobStatus, string> = {
  none: "unknown",
  created: "waiting to start",
  running: "running",
  submitted: "awaiting settlement",
  disputed: "disputed",
  settled: "settled",
  cancelled: "cancelled",
  expired: "expired",
};

export const jobStatus = (index: number | bigint): JobStatus => JOB_STATUSES[Number(index)] ?? "none";
