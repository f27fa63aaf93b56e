"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { chartTime } from "@/lib/market/chart";
import type { ChartSpec, SeriesRow } from "./SeriesCharts";

const number = (v: number, digits: number) => v.toLocaleString("en-US", { minimumFractionDigits: Math.min(digits, 2), maximumFractionDigits: digits });
const FORMAT: Record<ChartSpec["unit"], (v: number, digits: number) => string> = {
  usd: (v, d) => `$${number(v, d)}`,
  scu: (v, d) => `${number(v, d)} SCU`,
  percent: (v, d) => `${number(v, d)}%`,
  "gpu-hours": (v, d) => `${number(v, d)} GPU-h`,
};

export default function SeriesChartsRecharts({ series, charts }: { series: SeriesRow[]; charts: ChartSpec[] }) {
  const span = series.length > 1 ? series.at(-1)!.t - series[0]!.t : 0;
  return (
    <div className="grid h-full grid-cols-1 gap-4 sm:grid-cols-2">
      {charts.map(({ key, title, kind, unit, digits }) => {
        const tick = (v: number) => FORMAT[unit](v, Math.min(digits, 2));
        const axes = (
          <>
            <CartesianGrid stroke="#292524" vertical={false} />
            <XAxis dataKey="t" tickFormatter={(t: number) => chartTime(t, span)} stroke="#a8a29e" fontSize={11} />
            <YAxis domain={kind === "area" ? ["auto", "auto"] : undefined} tickFormatter={tick} stroke="#a8a29e" fontSize={11} width={64} />
            <Tooltip
              contentStyle={{ background: "#1c1917", border: "1px solid #44403c", borderRadius: 8 }}
              labelFormatter={(t) => `${chartTime(Number(t), 0)} UTC`}
              formatter={(v) => [FORMAT[unit](Number(v), digits), title]}
            />
          </>
        );
        const margin = { top: 4, right: 4, bottom: 0, left: 0 };
        return (
          <figure key={key} className="flex min-h-0 flex-col">
            <figcaption className="mb-1 text-xs text-stone-400">{title}</figcaption>
            <div className="min-h-0 flex-1">
              <ResponsiveContainer width="100%" height="100%">
                {kind === "area" ? (
                  <AreaChart data={series} margin={margin}>
                    {axes}
                    <Area type="stepAfter" dataKey={key} stroke="#f59e0b" fill="#f59e0b" fillOpacity={0.15} isAnimationActive={false} />
                  </AreaChart>
                ) : (
                  <BarChart data={series} margin={margin}>
                    {axes}
                    <Bar dataKey={key} fill="#f59e0b" isAnimationActive={false} />
                  </BarChart>
                )}
              </ResponsiveContainer>
            </div>
          </figure>
        );
      })}
    </div>
  );
}
