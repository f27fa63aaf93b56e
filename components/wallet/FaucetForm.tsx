"use client";

import { useState, type FormEvent } from "react";
import { useReadContracts } from "wagmi";
import { usdcAbi } from "@/lib/contracts/abis";
import { useTransact } from "@/lib/hooks/useTransact";
import { formatDuration } from "@/lib/time";
import { formatToken, parseAmount, USDC } from "@/lib/tokens";
import { appDeployment } from "@/lib/wagmi/config";

/**
 * Test USDC from the local chain's faucet. The cap and cooldown are the contract's to enforce: a request
 * it would refuse is caught by simulation before anything is signed, and its reason shown as a sentence.
 */
export function FaucetForm() {
  const usdc = appDeployment!.contracts.USDC;
  const [input, setInput] = useState("1000");
  const [inputError, setInputError] = useState<string>();
  const transact = useTransact();
  const { data: limits } = useReadContracts({
    allowFailure: false,
    contracts: [
      { address: usdc, abi: usdcAbi, functionName: "FAUCET_CAP" },
      { address: usdc, abi: usdcAbi, functionName: "FAUCET_COOLDOWN" },
    ],
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseAmount(input, USDC);
    if ("error" in parsed) return setInputError(parsed.error);
    setInputError(undefined);
    transact.transact({
      address: usdc,
      abi: usdcAbi,
      functionName: "faucet",
      args: [parsed.value],
      title: `Get ${formatToken(parsed.value, USDC)}`,
      errorContext: { token: USDC },
    });
  }

  const error = inputError ?? transact.error?.message;
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
        <button type="submit" className="btn-primary" disabled={transact.isPending}>
          {transact.isPending ? "Getting USDC…" : "Get test USDC"}
        </button>
      </div>
      <p id="faucet-hint" className="mt-2 text-xs text-stone-400">
        {limits
          ? `Up to ${formatToken(limits[0], USDC)} per request; then this account waits ${formatDuration(Number(limits[1]))}.`
          : "\u00a0"}
      </p>
      <p id="faucet-error" role="alert" className="mt-1 min-h-5 text-sm text-rose-300">
        {error}
      </p>
    </form>
  );
}
