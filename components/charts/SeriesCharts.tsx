"use client";

import dynamic from "next/dynamic";

/** One chart of a series: which field, its title, area (a level) or bars (an amount per bucket), its unit. */
export interface ChartSpec<K extends string = string> {
  key: K;
  title: string;
  kind: "area" | "bar";
  unit: "usd" | "scu" | "percent" | "gpu-hours";
  digits: number;
  /** An area's axis starts at zero (a share, a running total) instead of hugging the data (a price). */
  fromZero?: boolean;
}

export type SeriesRow<K extends string = string> = { t: number } & Record<K, number>;

const Charts = dynamic(() => import("./SeriesChartsRecharts"), {
  ssr: false,
  loading: () => <div className="h-full animate-pulse rounded-lg bg-stone-900" aria-hidden />,
});

/** Charts of one time series, two to a row (one on a phone, each then given more height; recharts, fetched
 * after the page). `label` names them for assistive technology. */
export function SeriesCharts<K extends string>({
  series,
  charts,
  label,
}: {
  series: SeriesRow<K>[];
  charts: ChartSpec<K>[];
  label: string;
}) {
  return (
    <div className="h-[44rem] sm:h-[26rem]" role="img" aria-label={`${label}, ${series.length} points`}>
      <Charts series={series} charts={charts} />
    </div>
  );
}
