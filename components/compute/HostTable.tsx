"use client";

import { useState } from "react";
import { DataTable } from "@/components/DataTable";
import { GpuClassOptions } from "./GpuClassOptions";
import type { HostOffer } from "@/lib/market/offers";
import { usdcPerGpuHour } from "@/lib/amm/price";
import { ratingWad } from "@/lib/scu/ratings";
import { formatAmount, formatUsd, SCU } from "@/lib/tokens";
import {
  challengeBlocked,
  dueStep,
  verificationView,
  type ChallengeStep,
  type VerifierWindows,
} from "@/lib/verification/status";
import { VerificationStatus } from "@/components/verification/VerificationStatus";

type Sort = "price" | "reliability";

/** The row's button when the host's open challenge is due for a step anyone may take. */
const STEP_TEXT: Record<ChallengeStep, string> = {
  begin: "Begin challenge",
  expire: "Expire challenge",
  finalize: "Finalize challenge",
};

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;
const percent = (bps: number) => `${(bps / 100).toFixed(1)}%`;

/** Every listed host with its verification, filterable by class and region and sortable by price and
 * reliability; picking one sets the form's class and host; "Challenge" opens the challenge of one (anyone may
 * challenge a host, or move its open challenge on). */
export function HostTable({
  hosts,
  usdcPerScu,
  selected,
  onPick,
  now,
  windows,
  challenged,
  onChallenge,
}: {
  hosts: HostOffer[];
  usdcPerScu: bigint | undefined;
  selected: number | undefined;
  onPick: (host: HostOffer) => void;
  /** Chain time of the read, and the verifier's windows: a host's verification is judged at it. */
  now: number;
  windows: VerifierWindows;
  /** The host whose challenge is open in the launch column. */
  challenged: number | undefined;
  onChallenge: (host: HostOffer) => void;
}) {
  const [classFilter, setClassFilter] = useState("all");
  const [region, setRegion] = useState("all");
  const [sort, setSort] = useState<Sort>("price");
  const regions = [...new Set(hosts.map((h) => h.region))].sort();
  const priceOf = (h: HostOffer) =>
    usdcPerScu === undefined ? undefined : usdcPerGpuHour(usdcPerScu, ratingWad(h.gpu));

  const shown = hosts
    .filter((h) => (classFilter === "all" || h.gpu.id === classFilter) && (region === "all" || h.region === region))
    .sort((a, b) =>
      sort === "price"
        ? Number((priceOf(a) ?? 0n) - (priceOf(b) ?? 0n)) || b.reliabilityBps - a.reliabilityBps
        : b.reliabilityBps - a.reliabilityBps || Number((priceOf(a) ?? 0n) - (priceOf(b) ?? 0n)),
    );

  return (
    <section aria-labelledby="hosts-heading" className="panel">
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <h2 id="hosts-heading" className="panel-title mb-0">
          Or pick a host
        </h2>
        <div className="flex flex-wrap gap-3 text-sm">
          <label className="field-inline">
            Class
            <select value={classFilter} onChange={(e) => setClassFilter(e.target.value)}>
              <option value="all">All</option>
              <GpuClassOptions />
            </select>
          </label>
          <label className="field-inline">
            Region
            <select value={region} onChange={(e) => setRegion(e.target.value)}>
              <option value="all">All</option>
              {regions.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <label className="field-inline">
            Sort by
            <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
              <option value="price">Price</option>
              <option value="reliability">Reliability</option>
            </select>
          </label>
        </div>
      </div>
      <DataTable
        caption="Listed hosts"
        columns={[
          { label: "Host" },
          { label: "Class" },
          { label: "Region" },
          { label: "Free GPUs", align: "right" },
          { label: "USD/GPU-h", align: "right" },
          { label: "Reliability", align: "right" },
          { label: "Verification" },
          { label: "Pick", hidden: true },
        ]}
      >
        {shown.map((h) => {
          const price = priceOf(h);
          const view = verificationView(h.verification, windows, now);
          const step = dueStep(view, h.gpuCount - h.freeGpus);
          const blocked =
            challengeBlocked({ ...h, paused: false }, h.verification, now) ??
            (h.challengeFee === undefined ? "The verifier cannot price a challenge of this host now." : undefined);
          const challengeText = step
            ? STEP_TEXT[step]
            : h.challengeFee === undefined
              ? "Challenge"
              : `Challenge · ${formatAmount(h.challengeFee, SCU)} SCU`;
          return (
            <tr
              key={h.hostId}
              data-testid={`host-${h.hostId}`}
              className={h.hostId === selected ? "bg-amber-400/5" : undefined}
            >
              <td className="py-2 pr-3">
                #{h.hostId} <span className="text-stone-400">{short(h.provider)}</span>
              </td>
              <td className="py-2 pr-3">{h.gpu.name}</td>
              <td className="py-2 pr-3">{h.region}</td>
              <td className="py-2 pr-3 text-right tabular-nums">
                {h.freeGpus} / {h.gpuCount}
              </td>
              <td className="py-2 pr-3 text-right tabular-nums">{price === undefined ? "—" : formatUsd(price)}</td>
              <td
                className="py-2 pr-3 text-right tabular-nums"
                title={`${(h.servedGpuSeconds / 3600).toFixed(2)} GPU-hours served, ${(h.failedGpuSeconds / 3600).toFixed(2)} failed (${h.completed} completed, ${h.noShows} no-shows, ${h.disputesLost} disputes lost, ${h.challengesFailed} challenges failed): (served + 1) ÷ (served + failed + 2)`}
              >
                {percent(h.reliabilityBps)}
              </td>
              <td className="py-2 pr-3">
                <VerificationStatus view={view} now={now} testId={`host-verification-${h.hostId}`} />
              </td>
              <td className="py-2 text-right">
                {h.hostId === selected ? (
                  <span className="text-xs text-amber-300">selected</span>
                ) : (
                  <button
                    type="button"
                    className="text-amber-300 underline-offset-2 hover:underline disabled:text-stone-600 disabled:no-underline"
                    disabled={h.freeGpus === 0}
                    title={h.freeGpus === 0 ? "All its GPUs are busy" : undefined}
                    onClick={() => onPick(h)}
                    aria-label={`Pick host #${h.hostId}`}
                  >
                    Pick
                  </button>
                )}
                <button
                  type="button"
                  className="mt-1 block w-full text-right text-xs text-stone-300 underline-offset-2 hover:underline disabled:text-stone-600 disabled:no-underline"
                  disabled={(Boolean(blocked) && !step) || h.hostId === challenged}
                  title={step ? "Anyone may take this step now" : blocked}
                  onClick={() => onChallenge(h)}
                >
                  {challengeText}
                  <span className="sr-only"> (host #{h.hostId})</span>
                </button>
              </td>
            </tr>
          );
        })}
        {shown.length === 0 && (
          <tr>
            <td colSpan={8} className="py-3 text-stone-400">
              No host is listed{classFilter === "all" ? "" : " in that class"}
              {region === "all" ? "" : ` in ${region}`}.
            </td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}
