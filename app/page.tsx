import type { ReactNode } from "react";
import { GpuIndex } from "@/components/market/GpuIndex";
import { LazyPriceChart } from "@/components/market/LazyPriceChart";
import { StaticPriceChart } from "@/components/market/StaticPriceChart";
import { RecentJobs } from "@/components/market/RecentJobs";
import { RangePicker } from "@/components/RangePicker";
import { describeError } from "@/lib/errors";
import { isPriceRange, readPriceHistory, type PriceRange } from "@/lib/market/priceHistory";
import { readMarket } from "@/lib/market/overview";
import { serverChain } from "@/lib/server/context";
import { formatAmount, formatUsd, SCU, USDC } from "@/lib/tokens";

/** Read from the chain on every request: prices move with every block. */
export const dynamic = "force-dynamic";

function Section({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <section className="min-w-0 rounded-xl border border-stone-800 bg-stone-900/40 p-5" aria-label={title}>
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-sm font-medium uppercase tracking-wide text-stone-400">{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

/** The market overview: readable by anyone, no wallet and no wallet code. */
export default async function MarketPage({ searchParams }: { searchParams: Promise<{ range?: string }> }) {
  const requested = (await searchParams).range;
  const range: PriceRange = isPriceRange(requested) ? requested : "24h";
  let market;
  let history;
  try {
    const { client, deployment } = serverChain();
    market = await readMarket(client, deployment.contracts);
    history = await readPriceHistory(
      client,
      deployment.contracts,
      BigInt(deployment.startBlock),
      range,
      market.timestamp,
    );
  } catch (error) {
    return (
      <p role="alert" className="rounded-xl border border-rose-900 bg-rose-950/40 p-5 text-rose-200">
        The market cannot be read from the chain right now: {describeError(error)}
      </p>
    );
  }
  const price = market.usdcPerScu;
  return (
    <div className="grid grid-cols-1 gap-6">
      <section className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-semibold tracking-tight text-stone-50">GPU compute, in one unit.</h1>
          <p className="mt-2 max-w-2xl text-stone-300">
            1 SCU is one hour of an A100 80GB. Every GPU class is rated in SCU, so one market prices them all.
          </p>
        </div>
        <div className="text-right">
          <p className="text-xs uppercase tracking-wide text-stone-400">SCU price</p>
          <p className="text-3xl font-semibold tabular-nums text-amber-400" data-testid="scu-price">
            {price === undefined ? "no liquidity" : formatUsd(price, 4)}
          </p>
          <p className="text-xs text-stone-400">
            pool: {formatAmount(market.reserves.scu, SCU, 0)} SCU / {formatAmount(market.reserves.usdc, USDC, 0)} USDC ·
            block <span data-testid="market-block">{String(market.blockNumber)}</span>
          </p>
        </div>
      </section>

      <Section
        title="GPU price index"
        aside={<span className="text-xs text-stone-400">USD per GPU-hour = SCU price × rating</span>}
      >
        <GpuIndex classes={market.classes} />
      </Section>

      <Section title="SCU price" aside={<RangePicker path="/" current={range} />}>
        {history.length === 0 ? (
          <p className="text-sm text-stone-400">No trades in this range.</p>
        ) : (
          <LazyPriceChart points={history}>
            <StaticPriceChart points={history} />
          </LazyPriceChart>
        )}
      </Section>

      <Section title="Recent jobs">
        <RecentJobs jobs={market.recentJobs} now={market.timestamp} />
      </Section>
    </div>
  );
}
