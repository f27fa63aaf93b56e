/**
 * What can be done with a job now, exactly as JobEscrow accepts it, from the job page's read: who may cancel
 * and what a cancel costs, whether a stop still can land, what a dispute's bond takes and from where, and
 * whether the arbiter's time has run out. Each refusal is a sentence; the escrow keeps the last word, since
 * every write is simulated before it is signed.
 */
import type { Hex } from "viem";
import { MAX_HOURS } from "../contracts/constants";
import { EXTEND_BEFORE_END_SECONDS } from "../protocol/extension";
import { formatClock, formatDuration } from "../time";
import { formatToken, SCU } from "../tokens";
import { usageCap } from "./cost";
import type { JobDetails } from "./details";

/** JobEscrow.MAX_REASON_LENGTH: a dispute's reason, in UTF-8 bytes. */
export const MAX_REASON_BYTES = 280;

/** The most a reservation fee can be (JobEscrow._reservationFee): the job's price for two start timeouts, the
 * longest its GPUs can be held before anyone may cancel it; a job lasts at least that long, so never more than it
 * locked. */
export function maxReservationFee(job: Pick<JobDetails, "locked" | "startTimeout" | "maxDuration">): bigint {
  const duration = BigInt(job.maxDuration);
  return (job.locked * 2n * BigInt(job.startTimeout) + duration - 1n) / duration;
}

export type CancelOffer =
  /** The buyer holds the host's acknowledgement and the start timeout passed: the host's no-show, refunded in full. */
  | { kind: "no-show"; refund: bigint }
  /** A plain cancel: the buyer pays the reservation fee (as of the block read; it grows to `maxFee` until anyone
   * may cancel) and gets the rest back. */
  | { kind: "withdraw"; fee: bigint; maxFee: bigint; refund: bigint }
  /** Someone other than the buyer, before anyone may cancel. */
  | { kind: "wait"; reason: string };

/** How the viewer may cancel a job that has not started (undefined for one that has). `ack` is the host's
 * DispatchAck this browser kept, already checked against the job's signer. */
export function cancelOffer(
  job: JobDetails,
  viewer: { isBuyer: boolean; ack: Hex | undefined },
): CancelOffer | undefined {
  if (job.status !== "created") return undefined;
  if (viewer.isBuyer && viewer.ack && job.now >= job.startDeadline) return { kind: "no-show", refund: job.locked };
  if (!viewer.isBuyer && job.now < job.cancelOpenAt) {
    return {
      kind: "wait",
      reason: `Only the buyer can cancel this job until ${formatClock(job.cancelOpenAt)}; after that, anyone can, if its host has not started it.`,
    };
  }
  return {
    kind: "withdraw",
    fee: job.reservationFee,
    maxFee: maxReservationFee(job),
    refund: job.locked - job.reservationFee,
  };
}

/** Why the buyer's stop cannot land now: already stopped, or the run reached its maximum end. */
export function stopBlocked(job: JobDetails): string | undefined {
  if (job.stoppedAt > 0)
    return `Stopped at ${formatClock(job.stoppedAt)}: billing ended there; the host's receipt is due by ${formatClock(job.receiptDeadline)}.`;
  if (job.now >= job.maxEnd) {
    return `The job reached its maximum end at ${formatClock(job.maxEnd)}: there is nothing left to stop. The host's receipt is due by ${formatClock(job.receiptDeadline)}.`;
  }
  return undefined;
}

/** What extending the job by `seconds` locks (JobEscrow.extensionCost): the job's own price per second, what it
 * locked over its maximum duration, rounded up (the receipt's pro rata rule), so its billing stays pro rata. */
export const extensionCost = (job: Pick<JobDetails, "locked" | "maxDuration">, seconds: number): bigint =>
  usageCap(job.locked, seconds, job.maxDuration);

export type ExtendOffer =
  /** The buyer may extend by up to `maxSeconds` (to the escrow's longest job), moving the end from `end`. */
  { kind: "open"; maxSeconds: number; end: number } | { kind: "blocked"; reason: string };

/** Whether the buyer can extend the job now: JobEscrow.extend's checks on the job (running, not stopped, before
 * its maximum end, at most a week in all; the host's listing, pause and stake are the escrow's to check), and
 * the page's own cut-off a minute before the end, when the host reads the chain for it
 * (lib/protocol/extension.ts). Undefined for a job that is not running. */
export function extendOffer(job: JobDetails): ExtendOffer | undefined {
  if (job.status !== "running") return undefined;
  if (job.stoppedAt > 0)
    return { kind: "blocked", reason: `Stopped at ${formatClock(job.stoppedAt)}: a stopped job is not extended.` };
  if (job.now >= job.maxEnd - EXTEND_BEFORE_END_SECONDS)
    return {
      kind: "blocked",
      reason: `The job ends at ${formatClock(job.maxEnd)}: an extension must land over a minute before it, before the host reads the chain for one.`,
    };
  const maxSeconds = MAX_HOURS * 3600 - job.maxDuration;
  if (maxSeconds <= 0)
    return {
      kind: "blocked",
      reason: `The job already runs for the longest a job may (${formatDuration(MAX_HOURS * 3600)}).`,
    };
  return { kind: "open", maxSeconds, end: job.maxEnd };
}

/** A dispute's reason as the escrow counts it: UTF-8 bytes. */
export const reasonBytes = (reason: string) => new TextEncoder().encode(reason).length;

/** Why the buyer's dispute cannot go: no reason, one too long, or a wallet short of the bond's wallet part
 * (`walletScu` undefined while the balance is being read). */
export function disputeBlocked(job: JobDetails, reason: string, walletScu: bigint | undefined): string | undefined {
  if (reason.trim() === "") return "Say what went wrong: the arbiter reads it.";
  const bytes = reasonBytes(reason.trim());
  if (bytes > MAX_REASON_BYTES) return `A reason is at most ${MAX_REASON_BYTES} bytes; this one has ${bytes}.`;
  const { fromWallet } = job.disputeBond;
  if (fromWallet > 0n && walletScu !== undefined && walletScu < fromWallet) {
    return `The bond needs ${formatToken(fromWallet, SCU)} from your wallet, which holds ${formatToken(walletScu, SCU)}: get SCU on the Swap page first.`;
  }
  return undefined;
}

/** Whether the arbiter's time on a disputed job has run out, so anyone may apply the default ruling. */
export const defaultRulingOpen = (job: JobDetails) =>
  job.status === "disputed" && job.dispute !== undefined && job.now >= job.dispute.ruleBy;
