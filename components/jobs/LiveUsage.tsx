"use client";

import { useChainClock } from "@/lib/hooks/useClock";
import { billing } from "@/lib/jobs/cost";
import type { JobDetails } from "@/lib/jobs/details";
import { formatDuration, formatElapsed } from "@/lib/time";
import { formatAmount, SCU } from "@/lib/tokens";

/**
 * Elapsed time and SCU used, ticking every second while the job runs: what the escrow would bill if the run
 * ended now (per second, its first minute at least, never past a stop or the maximum). Its own component: the
 * clock re-renders only this, not the parent whose block watcher a re-render every second would restart before
 * it ever polled.
 */
export function LiveUsage({ job, readAt }: { job: JobDetails; readAt: number }) {
  const now = useChainClock(job.now, readAt);
  const running = job.status === "running" ? billing(job, job.locked, now, now) : undefined;
  const end = running?.billedEnd ?? (job.endedAt || job.startedAt);
  const elapsed = end - job.startedAt;
  const used = running ? running.scu : job.used;
  return (
    <>
      <dt className="text-stone-400">Elapsed (of {formatDuration(job.maxDuration)})</dt>
      <dd className="text-right font-mono tabular-nums" data-testid="job-elapsed">
        {formatElapsed(elapsed)}
      </dd>
      <dt className="text-stone-400">{job.endedAt ? "SCU used (receipt)" : "SCU used so far"}</dt>
      <dd className="text-right font-mono tabular-nums" data-testid="job-used">
        {formatAmount(used, SCU)}
      </dd>
    </>
  );
}
