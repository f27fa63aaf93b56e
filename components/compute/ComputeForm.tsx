"use client";

import { useState } from "react";
import { spotUsdcPerScu } from "@/lib/amm/price";
import { DEFAULT_SLIPPAGE, parseSlippage } from "@/lib/amm/slippage";
import type { Field } from "@/lib/forms";
import { useServerRefresh } from "@/lib/hooks/useServerRefresh";
import { parseJobGpus, parseJobHours } from "@/lib/jobs/bounds";
import { quoteJob } from "@/lib/jobs/quote";
import { parseSpecJson, type JobSpec } from "@/lib/jobs/spec";
import { inputsProblem } from "@/lib/protocol/files";
import { JOB_TEMPLATES } from "@/lib/jobs/templates";
import { firstAvailableClass, pickHost } from "@/lib/market/hostPicking";
import type { Offers } from "@/lib/market/offers";
import { GPU_CLASSES, ratingWad } from "@/lib/scu/ratings";
import { InfoTip } from "@/components/InfoTip";
import { GpuClassOptions } from "./GpuClassOptions";
import { HostTable } from "./HostTable";
import { LaunchPanel } from "./LaunchPanel";
import { QuotePanel } from "./QuotePanel";
import { CUSTOM, SpecPicker } from "./SpecPicker";

/**
 * What to rent and what it costs: class, GPUs and hours (or one host from the list), the job spec, and a
 * quote recomputed on every keystroke from the pool state the server read (read again every 10 s, so the
 * quote and free GPUs follow the chain). Needs no wallet; the launch buttons load it when asked.
 */
