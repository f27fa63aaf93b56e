"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useFaucet, useFaucetLimits } from "@/lib/hooks/useFaucet";
import { formatDuration } from "@/lib/time";
import { formatToken, parseAmount, USDC } from "@/lib/tokens";

/**
 * Test USDC from the local chain's faucet. The cap and cooldown are the contract's to enforce: a request
 * it would refuse is caught by simulation before anything is signed, and its reason shown as a sentence.
 */
export function FaucetForm() {
  const [input, setInput] = useState("1000");
  const [inputError, setInputError] = useState<string>();
  const faucet = useFaucet();
  const request = useMutation<unknown, Error, bigint>({ mutationFn: faucet });
  const limits = useFaucetLimits();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseAmount(input, USDC);
    if ("error" in parsed) return setInputError(parsed.error);
    setInputError(undefined);
    request.mutate(parsed.value);
  }

  const error = inputError ?? request.error?.message;
  return (
    <form onSubmit={onSubmit} noValidate>
      <h2 className="panel-title">Test USDC faucet</h2>
      <label htmlFor="faucet-amount" className="block text-sm text-stone-300">
        Amount (USDC)
      </label>
      <div className="mt-1 flex flex-col gap-2 sm:flex-row">
        <input
          id="faucet-amount"
          inputMode="decimal"
          autoComplete="off"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          aria-invalid={Boolean(error)}
          aria-describedby="faucet-hint faucet-error"
          className="w-full rounded-md border border-stone-700 bg-stone-950 px-3 py-2 font-mono text-stone-100 focus:border-amber-400 focus:outline-none sm:max-w-48"
        />
        <button type="submit" className="btn-primary" disabled={request.isPending}>
          {request.isPending ? "Getting USDC…" : "Get test USDC"}
        </button>
      </div>
      <p id="faucet-hint" className="mt-2 text-xs text-stone-400">
        {limits
          ? `Up to ${formatToken(limits.cap, USDC)} per request; then this account waits ${formatDuration(limits.cooldown)}.`
          : "\u00a0"}
      </p>
      <p id="faucet-error" role="alert" className="mt-1 min-h-5 text-sm text-rose-300">
        {error}
      </p>
    </form>
  );
}
