import { SeriesCharts, type ChartSpec } from "@/components/charts/SeriesCharts";
import { DataTable } from "@/components/DataTable";
import { RangePicker } from "@/components/RangePicker";
import { ServerRefresh } from "@/components/ServerRefresh";
import { bucketFor } from "@/lib/market/chart";
import { PRICE_RANGES, type PriceRange } from "@/lib/market/priceHistory";
import type { PoolSnapshot } from "@/lib/pool/snapshot";
import { poolFigures, poolSeries } from "@/lib/pool/stats";
import { formatDuration } from "@/lib/time";
import { formatAmount, formatUsd, SCU, USDC } from "@/lib/tokens";
import { LiquidityPanel } from "./LiquidityPanel";
import { PositionPanel } from "./PositionPanel";

const CHARTS: ChartSpec<"price" | "tvl" | "volume" | "fees">[] = [
  { key: "price", title: "Price (USDC per SCU)", kind: "area", unit: "usd", digits: 4 },
  { key: "tvl", title: "TVL (USD)", kind: "area", unit: "usd", digits: 0 },
  { key: "volume", title: "Volume (USD)", kind: "bar", unit: "usd", digits: 2 },
  { key: "fees", title: "Fees to LPs (USD)", kind: "bar", unit: "usd", digits: 4 },
];

/** The window the headline figures cover; the APR extrapolates its fees to a year. */
const WINDOW = 86_400;

const percent = (wad: bigint) => `${(Number(wad) / 1e16).toFixed(2)}%`;

/** A pool's page: figures and charts from its events (server-rendered), your position and the liquidity forms. */
export function PoolView({ pool, range }: { pool: PoolSnapshot; range: PriceRange }) {
  const figures = poolFigures(pool.events, pool.state, pool.scuIsToken0, pool.now, WINDOW);
  // A pool younger than the range is charted from its first event, so its history fills the chart.
  const first = pool.events[0]?.t ?? pool.now;
  const start = Math.max(first, range === "all" ? first : pool.now - PRICE_RANGES[range]);
  const bucket = bucketFor(pool.now - start);
  const series = poolSeries(pool.events, pool.scuIsToken0, start, pool.now + 1, bucket);
  const { shareBps } = pool.protocolFee;

  const stats: [string, string, string, string][] = [
    ["Price", formatUsd(figures.price, 4), "USDC per SCU at the reserves", "pool-price"],
    [
      "TVL",
      formatUsd(figures.tvl),
      `${formatAmount(pool.state.usdc, USDC, 0)} USDC + ${formatAmount(pool.state.scu, SCU, 0)} SCU`,
      "pool-tvl",
    ],
    [
      "Volume, 24 h",
      formatUsd(figures.volume),
      `${figures.swaps} swap${figures.swaps === 1 ? "" : "s"}, by their USDC side`,
      "pool-volume",
    ],
    [
      "Fees, 24 h",
      formatUsd(figures.fees, 4),
      `${Number(pool.state.fee) / 100}% of each swap's input, to LPs`,
      "pool-fees",
    ],
    [
      "APR estimate",
      figures.aprWad === undefined ? "—" : percent(figures.aprWad),
      "the last 24 h of fees ÷ TVL × 365; not a promise",
      "pool-apr",
    ],
    [
      "Protocol fee",
      shareBps === 0n ? "off" : `${Number(shareBps) / 100}% of fees`,
      shareBps === 0n ? "all fees stay with LPs" : `minted as LP shares to ${pool.protocolFee.recipient.slice(0, 10)}…`,
      "pool-protocol-fee",
    ],
  ];

  return (
    <div className="grid grid-cols-1 gap-6">
      <ServerRefresh ms={10_000} />
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-stone-50">SCU / USDC pool</h1>
          <p className="mt-1 break-all text-xs text-stone-400">{pool.address}</p>
        </div>
        <p className="text-sm text-stone-400" data-testid="pool-supply">
          {formatAmount(pool.totalSupply, SCU)} LP shares outstanding
        </p>
      </div>

      <section aria-label="Pool figures" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {stats.map(([label, value, note, id]) => (
          <div key={label} className="panel p-4">
            <p className="text-xs uppercase tracking-wide text-stone-400">{label}</p>
            <p className="mt-1 font-mono text-lg tabular-nums text-stone-50" data-testid={id}>
              {value}
            </p>
            <p className="mt-1 text-xs text-stone-400">{note}</p>
          </div>
        ))}
      </section>

      <section className="panel" aria-labelledby="charts-heading">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="charts-heading" className="panel-title mb-0">
            Over time
          </h2>
          <RangePicker path="/pool" current={range} />
        </div>
        {series.length === 0 ? (
          <p className="text-sm text-stone-400">No activity in this range.</p>
        ) : (
          <SeriesCharts series={series} charts={CHARTS} label="Pool charts: price, TVL, volume and fees" />
        )}
        <p className="mt-2 text-xs text-stone-400">{formatDuration(bucket)} buckets; times in UTC.</p>
      </section>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <PositionPanel pool={pool.address} />
        <LiquidityPanel />
      </div>

      <section className="panel" aria-labelledby="activity-heading">
        <h2 id="activity-heading" className="panel-title">
          Recent activity
        </h2>
        <DataTable
          caption="Recent pool activity"
          columns={[
            { label: "What" },
            { label: "USDC into the pool", align: "right" },
            { label: "SCU into the pool", align: "right" },
          ]}
        >
          {pool.events
            .filter((e) => e.kind === "mint" || e.kind === "burn" || e.kind === "swap")
            .slice(-8)
            .reverse()
            .map((e) => {
              if (e.kind !== "mint" && e.kind !== "burn" && e.kind !== "swap") return null;
              const [a0, a1] =
                e.kind === "swap"
                  ? e.zeroForOne
                    ? [e.amountIn, -e.amountOut]
                    : [-e.amountOut, e.amountIn]
                  : e.kind === "mint"
                    ? [e.amount0, e.amount1]
                    : [-e.amount0, -e.amount1];
              const [scu, usdc] = pool.scuIsToken0 ? [a0, a1] : [a1, a0];
              const what =
                e.kind === "swap"
                  ? usdc > 0n
                    ? "Buy SCU"
                    : "Sell SCU"
                  : e.kind === "mint"
                    ? "Add liquidity"
                    : "Remove liquidity";
              return (
                <tr key={`${e.txHash}-${e.logIndex}`}>
                  <td className="py-2 pr-4">{what}</td>
                  <td className="py-2 pr-4 text-right font-mono tabular-nums">{formatAmount(usdc, USDC)}</td>
                  <td className="py-2 text-right font-mono tabular-nums">{formatAmount(scu, SCU)}</td>
                </tr>
              );
            })}
        </DataTable>
      </section>
    </div>
  );
}
