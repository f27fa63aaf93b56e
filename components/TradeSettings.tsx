"use client";

import type { TradeSettingsState } from "@/lib/hooks/useTradeSettings";

/** The slippage and deadline fields of a trade, with what is wrong with them or what a loose slippage risks. */
export function TradeSettings({ state, slippageTestId }: { state: TradeSettingsState; slippageTestId: string }) {
  return (
    <fieldset className="grid grid-cols-2 gap-3 rounded-lg border border-stone-800 p-3">
      <legend className="px-1 text-xs uppercase tracking-wide text-stone-400">Settings</legend>
      <label className="field">
        <span>Slippage (%)</span>
        <input
          inputMode="decimal"
          value={state.slippageInput}
          onChange={(e) => state.setSlippageInput(e.target.value)}
          aria-invalid={state.slippageError !== undefined}
          data-testid={slippageTestId}
        />
      </label>
      <label className="field">
        <span>Deadline (minutes)</span>
        <input
          inputMode="numeric"
          value={state.deadlineInput}
          onChange={(e) => state.setDeadlineInput(e.target.value)}
          aria-invalid={state.deadlineError !== undefined}
        />
      </label>
      <p className={`col-span-2 min-h-4 text-xs ${state.error ? "text-rose-300" : "text-amber-300"}`} role="status">
        {state.error ?? state.warning}
      </p>
    </fieldset>
  );
}
