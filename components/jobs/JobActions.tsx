"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { jobEscrowAbi } from "@/lib/contracts/abis";
import { describeError } from "@/lib/errors";
import { rememberedSpec, useJobSignatures } from "@/lib/hooks/useJobSignatures";
import { useTransact } from "@/lib/hooks/useTransact";
import type { JobDetails } from "@/lib/jobs/read";
import { formatClock } from "@/lib/time";
import { SCU } from "@/lib/tokens";
import { appDeployment } from "@/lib/wagmi/config";

/**
 * What the buyer can do at each point of the job's life; what anyone can do once the dispute window closes
 * (finalize). Each write goes through the one transaction path (toast, decoded revert).
 */
export function JobActions({ job, isBuyer, dispatched }: { job: JobDetails; isBuyer: boolean; dispatched: boolean }) {
  // Deadlines are judged by the last block's time, as the contract will judge them.
  const now = job.now;
  const escrow = appDeployment!.contracts.JobEscrow;
  const write = useTransact();
  const { dispatch } = useJobSignatures(escrow);
  const [reason, setReason] = useState("");
  const resend = useMutation<void, Error>({
    mutationFn: async () => {
      const spec = rememberedSpec(job.id);
      if (!spec) throw new Error("This browser does not have the job's spec (it was launched elsewhere). Cancel it for a full refund.");
      await dispatch(job.id, spec).catch((error: unknown) => {
        throw new Error(describeError(error));
      });
    },
  });
  const call = (functionName: "cancel" | "stop" | "reclaim" | "confirm" | "finalize", title: string) =>
    write.transact({ address: escrow, abi: jobEscrowAbi, functionName, args: [job.id], title, errorContext: { token: SCU } });

  const busy = write.isPending || resend.isPending;
  const buttons: ReactNode[] = [];
  const id = `#${job.id}`;

  if (job.status === "created" && isBuyer) {
    // Once the host has accepted it, it is starting: sending it again would only be refused.
    if (!dispatched && !resend.isSuccess) {
      buttons.push(
        <button key="resend" type="button" className="btn-secondary" disabled={busy} onClick={() => resend.mutate()}>
          {resend.isPending ? "Sending…" : "Send to host again"}
        </button>,
      );
    }
    buttons.push(
      <button key="cancel" type="button" className="btn-secondary" disabled={busy} onClick={() => call("cancel", `Cancel job ${id}`)}>
        Cancel for a full refund
      </button>,
    );
  }
  if (job.status === "running" && isBuyer) {
    buttons.push(
      now >= job.receiptDeadline ? (
        <button key="reclaim" type="button" className="btn-secondary" disabled={busy} onClick={() => call("reclaim", `Reclaim job ${id}`)}>
          Reclaim: no receipt came
        </button>
      ) : (
        <button key="stop" type="button" className="btn-secondary" disabled={busy || job.stoppedAt > 0} onClick={() => call("stop", `Stop job ${id}`)}>
          {job.stoppedAt > 0 ? "Stopped: waiting for the receipt" : "Stop now (billing ends now)"}
        </button>
      ),
    );
  }
  if (job.status === "submitted" && now < job.disputeEndsAt && isBuyer) {
    buttons.push(
      <button key="confirm" type="button" className="btn-primary" disabled={busy} onClick={() => call("confirm", `Confirm job ${id}'s receipt`)}>
        Confirm receipt
      </button>,
    );
  }
  if (job.status === "submitted" && now >= job.disputeEndsAt) {
    buttons.push(
      <button key="finalize" type="button" className="btn-primary" disabled={busy} onClick={() => call("finalize", `Finalize job ${id}`)}>
        Finalize
      </button>,
    );
  }
  const canDispute = job.status === "submitted" && now < job.disputeEndsAt && isBuyer;
  if (buttons.length === 0 && !canDispute) return null;

  const error = write.error?.message ?? resend.error?.message;
  return (
    <section aria-label="Actions" className="panel grid gap-3">
      <div className="flex flex-wrap gap-3">{buttons}</div>
      {canDispute && (
        <form
          className="grid gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim() === "") return;
            write.transact({ address: escrow, abi: jobEscrowAbi, functionName: "dispute", args: [job.id, reason.trim()], title: `Dispute job ${id}` });
          }}
        >
          <label className="field">
            <span>Something wrong? Dispute before {formatClock(job.disputeEndsAt)}</span>
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={280} placeholder="What went wrong" className="font-sans" />
          </label>
          <button type="submit" className="btn-secondary justify-self-start" disabled={busy || reason.trim() === ""}>
            Dispute the receipt
          </button>
        </form>
      )}
      {resend.isSuccess && <p className="text-sm text-emerald-300">The host accepted the job.</p>}
      <p role="alert" className="min-h-5 text-sm text-rose-300">
        {error}
      </p>
    </section>
  );
}
