import { JOB_STATUS_WORDS } from "@/lib/jobs/status";
import type { RecentJob } from "@/lib/market/read";
import { gpuClass } from "@/lib/scu/ratings";
import { formatDuration } from "@/lib/time";
import { formatAmount, SCU } from "@/lib/tokens";

/** The latest jobs on the exchange, newest first. Server-rendered. */
export function RecentJobs({ jobs, now }: { jobs: RecentJob[]; now: number }) {
  if (jobs.length === 0) return <p className="text-sm text-stone-400">No jobs yet.</p>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Recent jobs</caption>
        <thead className="text-xs uppercase tracking-wide text-stone-400">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">Job</th>
            <th scope="col" className="py-2 pr-4 font-medium">Status</th>
            <th scope="col" className="py-2 pr-4 font-medium">GPUs</th>
            <th scope="col" className="py-2 pr-4 text-right font-medium">Up to</th>
            <th scope="col" className="py-2 pr-4 text-right font-medium">Locked (SCU)</th>
            <th scope="col" className="py-2 text-right font-medium">Created</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-800">
          {jobs.map((job) => (
            <tr key={String(job.id)}>
              <td className="py-2 pr-4 tabular-nums">#{String(job.id)}</td>
              <td className="py-2 pr-4">{JOB_STATUS_WORDS[job.status]}</td>
              <td className="py-2 pr-4">
                {job.gpus} × {gpuClass(job.classId).name.replace(/^NVIDIA /, "")}
              </td>
              <td className="py-2 pr-4 text-right tabular-nums">{formatDuration(job.maxDuration)}</td>
              <td className="py-2 pr-4 text-right tabular-nums">{formatAmount(job.locked, SCU)}</td>
              <td className="py-2 text-right tabular-nums text-stone-400">{formatDuration(Math.max(now - job.createdAt, 0))} ago</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
