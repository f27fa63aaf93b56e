"use client";

import { ConnectButton } from "@rainbow-me/rainbowkit";
import { SubmitRow } from "@/components/SubmitRow";
import { TradeSettings } from "@/components/TradeSettings";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { amountsForBurn, liquidityMinted, minimumReceived, protocolFeeShares, quote } from "@/lib/amm/quote";
import { useBalances } from "@/lib/hooks/useBalances";
import {
  useAddLiquidity,
  useRemoveLiquidity,
  type AddLiquidityRequest,
  type RemoveLiquidityRequest,
} from "@/lib/hooks/useLiquidity";
import { usePool } from "@/lib/hooks/usePool";
import { useTradeSettings } from "@/lib/hooks/useTradeSettings";
import { WAD } from "@/lib/math";
import { formatAmount, formatToken, parseAmount, SCU, USDC } from "@/lib/tokens";

type Tab = "add" | "remove";
type PoolData = NonNullable<ReturnType<typeof usePool>["data"]>;

const pct = (wad: bigint) => `${(Number(wad) / 1e16).toFixed(4)}%`;

/** Add and remove liquidity: previews from the pool's state this block, minimums from the slippage setting,
 * permits instead of approvals (one signature per token, then one transaction). */
export function LiquidityPanel() {
  const { address } = useAccount();
  const pool = usePool(address);
  const [tab, setTab] = useState<Tab>("add");
  const trade = useTradeSettings();

  if (!address) {
    return (
      <section className="panel" aria-label="Liquidity">
        <p className="mb-3 text-sm text-stone-300">Connect a wallet to add or remove liquidity.</p>
        <ConnectButton />
      </section>
    );
  }
  const [settings, settingsError] = [trade.value, trade.error];
  return (
    <section className="panel grid gap-4" aria-label="Liquidity">
      <div role="tablist" aria-label="Liquidity" className="flex gap-2">
        {(["add", "remove"] as const).map((t) => (
          <button
            key={t}
            role="tab"
            type="button"
            aria-selected={tab === t}
            onClick={() => setTab(t)}
            className={`rounded-md px-3 py-1.5 text-sm ${tab === t ? "bg-stone-700 text-stone-50" : "text-stone-300 hover:text-stone-50"}`}
          >
            {t === "add" ? "Add liquidity" : "Remove liquidity"}
          </button>
        ))}
      </div>
      {!pool.data ? (
        <div className="h-48 animate-pulse rounded-lg bg-stone-900" aria-busy="true" aria-label="Reading the pool" />
      ) : tab === "add" ? (
        <AddForm account={address} pool={pool.data} settings={settings} settingsError={settingsError} />
      ) : (
        <RemoveForm account={address} pool={pool.data} settings={settings} settingsError={settingsError} />
      )}
      <TradeSettings state={trade} slippageTestId="lp-slippage" />
    </section>
  );
}

interface FormProps {
  account: Address;
  pool: PoolData;
  settings: { slippageBps: bigint; minutes: number } | undefined;
  settingsError: string | undefined;
}

/** The supply a mint or burn will price against: today's plus what the protocol fee mints first. */
const effectiveSupply = (pool: PoolData) =>
  pool.totalSupply +
  protocolFeeShares(pool.reserve0, pool.reserve1, pool.kLast, pool.totalSupply, pool.protocolShareBps);

