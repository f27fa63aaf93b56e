"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { formatUnits } from "viem";
import { SubmitRow } from "@/components/SubmitRow";
import { parseAmount, type TokenInfo } from "@/lib/tokens";

/** One amount and one button: the provider's stake, unbond, mint and retire forms. `reason` says why the
 * amount cannot go through (the button is disabled and the sentence shown); `run` sends it. */
export function AmountAction({
  label,
  busyLabel,
  token,
  hint,
  max,
  reason,
  run,
  testId,
}: {
  label: string;
  busyLabel: string;
  token: TokenInfo;
  hint?: ReactNode;
  /** Offered as a "Max" button. */
  max?: bigint;
  reason: (amount: bigint) => string | undefined;
  run: (amount: bigint) => Promise<unknown>;
  testId: string;
}) {
  const [input, setInput] = useState("");
  const parsed = input.trim() === "" ? undefined : parseAmount(input, token);
  const action = useMutation<unknown, Error, bigint>({ mutationFn: run, onSuccess: () => setInput("") });
  const why = !parsed ? "Enter an amount." : "error" in parsed ? parsed.error : reason(parsed.value);
  return (
    <form
      className="grid gap-2"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!why && parsed && "value" in parsed) action.mutate(parsed.value);
      }}
    >
      <label className="field">
        <span>
          {label} ({token.symbol}) {hint && <span className="text-stone-400">· {hint}</span>}
        </span>
        <span className="flex gap-2">
          <input
            className="min-w-0 flex-1"
            inputMode="decimal"
            autoComplete="off"
            placeholder="0"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            aria-invalid={Boolean(parsed && "error" in parsed)}
            data-testid={`${testId}-amount`}
          />
          {max !== undefined && (
            <button
              type="button"
              className="btn-secondary px-3"
              onClick={() => setInput(formatUnits(max, token.decimals))}
              disabled={max === 0n}
            >
              Max
            </button>
          )}
        </span>
      </label>
      <SubmitRow
        label={label}
        busyLabel={busyLabel}
        busy={action.isPending}
        reason={why}
        error={action.error?.message}
        errorTestId={`${testId}-error`}
      />
    </form>
  );
}
