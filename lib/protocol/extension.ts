/**
 * When the host agent learns of an extension (JobEscrow.extend): it reads the job on-chain this long before the
 * run's time limit, so the run still ends exactly at the limit when there is none. An extension that lands later
 * (the escrow takes it until the maximum end) finds the run ending at the old limit: the receipt bills the time
 * it ran and the buyer gets the rest back. The job page offers extensions only until EXTEND_BEFORE_END_SECONDS
 * before the end, which leaves a transaction time to land before the host reads.
 */
export const EXTENSION_LEAD_MS = 15_000;
/** The job page's cut-off: the host's lead plus 45 s for the transaction to land. */
export const EXTEND_BEFORE_END_SECONDS = 60;
