"use client";

import Link from "next/link";
import { SeriesCharts, type ChartSpec } from "@/components/charts/SeriesCharts";
import { DataTable } from "@/components/DataTable";
import { InfoTip } from "@/components/InfoTip";
import { JOB_STATUS_WORDS } from "@/lib/jobs/status";
import type { ProviderReport } from "@/lib/provider/report";
import type { EarningsPoint, UtilizationPoint } from "@/lib/provider/stats";
import { formatClock, formatDuration, formatElapsed } from "@/lib/time";
import { formatAmount, formatToken, formatUsd, SCU } from "@/lib/tokens";

type Row = EarningsPoint & UtilizationPoint;
const CHARTS: ChartSpec<keyof Omit<Row, "t">>[] = [
  { key: "scu", title: "Earned per bucket (SCU)", kind: "bar", unit: "scu", digits: 4 },
  {
    key: "totalUsd",
    title: "Earned to date (USD, at the price when paid)",
    kind: "area",
    unit: "usd",
    digits: 2,
    fromZero: true,
  },
  {
    key: "utilization",
    title: "Utilization (GPU-hours run ÷ listed)",
    kind: "area",
    unit: "percent",
    digits: 1,
    fromZero: true,
  },
  { key: "busy", title: "GPU-hours run", kind: "bar", unit: "gpu-hours", digits: 2 },
];

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;
/** GPU-seconds as GPU-hours with two decimals: "1.25". */
const gpuHours = (seconds: number) => (seconds / 3600).toFixed(2);

