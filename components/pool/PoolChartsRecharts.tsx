"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { chartTime } from "@/lib/market/chart";
import type { SeriesPoint } from "@/lib/pool/stats";

type Key = "price" | "tvl" | "volume" | "fees";
const CHARTS: { key: Key; title: string; kind: "area" | "bar"; digits: number }[] = [
  { key: "price", title: "Price (USDC per SCU)", kind: "area", digits: 4 },
  { key: "tvl", title: "TVL (USD)", kind: "area", digits: 0 },
  { key: "volume", title: "Volume (USD)", kind: "bar", digits: 2 },
  { key: "fees", title: "Fees to LPs (USD)", kind: "bar", digits: 4 },
];

const money = (digits: number) => (v: number) => `$${v.toLocaleString("en-US", { minimumFractionDigits: Math.min(digits, 2), maximumFractionDigits: digits })}`;

export default function PoolChartsRecharts({ series }: { series: SeriesPoint[] }) {
  const span = series.length > 1 ? series.at(-1)!.t - series[0]!.t : 0;
  return (
    <div className="grid h-full grid-cols-1 gap-4 sm:grid-cols-2">
      {CHARTS.map(({ key, title, kind, digits }) => (
        <figure key={key} className="flex min-h-0 flex-col">
          <figcaption className="mb-1 text-xs text-stone-400">{title}</figcaption>
          <div className="min-h-0 flex-1">
            <ResponsiveContainer width="100%" height="100%">
              {kind === "area" ? (
                <AreaChart data={series} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
                  <CartesianGrid stroke="#292524" vertical={false} />
                  <XAxis dataKey="t" tickFormatter={(t: number) => chartTime(t, span)} stroke="#a8a29e" fontSize={11} />
                  <YAxis domain={["auto", "auto"]} tickFormatter={money(Math.min(digits, 2))} stroke="#a8a29e" fontSize={11} width={64} />
                  <Tooltip
                    contentStyle={{ background: "#1c1917", border: "1px solid #44403c", borderRadius: 8 }}
                    labelFormatter={(t) => `${chartTime(Number(t), 0)} UTC`}
                    formatter={(v) => [money(digits)(Number(v)), title]}
                  />
                  <Area type="stepAfter" dataKey={key} stroke="#f59e0b" fill="#f59e0b" fillOpacity={0.15} isAnimationActive={false} />
                </AreaChart>
              ) : (
                <BarChart data={series} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
                  <CartesianGrid stroke="#292524" vertical={false} />
                  <XAxis dataKey="t" tickFormatter={(t: number) => chartTime(t, span)} stroke="#a8a29e" fontSize={11} />
                  <YAxis tickFormatter={money(Math.min(digits, 2))} stroke="#a8a29e" fontSize={11} width={64} />
                  <Tooltip
                    contentStyle={{ background: "#1c1917", border: "1px solid #44403c", borderRadius: 8 }}
                    labelFormatter={(t) => `${chartTime(Number(t), 0)} UTC`}
                    formatter={(v) => [money(digits)(Number(v)), title]}
                  />
                  <Bar dataKey={key} fill="#f59e0b" isAnimationActive={false} />
                </BarChart>
              )}
            </ResponsiveContainer>
          </div>
        </figure>
      ))}
    </div>
  );
}