export function ComputeForm({ offers }: { offers: Offers }) {
  useServerRefresh(10_000);
  const [classId, setClassId] = useState(() => firstAvailableClass(offers));
  const [gpusInput, setGpusInput] = useState("1");
  const [hoursInput, setHoursInput] = useState("1");
  const [slippageInput, setSlippageInput] = useState(DEFAULT_SLIPPAGE);
  const [pickedHost, setPickedHost] = useState<number>();
  const [includeUnverified, setIncludeUnverified] = useState(false);
  const [challengedHost, setChallengedHost] = useState<number>();
  const [specChoice, setSpecChoice] = useState(JOB_TEMPLATES[0]!.id);
  const [customText, setCustomText] = useState(() => JSON.stringify(JOB_TEMPLATES[0]!.spec, null, 2));
  const [inputs, setInputs] = useState<File[]>([]);
  const inputsError = inputsProblem(inputs);
  const spec: { spec: JobSpec } | { error: string } =
    specChoice === CUSTOM ? parseSpecJson(customText) : { spec: JOB_TEMPLATES.find((t) => t.id === specChoice)!.spec };

  const gpus = parseJobGpus(gpusInput);
  const hours = parseJobHours(hoursInput, 2 * offers.startTimeout);
  const slippage = parseSlippage(slippageInput);
  const gpu = GPU_CLASSES.find((g) => g.id === classId)!;
  const seconds = "value" in hours ? Math.round(hours.value * 3600) : undefined;

  const { host, picked, candidates, problem } = pickHost(
    offers,
    { classId, gpus: "value" in gpus ? gpus.value : undefined, seconds, includeUnverified },
    pickedHost,
    gpu.name,
  );

  // Bigint arithmetic on reserves already here: about a millisecond per keystroke with the render (BENCHMARKS.md).
  const quote =
    "value" in gpus && seconds !== undefined && "value" in slippage
      ? quoteJob({
          gpus: gpus.value,
          ratingWad: ratingWad(gpu),
          seconds,
          pool: offers.pool,
          slippageBps: slippage.value,
        })
      : undefined;

  const blocker =
    ("error" in gpus && gpus.error) ||
    ("error" in hours && hours.error) ||
    ("error" in slippage && slippage.error) ||
    problem ||
    ("error" in spec && spec.error) ||
    inputsError ||
    undefined;

  const usdcPerScu = spotUsdcPerScu(offers.pool.scu, offers.pool.usdc);
  // The host whose challenge is open, as the latest read has it (undefined once its listing ends).
  const challenged = offers.hosts.find((h) => h.hostId === challengedHost);

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="grid min-w-0 gap-6">
        <section aria-labelledby="what-heading" className="panel">
          <h2 id="what-heading" className="panel-title">
            What you need
          </h2>
          <div className="grid gap-4 sm:grid-cols-3">
            <label className="field">
              <span>GPU class</span>
              <select
                value={classId}
                onChange={(e) => {
                  setClassId(e.target.value);
                  setPickedHost(undefined);
                }}
              >
                <GpuClassOptions />
              </select>
            </label>
            <NumberField label="GPUs" value={gpusInput} onChange={setGpusInput} parsed={gpus} id="gpus" />
            <NumberField
              label="Hours (at most)"
              value={hoursInput}
              onChange={setHoursInput}
              parsed={hours}
              id="hours"
              decimal
            />
          </div>
          <label className="mt-3 flex items-center gap-2 text-sm text-stone-300">
            <input
              type="checkbox"
              checked={includeUnverified}
              onChange={(e) => setIncludeUnverified(e.target.checked)}
              data-testid="include-unverified"
            />
            Include unverified hosts
            <InfoTip text="A verified host proved its GPUs' throughput to a challenge in the past week (matrix products anyone can check, on a deadline). By default only verified hosts are picked for you; a host you pick from the list is your choice either way." />
          </label>
          <p className="mt-3 text-sm text-stone-400" aria-live="polite">
            {host ? (
              <>
                Runs on host #{host.hostId} in {host.region}
                {picked
                  ? " (your pick)"
                  : `, the most reliable of ${candidates.length} ${includeUnverified ? "" : "verified "}that fit`}
                .
              </>
            ) : (
              "\u00a0"
            )}
          </p>
        </section>

        <HostTable
          hosts={offers.hosts}
          usdcPerScu={usdcPerScu}
          selected={host?.hostId}
          onPick={(h) => {
            setClassId(h.gpu.id);
            setPickedHost(h.hostId);
          }}
          now={offers.timestamp}
          windows={offers.verifier}
          challenged={challengedHost}
          onChallenge={(h) => setChallengedHost(h.hostId)}
        />

        <SpecPicker
          choice={specChoice}
          onChoice={(id) => {
            // Custom starts from the template chosen so far.
            const template = JOB_TEMPLATES.find((t) => t.id === specChoice);
            if (id === CUSTOM && template) setCustomText(JSON.stringify(template.spec, null, 2));
            setSpecChoice(id);
          }}
          customText={customText}
          onCustomText={setCustomText}
          error={"error" in spec ? spec.error : undefined}
          onInputs={setInputs}
          inputsError={inputsError}
        />
      </div>

      <div className="grid content-start gap-4 lg:sticky lg:top-4">
        <QuotePanel
          quote={quote}
          gpus={"value" in gpus ? gpus.value : undefined}
          seconds={seconds}
          gpuName={gpu.name}
          slippageInput={slippageInput}
          onSlippage={setSlippageInput}
          slippage={slippage}
        />
        <LaunchPanel
          challenge={
            challenged && {
              target: {
                ...challenged,
                paused: false,
                gpusBusy: challenged.gpuCount - challenged.freeGpus,
                fee: challenged.challengeFee,
              },
              windows: offers.verifier,
              now: offers.timestamp,
              onClose: () => setChallengedHost(undefined),
            }
          }
          blocker={blocker}
          job={
            host &&
            quote &&
            "spec" in spec &&
            "value" in gpus &&
            seconds !== undefined &&
            "value" in slippage &&
            inputsError === undefined
              ? {
                  hostId: host.hostId,
                  gpus: gpus.value,
                  seconds,
                  spec: spec.spec,
                  quote,
                  slippageBps: slippage.value,
                  inputs,
                }
              : undefined
          }
        />
      </div>
    </div>
  );
}

function NumberField({
  label,
  value,
  onChange,
  parsed,
  id,
  decimal,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  parsed: Field<number>;
  id: string;
  decimal?: boolean;
}) {
  const error = "error" in parsed ? parsed.error : undefined;
  return (
    <label className="field">
      <span>{label}</span>
      <input
        inputMode={decimal ? "decimal" : "numeric"}
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={Boolean(error)}
        aria-describedby={`${id}-error`}
        data-testid={`input-${id}`}
      />
      <span id={`${id}-error`} className="min-h-4 text-xs text-rose-300">
        {error}
      </span>
    </label>
  );
}
