"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { Address, Hex } from "viem";
import { describeError } from "@/lib/errors";
import { useBalances } from "@/lib/hooks/useBalances";
import { useJobSignatures } from "@/lib/hooks/useJobSignatures";
import { useJobWrites } from "@/lib/hooks/useJobWrites";
import {
  cancelOffer,
  defaultRulingOpen,
  disputeBlocked,
  extendOffer,
  extensionCost,
  MAX_REASON_BYTES,
  reasonBytes,
  stopBlocked,
} from "@/lib/jobs/actions";
import type { JobDetails } from "@/lib/jobs/details";
import { rememberedDispatch } from "@/lib/hooks/signatureStore";
import { formatClock, formatDuration } from "@/lib/time";
import { formatAmount, formatUsd, SCU } from "@/lib/tokens";
import { appDeployment } from "@/lib/wagmi/config";

const scu = (value: bigint) => `${formatAmount(value, SCU)} SCU`;

/**
 * What the viewer can do at each point of the job's life, offered exactly when the escrow would accept it:
 * the buyer's resend, cancel, stop, confirm and dispute; anyone's late cancel, reclaim, finalize and default
 * ruling. Each says what it costs or returns. `ack` is the host's acknowledgement this browser kept, checked.
 */
export function JobActions({
  job,
  account,
  isBuyer,
  dispatched,
  ack,
}: {
  job: JobDetails;
  account: Address | undefined;
  isBuyer: boolean;
  dispatched: boolean;
  ack: Hex | undefined;
}) {
  // Deadlines are judged by the last block's time, as the contract will judge them.
  const now = job.now;
  const writes = useJobWrites(job, account);
  const { dispatch } = useJobSignatures(appDeployment!.contracts.JobEscrow);
  const resend = useMutation<void, Error>({
    mutationFn: async () => {
      const spec = rememberedDispatch(job.id)?.spec;
      if (!spec)
        throw new Error("This browser does not have the job's spec (it was launched elsewhere). Cancel it instead.");
      await dispatch(job.id, spec).catch((error: unknown) => {
        throw new Error(describeError(error));
      });
    },
  });

  const busy = writes.busy || resend.isPending;
  const notes: ReactNode[] = [];
  const buttons: ReactNode[] = [];
  const button = (key: string, label: string, onClick: () => void, primary = false) => (
    <button
      key={key}
      type="button"
      className={primary ? "btn-primary" : "btn-secondary"}
      disabled={busy}
      onClick={onClick}
    >
      {label}
    </button>
  );

  // Once the host has accepted it, it is starting: sending it again would only be refused.
  if (job.status === "created" && isBuyer && !dispatched && !resend.isSuccess) {
    buttons.push(button("resend", resend.isPending ? "Sending…" : "Send to host again", () => resend.mutate()));
  }
  const cancel = cancelOffer(job, { isBuyer, ack });
  if (cancel?.kind === "no-show") {
    notes.push(
      `The host acknowledged the job and did not start it by ${formatClock(job.startDeadline)}. Cancelling with its acknowledgement records its no-show and refunds all ${scu(cancel.refund)}.`,
    );
    buttons.push(button("cancel", "Cancel as the host's no-show (full refund)", () => writes.cancel(ack)));
  } else if (cancel?.kind === "withdraw") {
    notes.push(
      now < job.startDeadline
        ? `Cancelling now pays the provider ${scu(cancel.fee)} for the time its GPUs were held (it grows to at most ${scu(cancel.maxFee)} by ${formatClock(job.cancelOpenAt)}, when anyone may cancel it) and returns ${scu(cancel.refund)}.`
        : `The host did not start the job by ${formatClock(job.startDeadline)}. Without its acknowledgement of the dispatch, cancelling pays the provider the reservation fee of ${scu(cancel.fee)} and returns ${scu(cancel.refund)} to the buyer.`,
    );
    buttons.push(
      button("cancel", isBuyer ? "Cancel the job" : "Cancel: the host never started it", () =>
        writes.cancel(undefined),
      ),
    );
  } else if (cancel?.kind === "wait") {
    notes.push(cancel.reason);
  }

  if (job.status === "running" && now >= job.receiptDeadline) {
    notes.push(
      `No receipt came by ${formatClock(job.receiptDeadline)}: reclaiming refunds the buyer in full and records the host's no-show.`,
    );
    buttons.push(button("reclaim", "Reclaim: no receipt came", writes.reclaim));
  } else if (job.status === "running" && isBuyer) {
    const blocked = stopBlocked(job);
    if (blocked) notes.push(blocked);
    else buttons.push(button("stop", "Stop now (billing ends now)", writes.stop));
  }

  const disputable = job.status === "submitted" && now < job.disputeEndsAt;
  if (disputable && isBuyer) buttons.push(button("confirm", "Confirm receipt", writes.confirm, true));
  if (job.status === "submitted" && now >= job.disputeEndsAt)
    buttons.push(button("finalize", "Finalize", writes.finalize, true));

  if (job.status === "disputed" && job.dispute) {
    const { ruleBy, stakeAtRisk } = job.dispute;
    if (defaultRulingOpen(job)) {
      notes.push(
        `The arbiter did not rule by ${formatClock(ruleBy)}, so the default ruling applies, and anyone can apply it: the receipt stands (the provider is paid ${scu(job.used)}), the buyer's ${scu(job.disputeBond.bond)} bond comes back with the rest of the job's credits, and nothing is slashed.`,
      );
      buttons.push(button("default", "Apply the default ruling", writes.settleDispute, true));
    } else {
      notes.push(
        `The arbiter rules by ${formatClock(ruleBy)}, with up to ${formatUsd(stakeAtRisk)} of the provider's stake held for it. If it has not ruled by then, anyone can apply the default ruling: the receipt stands and the bond comes back.`,
      );
    }
  }

  const canDispute = disputable && isBuyer;
  const extension = isBuyer ? extendOffer(job) : undefined;
  if (extension?.kind === "blocked" && job.status === "running" && !stopBlocked(job)) notes.push(extension.reason);
  const canExtend = extension?.kind === "open";
  if (buttons.length === 0 && notes.length === 0 && !canDispute && !canExtend) return null;

  return (
    <section aria-label="Actions" className="panel grid gap-3" data-testid="job-actions">
      {notes.map((note, i) => (
        <p key={i} className="text-sm text-stone-300">
          {note}
        </p>
      ))}
      {buttons.length > 0 && <div className="flex flex-wrap gap-3">{buttons}</div>}
      {extension?.kind === "open" && (
        <ExtendForm
          job={job}
          account={account}
          busy={busy}
          maxSeconds={extension.maxSeconds}
          end={extension.end}
          onExtend={writes.extend}
        />
      )}
      {canDispute && <DisputeForm job={job} account={account} busy={busy} onDispute={writes.dispute} />}
      {resend.isSuccess && <p className="text-sm text-emerald-300">The host accepted the job.</p>}
      <p role="alert" className="min-h-5 text-sm text-rose-300">
        {writes.error ?? resend.error?.message}
      </p>
    </section>
  );
}

