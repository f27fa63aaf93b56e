"use client";

import { slippageWarning } from "@/lib/amm/slippage";
import type { Field } from "@/lib/forms";
import { refundIfEndedAfter, type JobQuote } from "@/lib/jobs/quote";
import { formatDuration } from "@/lib/time";
import { formatAmount, formatUsd, SCU } from "@/lib/tokens";

const impactText = (wad: bigint) => {
  const pct = Number(wad) / 1e16;
  return pct < 0.01 ? "< 0.01%" : `${pct.toFixed(2)}%`;
};

/** The price of the job as asked, before anything is signed. */
export function QuotePanel({
  quote,
  gpus,
  seconds,
  gpuName,
  slippageInput,
  onSlippage,
  slippage,
}: {
  quote: JobQuote | undefined;
  gpus: number | undefined;
  seconds: number | undefined;
  gpuName: string;
  slippageInput: string;
  onSlippage: (value: string) => void;
  slippage: Field<bigint>;
}) {
  const purchase = quote && !("error" in quote.purchase) ? quote.purchase : undefined;
  const halfRefund = quote && seconds ? refundIfEndedAfter(quote.scu, seconds / 2, seconds) : undefined;
  const warning = "value" in slippage ? slippageWarning(slippage.value) : undefined;

  return (
    <section aria-labelledby="quote-heading" className="panel" aria-live="polite" data-testid="quote">
      <h2 id="quote-heading" className="panel-title">
        Quote
      </h2>
      <p className="mb-3 text-sm text-stone-300">
        {gpus !== undefined && seconds !== undefined
          ? `${gpus} × ${gpuName} for up to ${formatDuration(seconds)}`
          : "\u00a0"}
      </p>
      <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-2 text-sm">
        <Row label="SCU locked" testId="quote-scu" value={quote ? `${formatAmount(quote.scu, SCU)} SCU` : undefined} />
        <Row label="USDC cost now" testId="quote-usdc" value={purchase && formatUsd(purchase.usdcIn)} />
        <Row label="You pay at most" testId="quote-max" value={purchase && formatUsd(purchase.maxUsdcIn)} />
        <Row label="Price impact" testId="quote-impact" value={purchase && impactText(purchase.priceImpactWad)} />
        <Row label="Pool fee (to LPs)" testId="quote-fee" value={purchase && formatUsd(purchase.feeUsdc, 4)} />
        <Row
          label="Back to you if it stops at half time"
          testId="quote-refund"
          value={halfRefund === undefined ? undefined : `${formatAmount(halfRefund, SCU)} SCU`}
        />
      </dl>
      {quote && "error" in quote.purchase && (
        <p role="alert" className="mt-3 text-sm text-rose-300">
          {quote.purchase.error}
        </p>
      )}
      <p className="mt-3 text-xs text-stone-400">
        The job locks the SCU for its maximum; the host bills whole minutes it ran, and the rest comes back when it
        settles.
      </p>
      <label className="field mt-4">
        <span>Slippage tolerance (%)</span>
        <input
          inputMode="decimal"
          autoComplete="off"
          value={slippageInput}
          onChange={(e) => onSlippage(e.target.value)}
          aria-invalid={"error" in slippage}
          aria-describedby="slippage-note"
          data-testid="input-slippage"
        />
        <span
          id="slippage-note"
          className={`min-h-4 text-xs ${"error" in slippage ? "text-rose-300" : "text-amber-300"}`}
        >
          {"error" in slippage ? slippage.error : warning}
        </span>
      </label>
    </section>
  );
}

function Row({ label, value, testId }: { label: string; value: string | undefined; testId: string }) {
  return (
    <>
      <dt className="text-stone-400">{label}</dt>
      <dd className="text-right font-mono tabular-nums text-stone-100" data-testid={testId}>
        {value ?? "—"}
      </dd>
    </>
  );
}
