"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { Address } from "viem";
import { InfoTip } from "@/components/InfoTip";
import { SubmitRow } from "@/components/SubmitRow";
import { GpuClassOptions } from "@/components/compute/GpuClassOptions";
import { useBalances } from "@/lib/hooks/useBalances";
import { useHostCheck, useSignerHost } from "@/lib/hooks/useHostCheck";
import { useRegisterHost } from "@/lib/hooks/useHostWrites";
import { hostCapacity } from "@/lib/provider/actions";
import type { ProviderDashboard } from "@/lib/provider/dashboard";
import { HOST_LIMITS } from "@/lib/contracts/constants";
import { parseEndpointInput, PUBLIC_ENDPOINT_RULE, readRegistration } from "@/lib/provider/register";
import { gpuClass, ratingWad } from "@/lib/scu/ratings";
import { formatClock } from "@/lib/time";
import { formatToken, formatUsd, parseAmount, SCU, USDC } from "@/lib/tokens";
import { onLocalChain } from "@/lib/wagmi/config";
import { HostCheckResult } from "./HostCheckResult";

const BLANK = { endpoint: "", classId: "", gpus: "", region: "", days: "90", stake: "" };

/** Lists a new host: its agent's endpoint, checked from the app for this wallet (signer, the provider it is
 * configured for and its signer's consent, GPUs, benchmark) before anything is signed; then its class, GPUs,
 * region and listing length; one transaction carrying the consent. */
export function RegisterHostForm({ account, d }: { account: Address; d: ProviderDashboard }) {
  const [input, setInput] = useState(BLANK);
  const check = useHostCheck();
  const registerHost = useRegisterHost(account);
  const balances = useBalances(account);
  const withStake = input.stake.trim() === "" ? undefined : parseAmount(input.stake, USDC);
  const checked = check.data && check.data.asked.endpoint === input.endpoint ? check.data : undefined;
  const signerHost = useSignerHost(checked?.signer);
  const registration = readRegistration(input, {
    check: check.data,
    account,
    signerHost,
    now: d.now,
    hosts: d.hosts.length,
    localChain: onLocalChain,
  });
  const endpoint = parseEndpointInput(input.endpoint, onLocalChain);
  const read =
    withStake && "error" in withStake
      ? { reason: `Stake: ${withStake.error}` }
      : withStake && balances.data && withStake.value > balances.data.usdc
        ? { reason: `Your wallet holds ${formatUsd(balances.data.usdc)} to stake.` }
        : registration;
  const register = useMutation({
    mutationFn: async () => {
      if (!("params" in read)) return;
      await registerHost({
        registration: read,
        classId: input.classId,
        stake: withStake && "value" in withStake ? withStake.value : undefined,
      });
    },
    onSuccess: () => {
      setInput(BLANK);
      check.reset();
    },
  });
  const set = (field: keyof typeof BLANK) => (e: { target: { value: string } }) =>
    setInput({ ...input, [field]: e.target.value });
  // What the host adds to each bound, at the class's rating in the SCU standard's published table.
  const bounds = (params: { gpuCount: number; listedUntil: bigint }, t: number) =>
    (hostCapacity(
      { gpuCount: params.gpuCount, listedUntil: Number(params.listedUntil) },
      ratingWad(gpuClass(input.classId)),
      t,
    ) *
      d.params.mintRatioBps) /
    10_000n;
  const preview =
    "params" in read
      ? {
          until: Number(read.params.listedUntil),
          mint: bounds(read.params, d.now + d.params.mintHeadroom),
          liquidation: bounds(read.params, d.now),
        }
      : undefined;

  return (
    <section className="panel" aria-labelledby="register-heading">
      <h2 id="register-heading" className="panel-title">
        Register a host
      </h2>
      <form
        className="grid gap-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if ("params" in read) register.mutate();
        }}
      >
        <div className="field">
          <label htmlFor="host-endpoint">
            Endpoint
            <InfoTip text="The public URL of the host agent (npm run host), configured with this wallet as its provider. Your wallet signs the check; the app then calls its /health and asks its signer's consent to serve this wallet, and relays jobs to it later." />
          </label>
          <span className="flex gap-2">
            <input
              id="host-endpoint"
              className="min-w-0 flex-1"
              placeholder="https://gpu1.example.com"
              autoComplete="off"
              value={input.endpoint}
              onChange={set("endpoint")}
              data-testid="host-endpoint"
            />
            <button
              type="button"
              className="btn-secondary px-3"
              disabled={"error" in endpoint || check.isPending}
              title={"error" in endpoint ? endpoint.error : "Your wallet signs the check."}
              onClick={() => check.mutate({ endpoint: input.endpoint, provider: account, consent: true })}
            >
              {check.isPending ? "Checking…" : "Check"}
            </button>
          </span>
        </div>
        {!onLocalChain && (
          <p className="text-xs text-stone-400" data-testid="host-endpoint-rule">
            {PUBLIC_ENDPOINT_RULE}
          </p>
        )}
        {check.error && (
          <p role="alert" className="text-sm text-rose-300" data-testid="host-check-error">
            {check.error.message}
          </p>
        )}
        {checked && <HostCheckResult check={checked} account={account} />}

        <div className="grid grid-cols-2 gap-3">
          <label className="field">
            GPU class
            <select value={input.classId} onChange={set("classId")} data-testid="host-class">
              <option value="">Pick a class</option>
              <GpuClassOptions />
            </select>
          </label>
          <label className="field">
            GPUs
            <input
              inputMode="numeric"
              placeholder={`1–${HOST_LIMITS.maxGpus}`}
              value={input.gpus}
              onChange={set("gpus")}
              data-testid="host-gpus"
            />
          </label>
          <label className="field">
            Region
            <input placeholder="eu-west" value={input.region} onChange={set("region")} data-testid="host-region" />
          </label>
          <label className="field">
            Listed for (days)
            <input inputMode="numeric" value={input.days} onChange={set("days")} data-testid="host-days" />
          </label>
          <label className="field col-span-2">
            <span>
              Stake with it (USDC, optional)
              <InfoTip text="Minting credits against this host needs stake: collateral ratio × obligation at the reference price. You can also add stake later." />
            </span>
            <input
              inputMode="decimal"
              placeholder="0"
              value={input.stake}
              onChange={set("stake")}
              data-testid="host-stake"
            />
          </label>
        </div>
        {preview && (
          <p className="text-sm text-stone-300" data-testid="host-adds">
            Listed until {formatClock(preview.until)}; adds {formatToken(preview.mint, SCU)} to your mint bound (and{" "}
            {formatToken(preview.liquidation, SCU)} to your liquidation bound), shrinking as the listing runs down.
          </p>
        )}
        <SubmitRow
          label="Register host"
          busyLabel="Registering…"
          busy={register.isPending}
          reason={"reason" in read ? read.reason : undefined}
          error={register.error?.message}
          errorTestId="register-error"
        />
      </form>
    </section>
  );
}
