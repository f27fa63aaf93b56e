"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { chartTime } from "@/lib/market/chart";
import type { ChartSpec, SeriesRow } from "./SeriesCharts";

const number = (v: number, digits: number) =>
  v.toLocaleString("en-US", { minimumFractionDigits: Math.min(digits, 2), maximumFractionDigits: digits });
// Ticks keep three significant digits, so small values (a first job's earnings) do not all round to one label.
const tick = (v: number) => v.toLocaleString("en-US", { maximumSignificantDigits: 3 });
/** Tooltip values carry their unit; axis ticks only where it is short (the chart's title names the rest). */
const FORMAT: Record<ChartSpec["unit"], { value: (v: number, digits: number) => string; tick: (v: number) => string }> =
  {
    usd: { value: (v, d) => `$${number(v, d)}`, tick: (v) => `$${tick(v)}` },
    scu: { value: (v, d) => `${number(v, d)} SCU`, tick },
    percent: { value: (v, d) => `${number(v, d)}%`, tick: (v) => `${tick(v)}%` },
    "gpu-hours": { value: (v, d) => `${number(v, d)} GPU-h`, tick },
  };

export default function SeriesChartsRecharts({ series, charts }: { series: SeriesRow[]; charts: ChartSpec[] }) {
  const span = series.length > 1 ? series.at(-1)!.t - series[0]!.t : 0;
  return (
    <div className="grid h-full grid-cols-1 gap-4 sm:grid-cols-2">
      {charts.map(({ key, title, kind, unit, digits, fromZero }) => {
        const format = FORMAT[unit];
        const axes = (
          <>
            <CartesianGrid stroke="#292524" vertical={false} />
            <XAxis dataKey="t" tickFormatter={(t: number) => chartTime(t, span)} stroke="#a8a29e" fontSize={11} />
            <YAxis
              domain={kind === "area" && !fromZero ? ["auto", "auto"] : [0, "auto"]}
              tickFormatter={format.tick}
              stroke="#a8a29e"
              fontSize={11}
              width={64}
            />
            <Tooltip
              contentStyle={{ background: "#1c1917", border: "1px solid #44403c", borderRadius: 8 }}
              labelFormatter={(t) => `${chartTime(Number(t), 0)} UTC`}
              formatter={(v) => [format.value(Number(v), digits), title]}
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
                    <Area
                      type="stepAfter"
                      dataKey={key}
                      stroke="#f59e0b"
                      fill="#f59e0b"
                      fillOpacity={0.15}
                      isAnimationActive={false}
                    />
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
