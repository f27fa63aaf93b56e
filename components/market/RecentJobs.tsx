import { DataTable } from "@/components/DataTable";
import { JOB_STATUS_WORDS } from "@/lib/jobs/status";
import type { RecentJob } from "@/lib/market/overview";
import { gpuClass } from "@/lib/scu/ratings";
import { formatDuration } from "@/lib/time";
import { formatAmount, SCU } from "@/lib/tokens";

/** The latest jobs on the exchange, newest first. Server-rendered. */
export function RecentJobs({ jobs, now }: { jobs: RecentJob[]; now: number }) {
  if (jobs.length === 0) return <p className="text-sm text-stone-400">No jobs yet.</p>;
  return (
    <DataTable
      caption="Recent jobs"
      columns={[
        { label: "Job" },
        { label: "Status" },
        { label: "GPUs" },
        { label: "Up to", align: "right" },
        { label: "Locked (SCU)", align: "right" },
        { label: "Created", align: "right" },
      ]}
    >
      {jobs.map((job) => (
        <tr key={String(job.id)}>
          <td className="py-2 pr-4 tabular-nums">#{String(job.id)}</td>
          <td className="py-2 pr-4">{JOB_STATUS_WORDS[job.status]}</td>
          <td className="py-2 pr-4">
            {job.gpus} × {gpuClass(job.classId).name.replace(/^NVIDIA /, "")}
          </td>
          <td className="py-2 pr-4 text-right tabular-nums">{formatDuration(job.maxDuration)}</td>
          <td className="py-2 pr-4 text-right tabular-nums">{formatAmount(job.locked, SCU)}</td>
          <td className="py-2 text-right tabular-nums text-stone-400">
            {formatDuration(Math.max(now - job.createdAt, 0))} ago
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
