"use client";

import { useChainClock } from "@/lib/hooks/useClock";
import { meterUsage } from "@/lib/jobs/cost";
import type { JobDetails } from "@/lib/jobs/read";
import { formatDuration, formatElapsed } from "@/lib/time";
import { formatAmount, SCU } from "@/lib/tokens";

/**
 * Elapsed time and SCU used, ticking every second while the job runs. Its own component: the clock re-renders
 * only this, not the parent whose block watcher a re-render every second would restart before it ever polled.
 */
export function LiveUsage({ job, readAt }: { job: JobDetails; readAt: number }) {
  const now = useChainClock(job.now, readAt);
  const started = job.startedAt > 0;
  const end = job.endedAt || job.stoppedAt || (job.status === "running" ? now : job.startedAt);
  const elapsed = started ? Math.min(Math.max(end - job.startedAt, 0), job.maxDuration) : 0;
  const used = job.endedAt ? job.used : meterUsage(job.locked, elapsed, job.maxDuration).used;
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
