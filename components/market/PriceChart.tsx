"use client";

import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { chartPrice, chartTime } from "@/lib/market/chart";
import type { PricePoint } from "@/lib/market/priceHistory";

/** The SCU price as a step line (the price holds until the next reserve change), with a tooltip. `size` is the
 * box's measured size, so the first paint is already the right size (no blank frame while it measures). */
export default function PriceChart({
  points,
  size,
}: {
  points: PricePoint[];
  size: { width: number; height: number };
}) {
  const span = points.length > 1 ? points.at(-1)!.t - points[0]!.t : 0;
  return (
    <ResponsiveContainer width="100%" height="100%" initialDimension={size}>
      <AreaChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#292524" vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          domain={["dataMin", "dataMax"]}
          tickFormatter={(t: number) => chartTime(t, span)}
          stroke="#78716c"
          fontSize={12}
        />
        <YAxis
          dataKey="price"
          domain={["auto", "auto"]}
          tickFormatter={chartPrice}
          stroke="#78716c"
          fontSize={12}
          width={56}
        />
        <Tooltip
          contentStyle={{ background: "#1c1917", border: "1px solid #44403c", borderRadius: 8 }}
          labelFormatter={(t) => `${new Date(Number(t) * 1000).toLocaleString("en-GB", { timeZone: "UTC" })} UTC`}
          formatter={(p) => [`$${Number(p).toFixed(4)}`, "USDC per SCU"]}
        />
        <Area
          type="stepAfter"
          dataKey="price"
          stroke="#f59e0b"
          fill="#f59e0b"
          fillOpacity={0.15}
          isAnimationActive={false}
        />
      </AreaChart>
    </ResponsiveContainer>
  );
}
