"use client";

import { useEffect } from "react";
import { useAccount } from "wagmi";
import { useJob } from "@/lib/hooks/useJob";
import { useJobLogs } from "@/lib/hooks/useJobLogs";
import { useRememberedDispatch, useVerifiedAck } from "@/lib/hooks/useRememberedDispatch";
import type { JobDetails } from "@/lib/jobs/details";
import { JOB_STATUS_WORDS } from "@/lib/jobs/status";
import { templateOf } from "@/lib/jobs/templates";
import { gpuClass } from "@/lib/scu/ratings";
import { formatAmount, SCU } from "@/lib/tokens";
import { FilesPanel } from "./FilesPanel";
import { JobActions } from "./JobActions";
import { LiveUsage } from "./LiveUsage";
import { LogView } from "./LogView";
import { ServicePanel } from "./ServicePanel";
import { Timeline } from "./Timeline";

/** One job, live: where it is, what it has used, what it printed, and what its buyer can do now. */
export function JobView({ initial }: { initial: JobDetails }) {
  const { address } = useAccount();
  const { data: job, dataUpdatedAt, refetch } = useJob(initial.id, initial);
  const isBuyer = address !== undefined && address.toLowerCase() === job.buyer.toLowerCase();
  const logs = useJobLogs(job.id, address, isBuyer && job.status !== "cancelled");

  // The host's acknowledgement, kept from its dispatch answer or its `accepted` event, proves it had the job.
  const remembered = useRememberedDispatch(job.id);
  const ack = useVerifiedAck(job, remembered?.ack);
  const dispatched = ack !== undefined || logs.events.some((e) => e.type === "status" && e.data.status === "accepted");
  // The host reports a start or a receipt as soon as its transaction lands: read the chain then, not a block later.
  const statusEvents = logs.events.filter((e) => e.type === "status").length;
  useEffect(() => {
    if (statusEvents > 0) void refetch();
  }, [statusEvents, refetch]);
  const gpu = gpuClass(job.classId);
  // The chain keeps only the spec's hash: the ports it serves are known where it was launched.
  const spec = remembered?.spec;
  const port = spec?.ports?.[0];

  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight text-stone-50">Job #{String(job.id)}</h1>
        <p className="text-stone-300" data-testid="job-status" data-status={job.status}>
          {JOB_STATUS_WORDS[job.status]}
        </p>
      </div>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[20rem_minmax(0,1fr)]">
        <div className="grid content-start gap-6">
          <section className="panel" aria-label="Timeline">
            <Timeline job={job} dispatched={dispatched} />
          </section>
          <section className="panel" aria-labelledby="usage-heading">
            <h2 id="usage-heading" className="panel-title">
              Usage
            </h2>
            <p className="mb-3 text-sm text-stone-200">
              {job.gpus} × {gpu.name}{" "}
              <span className="text-stone-400">
                · host #{job.hostId}, {job.region}
              </span>
            </p>
            <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-2 text-sm">
              <LiveUsage job={job} readAt={dataUpdatedAt} />
              <dt className="text-stone-400">SCU locked</dt>
              <dd className="text-right font-mono tabular-nums" data-testid="job-locked">
                {formatAmount(job.locked, SCU)}
              </dd>
              {job.outcome?.kind === "cancelled" && job.outcome.paid > 0n && (
                <>
                  <dt className="text-stone-400">Reservation fee</dt>
                  <dd className="text-right font-mono tabular-nums" data-testid="job-reservation-fee">
                    {formatAmount(job.outcome.paid, SCU)} SCU
                  </dd>
                </>
              )}
              {job.outcome && (
                <>
                  <dt className="text-stone-400">Refunded to you</dt>
                  <dd className="text-right font-mono tabular-nums text-emerald-300" data-testid="job-refund">
                    {formatAmount(job.outcome.refunded, SCU)} SCU
                  </dd>
                </>
              )}
            </dl>
            {job.endedAt > 0 && (
              <p
                className="mt-3 break-all text-xs text-stone-400"
                title="Hash of everything the job printed, signed by the host"
              >
                Result hash {job.resultHash}
              </p>
            )}
          </section>
        </div>
        <div className="grid content-start gap-6">
          <JobActions job={job} account={address} isBuyer={isBuyer} dispatched={dispatched} ack={ack} />
          {isBuyer && job.status === "running" && port !== undefined && (
            <ServicePanel job={job} account={address} port={port} kind={templateOf(spec!)?.service} />
          )}
          {isBuyer && <FilesPanel job={job} account={address} />}
          <LogView events={logs.events} hidden={logs.hidden} state={isBuyer ? logs.state : "idle"} error={logs.error} />
        </div>
      </div>
    </div>
  );
}
