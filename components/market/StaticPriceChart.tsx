import { chartGeometry } from "@/lib/market/chart";
import type { PricePoint } from "@/lib/market/priceHistory";

/** The price chart as plain SVG and HTML labels, rendered on the server: what the page shows before (and
 * without) any chart code. The line scales with the box; the labels stay at their size. */
export function StaticPriceChart({ points }: { points: PricePoint[] }) {
  const { line, area, yTicks, xTicks } = chartGeometry(points);
  return (
    <div className="relative h-full w-full pb-6 pl-14 pr-2 pt-2 text-xs text-stone-400" data-testid="static-chart">
      <div className="relative h-full w-full">
        <svg
          viewBox="0 0 100 100"
          preserveAspectRatio="none"
          className="absolute inset-0 h-full w-full overflow-visible"
          aria-hidden
        >
          {yTicks.map(({ top }) => (
            <line key={top} x1="0" x2="100" y1={top} y2={top} stroke="#292524" vectorEffect="non-scaling-stroke" />
          ))}
          <path d={area} fill="#f59e0b" fillOpacity={0.15} />
          <path d={line} fill="none" stroke="#f59e0b" strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
        </svg>
        {yTicks.map(({ label, top }) => (
          <span
            key={top}
            className="absolute -left-14 w-12 -translate-y-1/2 text-right tabular-nums"
            style={{ top: `${top}%` }}
          >
            {label}
          </span>
        ))}
        {xTicks.map(({ label, left }, i) => (
          <span
            key={left}
            className={`absolute top-full mt-1 whitespace-nowrap ${i === 0 ? "" : i === xTicks.length - 1 ? "-translate-x-full" : "-translate-x-1/2"}`}
            style={{ left: `${left}%` }}
          >
            {label}
          </span>
        ))}
      </div>
    </div>
  );
}