/** The buyer's extension: hours more at the job's own price, before its maximum end (`end`), up to the longest
 * job. The host sees the new end when it reaches the old one and runs on. */
function ExtendForm({
  job,
  account,
  busy,
  maxSeconds,
  end,
  onExtend,
}: {
  job: JobDetails;
  account: Address | undefined;
  busy: boolean;
  maxSeconds: number;
  end: number;
  onExtend: (seconds: number) => void;
}) {
  const [hours, setHours] = useState("1");
  const balances = useBalances(account);
  const parsed = Number(hours.trim());
  const seconds = Math.round(parsed * 3600);
  const cost = Number.isFinite(parsed) && seconds > 0 ? extensionCost(job, seconds) : undefined;
  const wallet = balances.data?.scu;
  const blocked =
    hours.trim() === "" || !Number.isFinite(parsed) || seconds <= 0
      ? "Enter the hours to add, like 1 or 0.5."
      : seconds > maxSeconds
        ? `At most ${formatDuration(maxSeconds)} more: a job runs for at most a week.`
        : wallet !== undefined && cost !== undefined && wallet < cost
          ? `It locks ${scu(cost)} and your wallet holds ${scu(wallet)}: get SCU on the Swap page first.`
          : undefined;
  return (
    <form
      className="grid gap-2"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!blocked) onExtend(seconds);
      }}
    >
      <label className="field">
        <span>Extend the job (hours more)</span>
        <input
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          inputMode="decimal"
          data-testid="extend-hours"
        />
      </label>
      {cost !== undefined && !blocked && (
        <p className="text-xs text-stone-400" data-testid="extend-cost">
          Locks {scu(cost)} more at the job&apos;s own price (one permit signature) and moves its latest end from{" "}
          {formatClock(end)} to {formatClock(end + seconds)}. One that lands after the job&apos;s end is refused
          (nothing is charged); you pay only for the time the job runs, and the rest comes back.
        </p>
      )}
      <button type="submit" className="btn-secondary justify-self-start" disabled={busy || Boolean(blocked)}>
        Extend
      </button>
      <p className="text-sm text-stone-400">{blocked}</p>
    </form>
  );
}

/** The buyer's dispute: a reason of at most 280 bytes, and the bond it posts, from the refund first and then
 * from the wallet. */
function DisputeForm({
  job,
  account,
  busy,
  onDispute,
}: {
  job: JobDetails;
  account: Address | undefined;
  busy: boolean;
  onDispute: (reason: string) => void;
}) {
  const [reason, setReason] = useState("");
  const balances = useBalances(account);
  const { bond, fromWallet, bps } = job.disputeBond;
  const blocked = disputeBlocked(job, reason, balances.data?.scu);
  return (
    <form
      className="grid gap-2"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!blocked) onDispute(reason.trim());
      }}
    >
      <label className="field">
        <span>Something wrong? Dispute before {formatClock(job.disputeEndsAt)}</span>
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="What went wrong"
          className="font-sans"
          data-testid="dispute-reason"
        />
      </label>
      <p className="text-xs text-stone-400" data-testid="dispute-bond">
        {reasonBytes(reason.trim())}/{MAX_REASON_BYTES} bytes. Disputing posts a bond of {scu(bond)} ({bps / 100}% of
        the job): {scu(bond - fromWallet)} out of the refund this receipt leaves
        {fromWallet > 0n ? ` and ${scu(fromWallet)} from your wallet (one permit signature)` : ""}. It comes back to you
        unless the arbiter rules wholly for the provider.
      </p>
      <button type="submit" className="btn-secondary justify-self-start" disabled={busy || Boolean(blocked)}>
        Dispute the receipt
      </button>
      <p className="text-sm text-stone-400">{blocked}</p>
    </form>
  );
}