/** Earnings and utilization over time, the reliability record, open disputes and every job served. */
export function ProviderDashboardPanels({ report }: { report: ProviderReport }) {
  const { dashboard: d, earnings, utilization, bucket } = report;
  const earnedScu = d.jobs.reduce((sum, j) => sum + j.paid, 0n);
  const earnedUsd = earnings.at(-1)?.totalUsd ?? 0;
  const rows: Row[] = earnings.map((e, i) => ({ ...e, ...utilization[i]! }));
  const { reliability: r } = d;
  const disputed = d.jobs.filter((j) => j.status === "disputed");
  const disputable = d.jobs.filter((j) => j.status === "submitted" && j.disputeEndsAt > d.now);

  return (
    <>
      <section className="panel grid gap-4" aria-labelledby="earnings-heading" data-testid="earnings-panel">
        <h2 id="earnings-heading" className="panel-title mb-0">
          Earnings and utilization
        </h2>
        <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-stone-400">Earned</dt>
            <dd className="font-mono text-lg tabular-nums" data-testid="earned-scu">
              {formatToken(earnedScu, SCU)}
            </dd>
            <dd className="text-xs text-stone-400" data-testid="earned-usd">
              ${earnedUsd.toFixed(2)} at the price when paid
            </dd>
          </div>
          <div>
            <dt className="text-stone-400">Jobs served</dt>
            <dd className="font-mono text-lg tabular-nums" data-testid="jobs-served">
              {d.jobs.length}
            </dd>
          </div>
          <div>
            <dt className="text-stone-400">
              Reliability
              <InfoTip text="Served: GPUs × the time each settled job ran. Failed: GPUs × the booked duration of each no-show and lost dispute, and an hour of each GPU of a host that failed a throughput challenge. A provider with no history scores 50%. Buyers sort hosts by it." />
            </dt>
            <dd className="font-mono text-lg tabular-nums" data-testid="reliability-score">
              {(r.scoreBps / 100).toFixed(2)}%
            </dd>
            <dd className="text-xs text-stone-400" data-testid="reliability-inputs">
              {r.completed} completed · {r.noShows} no-shows · {r.disputesLost} disputes lost · {r.challengesFailed}{" "}
              challenges failed
            </dd>
            <dd className="text-xs text-stone-400" data-testid="reliability-gpu-hours">
              {gpuHours(r.servedGpuSeconds)} GPU-h served · {gpuHours(r.failedGpuSeconds)} GPU-h failed
            </dd>
            <dd className="text-xs text-stone-400">(served + 1) ÷ (served + failed + 2), in GPU-hours</dd>
          </div>
          <div>
            <dt className="text-stone-400">Open disputes</dt>
            <dd className="font-mono text-lg tabular-nums">{r.openDisputes}</dd>
            {d.disputeStake > 0n && (
              <dd className="text-xs text-stone-400">{formatUsd(d.disputeStake)} of stake held</dd>
            )}
          </div>
        </dl>
        {rows.length < 2 ? (
          <p className="text-sm text-stone-400">Charts appear once your first host has been listed for a while.</p>
        ) : (
          <>
            <SeriesCharts series={rows} charts={CHARTS} label="Provider charts: earnings and utilization" />
            <p className="text-xs text-stone-400">
              {formatDuration(bucket)} buckets since your first host; times in UTC. A paused host counts as listed and
              idle.
            </p>
          </>
        )}
      </section>

      {(disputed.length > 0 || disputable.length > 0) && (
        <section className="panel" aria-labelledby="disputes-heading" data-testid="disputes-panel">
          <h2 id="disputes-heading" className="panel-title">
            Disputes
          </h2>
          <ul className="grid gap-2 text-sm">
            {disputed.map((j) => (
              <li key={String(j.id)} data-testid={`dispute-${j.id}`}>
                <JobLink id={j.id} /> disputed by {short(j.buyer)}
                {j.dispute && ` at ${formatClock(j.dispute.at)}: “${j.dispute.reason}”`}.{" "}
                {j.dispute &&
                  (d.now < j.dispute.ruleBy
                    ? `The arbiter rules by ${formatClock(j.dispute.ruleBy)}; ${formatUsd(j.dispute.stakeAtRisk)} of your stake is held for it until then, and the rest may leave. With no ruling by then, the receipt stands.`
                    : `The arbiter did not rule by ${formatClock(j.dispute.ruleBy)}: anyone can apply the default ruling on the job's page (the receipt stands, you are paid, nothing is slashed). ${formatUsd(j.dispute.stakeAtRisk)} of your stake is held until then.`)}
              </li>
            ))}
            {disputable.map((j) => (
              <li key={String(j.id)} className="text-stone-300">
                <JobLink id={j.id} />: the buyer may dispute the receipt until {formatClock(j.disputeEndsAt)}; it
                settles after.
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="panel" aria-labelledby="served-heading">
        <h2 id="served-heading" className="panel-title">
          Jobs served
        </h2>
        {d.jobs.length === 0 ? (
          <p className="text-sm text-stone-300">No jobs yet. Buyers find your hosts on the Rent GPUs page.</p>
        ) : (
          <DataTable
            caption="Jobs your hosts served"
            columns={[
              { label: "Job" },
              { label: "Status" },
              { label: "Buyer" },
              { label: "GPUs" },
              { label: "Ran" },
              { label: "SCU used", align: "right" },
              { label: "SCU paid", align: "right" },
            ]}
          >
            {d.jobs.map((j) => (
              <tr key={String(j.id)} data-testid={`served-${j.id}`}>
                <td className="py-2 pr-4">
                  <JobLink id={j.id} />
                  <span className="block text-xs text-stone-400">host #{j.hostId}</span>
                </td>
                <td className="py-2 pr-4">{JOB_STATUS_WORDS[j.status]}</td>
                <td className="py-2 pr-4 font-mono text-xs">{short(j.buyer)}</td>
                <td className="py-2 pr-4 tabular-nums">{j.gpus}</td>
                <td className="py-2 pr-4 font-mono tabular-nums">
                  {j.startedAt === 0 ? "—" : j.endedAt === 0 ? "running" : formatElapsed(j.endedAt - j.startedAt)}
                </td>
                <td className="py-2 pr-4 text-right font-mono tabular-nums">{formatAmount(j.used, SCU)}</td>
                <td className="py-2 text-right font-mono tabular-nums">
                  {j.settledAt === undefined ? "—" : formatAmount(j.paid, SCU)}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}

function JobLink({ id }: { id: bigint }) {
  return (
    <Link href={`/jobs/${id}`} prefetch={false} className="text-amber-300 underline-offset-2 hover:underline">
      #{String(id)}
    </Link>
  );
}
