"use client";

import dynamic from "next/dynamic";

/** One chart of a series: which field, its title, area (a level) or bars (an amount per bucket), its unit. */
export interface ChartSpec<K extends string = string> {
  key: K;
  title: string;
  kind: "area" | "bar";
  unit: "usd" | "scu" | "percent" | "gpu-hours";
  digits: number;
}

export type SeriesRow<K extends string = string> = { t: number } & Record<K, number>;

const Charts = dynamic(() => import("./SeriesChartsRecharts"), {
  ssr: false,
  loading: () => <div className="h-full animate-pulse rounded-lg bg-stone-900" aria-hidden />,
});

/** Charts of one time series, two to a row (recharts, fetched after the page). `label` names them for
 * assistive technology; the height is the whole grid's. */
export function SeriesCharts<K extends string>({ series, charts, label, height = "26rem" }: { series: SeriesRow<K>[]; charts: ChartSpec<K>[]; label: string; height?: string }) {
  return (
    <div style={{ height }} role="img" aria-label={`${label}, ${series.length} points`}>
      <Charts series={series} charts={charts} />
    </div>
  );
}
