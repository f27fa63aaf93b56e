"use client";

import { ConnectButton } from "@rainbow-me/rainbowkit";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useAccount } from "wagmi";
import { SubmitRow } from "@/components/SubmitRow";
import { TradeSettings } from "@/components/TradeSettings";
import { WrongNetwork } from "@/components/wallet/WrongNetwork";
import { minimumReceived, quoteExactIn, type Quote } from "@/lib/amm/quote";
import { SWAP_SIDES, type SwapDirection } from "@/lib/amm/swap";
import { useBalances } from "@/lib/hooks/useBalances";
import { usePool } from "@/lib/hooks/usePool";
import { useSwap, type SwapRequest } from "@/lib/hooks/useSwap";
import { useTradeSettings } from "@/lib/hooks/useTradeSettings";
import { formatAmount, formatToken, parseAmount } from "@/lib/tokens";
import { appChain } from "@/lib/wagmi/config";

/** Above this price impact a swap asks to be looked at twice. */
const HIGH_IMPACT_WAD = 5n * 10n ** 16n;

const percent = (wad: bigint) => {
  const pct = Number(wad) / 1e16;
  return pct < 0.01 ? "< 0.01%" : `${pct.toFixed(2)}%`;
};

/** USDC ↔ SCU at the pool, exact input, with slippage and deadline settings; one permit signature and one
 * transaction. The quote follows the pool block by block; the minimum is fixed when the swap is sent. */
export function SwapForm() {
  const { address, chainId, isConnected } = useAccount();
  const [direction, setDirection] = useState<SwapDirection>("buy");
  const [amountInput, setAmountInput] = useState("");
  const settings = useTradeSettings();
  const pool = usePool();
  const balances = useBalances(address);
  const sendSwap = useSwap(address);
  const { from, to } = SWAP_SIDES[direction];

  const amount = amountInput.trim() === "" ? undefined : parseAmount(amountInput, from);
  let quote: Quote | { error: string } | undefined;
  if (amount && "value" in amount && pool.data) {
    const { scu, usdc, fee } = pool.data;
    const [reserveIn, reserveOut] = direction === "buy" ? [usdc, scu] : [scu, usdc];
    try {
      quote = quoteExactIn(amount.value, [{ reserveIn, reserveOut, fee }]);
    } catch (error) {
      quote = { error: error instanceof Error ? error.message : String(error) };
    }
  }
  const amountOut = quote && "amounts" in quote ? quote.amounts[1]! : undefined;
  const minOut =
    amountOut !== undefined && settings.value ? minimumReceived(amountOut, settings.value.slippageBps) : undefined;
  const held = balances.data ? (direction === "buy" ? balances.data.usdc : balances.data.scu) : undefined;

  const swap = useMutation<unknown, Error, SwapRequest>({
    mutationFn: sendSwap,
    onSuccess: () => setAmountInput(""),
  });

  const reason =
    (!amount && "Enter an amount.") ||
    (amount && "error" in amount && amount.error) ||
    settings.error ||
    (!pool.data && "Reading the pool…") ||
    (quote && "error" in quote && quote.error) ||
    (amountOut === 0n && "This trade is too small to buy anything.") ||
    (held !== undefined &&
      amount &&
      "value" in amount &&
      held < amount.value &&
      `Not enough ${from.symbol}: you have ${formatToken(held, from)}.`) ||
    undefined;

  if (!isConnected || !address) {
    return (
      <section className="panel">
        <p className="mb-3 text-stone-300">Connect a wallet to swap.</p>
        <ConnectButton />
      </section>
    );
  }
  if (chainId !== appChain.id) return <WrongNetwork walletChainId={chainId} />;

  const impact = quote && "priceImpactWad" in quote ? quote.priceImpactWad : undefined;
  return (
    <form
      className="panel grid max-w-md gap-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (reason || !amount || !("value" in amount) || minOut === undefined || !settings.value) return;
        swap.mutate({ direction, amountIn: amount.value, amountOutMin: minOut, minutes: settings.value.minutes });
      }}
    >
      <label className="field">
        <span>
          You pay ({from.symbol}){" "}
          {held !== undefined && <span className="text-stone-400">· balance {formatAmount(held, from)}</span>}
        </span>
        <input
          inputMode="decimal"
          autoComplete="off"
          placeholder="0"
          value={amountInput}
          onChange={(e) => setAmountInput(e.target.value)}
          aria-invalid={Boolean(amount && "error" in amount)}
          data-testid="swap-amount"
        />
      </label>
      <button
        type="button"
        className="justify-self-center rounded-full border border-stone-700 px-3 py-1 text-sm text-stone-300 hover:border-stone-500"
        onClick={() => setDirection(direction === "buy" ? "sell" : "buy")}
        aria-label={`Switch to selling ${to.symbol} for ${from.symbol}`}
      >
        ↑↓
      </button>
      <div className="field">
        <span>You receive ({to.symbol}, estimated)</span>
        <output
          className="rounded-md border border-stone-800 bg-stone-950 px-3 py-2 font-mono text-stone-100"
          data-testid="swap-out"
        >
          {amountOut === undefined ? "—" : formatAmount(amountOut, to)}
        </output>
      </div>

      <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm" aria-live="polite">
        <dt className="text-stone-400">Minimum received</dt>
        <dd className="text-right font-mono tabular-nums" data-testid="swap-min">
          {minOut === undefined ? "—" : formatToken(minOut, to)}
        </dd>
        <dt className="text-stone-400">Price impact</dt>
        <dd
          className={`text-right font-mono tabular-nums ${impact !== undefined && impact > HIGH_IMPACT_WAD ? "text-rose-300" : ""}`}
        >
          {impact === undefined ? "—" : percent(impact)}
        </dd>
        <dt className="text-stone-400">Pool fee (to LPs)</dt>
        <dd className="text-right font-mono tabular-nums">
          {quote && "fees" in quote ? formatToken(quote.fees[0]!, from) : "—"}
        </dd>
      </dl>

      <TradeSettings state={settings} slippageTestId="swap-slippage" />

      <SubmitRow
        label={`Swap ${from.symbol} for ${to.symbol}`}
        busyLabel="Swapping…"
        busy={swap.isPending}
        reason={reason}
        error={swap.error?.message}
        errorTestId="swap-error"
      />
    </form>
  );
}
