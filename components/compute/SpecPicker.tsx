"use client";

import { JOB_TEMPLATES } from "@/lib/jobs/templates";

export const CUSTOM = "custom";

/** What the job runs: one of the templates, or a spec written as JSON (checked as it is typed). */
export function SpecPicker({
  choice,
  onChoice,
  customText,
  onCustomText,
  error,
  onInputs,
  inputsError,
}: {
  choice: string;
  onChoice: (id: string) => void;
  customText: string;
  onCustomText: (text: string) => void;
  error: string | undefined;
  onInputs: (files: File[]) => void;
  inputsError: string | undefined;
}) {
  return (
    <section className="panel" aria-labelledby="spec-heading">
      <h2 id="spec-heading" className="panel-title">
        What it runs
      </h2>
      <div role="radiogroup" aria-labelledby="spec-heading" className="grid gap-2 sm:grid-cols-2">
        {[
          ...JOB_TEMPLATES,
          { id: CUSTOM, name: "Custom spec", description: "Your own image, command and environment, as JSON." },
        ].map((t) => (
          <label
            key={t.id}
            className="flex cursor-pointer gap-3 rounded-lg border border-stone-800 p-3 has-[:checked]:border-amber-400/70 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-amber-300"
          >
            <input
              type="radio"
              name="spec"
              value={t.id}
              checked={choice === t.id}
              onChange={() => onChoice(t.id)}
              className="mt-1 accent-amber-400"
            />
            <span>
              <span className="block text-sm font-medium text-stone-100">{t.name}</span>
              <span className="block text-xs text-stone-400">{t.description}</span>
              {"runs" in t && t.runs === "docker" && (
                <span className="block text-xs text-amber-300/80">Docker hosts only</span>
              )}
            </span>
          </label>
        ))}
      </div>
      {choice === CUSTOM && (
        <label className="field mt-3">
          <span>Spec (JSON: version, image, command, env)</span>
          <textarea
            rows={6}
            spellCheck={false}
            value={customText}
            onChange={(e) => onCustomText(e.target.value)}
            aria-invalid={Boolean(error)}
            aria-describedby="spec-error"
            className="font-mono text-xs"
          />
          <span id="spec-error" className="min-h-4 text-xs text-rose-300">
            {error}
          </span>
        </label>
      )}
      <label className="field mt-3">
        <span>Input files (optional: the job reads them from $HOURGLASS_INPUTS)</span>
        <input
          type="file"
          multiple
          aria-describedby="inputs-error"
          onChange={(e) => onInputs([...(e.target.files ?? [])])}
          className="text-sm text-stone-300"
        />
        <span id="inputs-error" className="min-h-4 text-xs text-rose-300">
          {inputsError}
        </span>
      </label>
    </section>
  );
}