function AddForm({ account, pool, settings, settingsError }: FormProps) {
  const router = useRouter();
  const balances = useBalances(account);
  const addLiquidity = useAddLiquidity(account);
  // The side typed last leads; the other follows the pool's ratio.
  const [lead, setLead] = useState<{ token: "usdc" | "scu"; input: string }>({ token: "usdc", input: "" });
  const parsed = lead.input.trim() === "" ? undefined : parseAmount(lead.input, lead.token === "usdc" ? USDC : SCU);
  const typed = parsed && "value" in parsed ? parsed.value : undefined;
  const amounts =
    typed === undefined || pool.usdc === 0n
      ? undefined
      : lead.token === "usdc"
        ? { usdc: typed, scu: quote(typed, pool.usdc, pool.scu) }
        : { usdc: quote(typed, pool.scu, pool.usdc), scu: typed };
  const supply = effectiveSupply(pool);
  const minted = amounts
    ? liquidityMinted(
        pool.scuIsToken0 ? amounts.scu : amounts.usdc,
        pool.scuIsToken0 ? amounts.usdc : amounts.scu,
        pool.reserve0,
        pool.reserve1,
        supply,
      )
    : undefined;
  const shareAfter = minted !== undefined ? ((pool.shares + minted) * WAD) / (supply + minted) : undefined;
  const held = balances.data;

  const add = useMutation<unknown, Error, AddLiquidityRequest>({
    mutationFn: addLiquidity,
    onSuccess: () => {
      setLead({ ...lead, input: "" });
      router.refresh();
    },
  });

  const reason =
    settingsError ??
    (!parsed ? "Enter an amount of either token." : "error" in parsed ? parsed.error : undefined) ??
    (minted === 0n ? "This deposit is too small to mint a single LP share." : undefined) ??
    (held && amounts && held.usdc < amounts.usdc
      ? `Not enough USDC: you have ${formatToken(held.usdc, USDC)}.`
      : undefined) ??
    (held && amounts && held.scu < amounts.scu ? `Not enough SCU: you have ${formatToken(held.scu, SCU)}.` : undefined);

  const field = (token: "usdc" | "scu") => {
    const info = token === "usdc" ? USDC : SCU;
    const shown =
      lead.token === token
        ? lead.input
        : amounts
          ? formatAmount(amounts[token], info, info.decimals).replace(/,/g, "")
          : "";
    return (
      <label className="field">
        <span>
          {info.symbol} {held && <span className="text-stone-400">· balance {formatAmount(held[token], info)}</span>}
        </span>
        <input
          inputMode="decimal"
          autoComplete="off"
          placeholder="0"
          value={shown}
          onChange={(e) => setLead({ token, input: e.target.value })}
          data-testid={`add-${token}`}
        />
      </label>
    );
  };

  return (
    <form
      className="grid gap-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason && amounts && settings) add.mutate({ ...amounts, ...settings });
      }}
    >
      {field("usdc")}
      {field("scu")}
      <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm" aria-live="polite">
        <dt className="text-stone-400">LP shares you receive</dt>
        <dd className="text-right font-mono tabular-nums" data-testid="add-preview-shares">
          {minted === undefined ? "—" : formatAmount(minted, SCU, 6)}
        </dd>
        <dt className="text-stone-400">Your share of the pool after</dt>
        <dd className="text-right font-mono tabular-nums">{shareAfter === undefined ? "—" : pct(shareAfter)}</dd>
      </dl>
      <SubmitRow
        label="Add liquidity"
        busyLabel="Adding…"
        busy={add.isPending}
        reason={reason}
        error={add.error?.message}
      />
    </form>
  );
}

function RemoveForm({ account, pool, settings, settingsError }: FormProps) {
  const router = useRouter();
  const removeLiquidity = useRemoveLiquidity(account);
  const [percent, setPercent] = useState(100);
  // All of it means every share, not a rounded percentage of them.
  const liquidity = percent === 100 ? pool.shares : (pool.shares * BigInt(percent)) / 100n;
  const out =
    liquidity === 0n
      ? undefined
      : (() => {
          const { amount0, amount1 } = amountsForBurn(liquidity, pool.reserve0, pool.reserve1, effectiveSupply(pool));
          return pool.scuIsToken0 ? { scu: amount0, usdc: amount1 } : { usdc: amount0, scu: amount1 };
        })();
  const mins =
    out && settings
      ? { usdc: minimumReceived(out.usdc, settings.slippageBps), scu: minimumReceived(out.scu, settings.slippageBps) }
      : undefined;

  const remove = useMutation<unknown, Error, RemoveLiquidityRequest>({
    mutationFn: removeLiquidity,
    // The page's figures and charts are server-rendered: read them again now, not at the next refresh.
    onSuccess: () => router.refresh(),
  });

  const reason =
    settingsError ??
    (pool.shares === 0n ? "You hold no LP shares in this pool." : undefined) ??
    (liquidity === 0n ? "Choose how much to remove." : undefined);

  return (
    <form
      className="grid gap-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason && mins && settings)
          remove.mutate({ liquidity, minUsdc: mins.usdc, minScu: mins.scu, minutes: settings.minutes });
      }}
    >
      <label className="field">
        <span>
          Remove <span className="font-mono text-stone-100">{percent}%</span> of your{" "}
          {formatAmount(pool.shares, SCU, 6)} LP shares
        </span>
        <input
          type="range"
          min={0}
          max={100}
          step={1}
          value={percent}
          onChange={(e) => setPercent(Number(e.target.value))}
          className="accent-amber-400"
          data-testid="remove-percent"
        />
      </label>
      <div className="flex gap-2">
        {[25, 50, 75, 100].map((p) => (
          <button
            key={p}
            type="button"
            onClick={() => setPercent(p)}
            className="btn-secondary px-3 py-1 text-sm"
            aria-pressed={percent === p}
          >
            {p === 100 ? "All" : `${p}%`}
          </button>
        ))}
      </div>
      <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm" aria-live="polite">
        <dt className="text-stone-400">You receive</dt>
        <dd
          className="text-right font-mono tabular-nums"
          data-testid="remove-preview"
          data-usdc={out ? String(out.usdc) : ""}
          data-scu={out ? String(out.scu) : ""}
        >
          {out ? `${formatToken(out.usdc, USDC)} + ${formatToken(out.scu, SCU)}` : "—"}
        </dd>
        <dt className="text-stone-400">At least (slippage)</dt>
        <dd className="text-right font-mono tabular-nums">
          {mins ? `${formatToken(mins.usdc, USDC)} + ${formatToken(mins.scu, SCU)}` : "—"}
        </dd>
      </dl>
      <SubmitRow
        label="Remove liquidity"
        busyLabel="Removing…"
        busy={remove.isPending}
        reason={reason}
        error={remove.error?.message}
        errorTestId="remove-error"
      />
    </form>
  );
}
