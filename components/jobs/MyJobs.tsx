"use client";

import { ConnectButton } from "@rainbow-me/rainbowkit";
import Link from "next/link";
import { useAccount } from "wagmi";
import { DataTable } from "@/components/DataTable";
import { describeError } from "@/lib/errors";
import { JOB_STATUS_WORDS } from "@/lib/jobs/status";
import { formatClock, formatDuration } from "@/lib/time";
import { formatAmount, SCU } from "@/lib/tokens";
import { useMyJobs } from "@/lib/hooks/useMyJobs";

/** The connected buyer's jobs, newest first, with status and cost; refreshed on every block. */
export function MyJobs() {
  const { address } = useAccount();
  const jobs = useMyJobs(address);

  if (!address) {
    return (
      <section className="panel">
        <p className="mb-3 text-stone-300">Connect a wallet to see your jobs.</p>
        <ConnectButton />
      </section>
    );
  }
  if (jobs.error)
    return (
      <p role="alert" className="text-rose-300">
        {describeError(jobs.error)}
      </p>
    );
  if (!jobs.data) return <div className="panel h-40 animate-pulse" aria-busy="true" aria-label="Loading your jobs" />;
  if (jobs.data.length === 0) {
    return (
      <section className="panel text-stone-300">
        No jobs yet.{" "}
        <Link href="/compute" prefetch={false} className="text-amber-300 underline">
          Rent GPUs
        </Link>{" "}
        to launch one.
      </section>
    );
  }
  return (
    <section className="panel">
      <DataTable
        caption="Your jobs"
        columns={[
          { label: "Job" },
          { label: "Status" },
          { label: "GPUs × up to" },
          { label: "SCU locked", align: "right" },
          { label: "SCU used", align: "right" },
          { label: "Created" },
        ]}
      >
        {jobs.data.map((job) => (
          <tr key={String(job.id)}>
            <td className="py-2 pr-3">
              <Link
                href={`/jobs/${job.id}`}
                prefetch={false}
                className="text-amber-300 underline-offset-2 hover:underline"
              >
                #{String(job.id)}
              </Link>
            </td>
            <td className="py-2 pr-3">{JOB_STATUS_WORDS[job.status]}</td>
            <td className="py-2 pr-3">
              {job.gpus} × {formatDuration(job.maxDuration)} <span className="text-stone-400">host #{job.hostId}</span>
            </td>
            <td className="py-2 pr-3 text-right font-mono tabular-nums">{formatAmount(job.locked, SCU)}</td>
            <td className="py-2 pr-3 text-right font-mono tabular-nums">{formatAmount(job.used, SCU)}</td>
            <td className="py-2 text-stone-400">{formatClock(job.createdAt)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
