"use client";

import dynamic from "next/dynamic";
import type { SeriesPoint } from "@/lib/pool/stats";

const Charts = dynamic(() => import("./PoolChartsRecharts"), {
  ssr: false,
  loading: () => <div className="h-[26rem] animate-pulse rounded-lg bg-stone-900" aria-hidden />,
});

/** Price, TVL, volume and fees over the range (recharts, fetched after the page). */
export function PoolCharts({ series }: { series: SeriesPoint[] }) {
  return (
    <div className="h-[26rem]" role="img" aria-label={`Pool charts: price, TVL, volume and fees, ${series.length} points`}>
      <Charts series={series} />
    </div>
  );
}
