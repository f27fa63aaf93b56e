"use client";

import { useRef, useState, type ReactNode } from "react";
import type { PricePoint } from "@/lib/market/priceHistory";
import type PriceChartComponent from "./PriceChart";

type Loaded = { Chart: typeof PriceChartComponent; size: { width: number; height: number } };

/**
 * The price chart: the server's static SVG (`children`) first, swapped for the interactive recharts chart
 * (tooltip, crosshair) once the reader points at it, touches it or tabs to it. The chart code (~113 kB gzip)
 * is fetched then, not with the page, and the static chart stays until it has arrived: nothing blinks or moves.
 */
export function LazyPriceChart({ points, children }: { points: PricePoint[]; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const requested = useRef(false);
  const [loaded, setLoaded] = useState<Loaded>();
  const enable = () => {
    if (requested.current || !box.current) return;
    requested.current = true;
    const size = { width: box.current.clientWidth, height: box.current.clientHeight };
    import("./PriceChart")
      .then(({ default: Chart }) => setLoaded({ Chart, size }))
      // Offline or a failed chunk: the static chart stays, and the next hover tries again.
      .catch(() => (requested.current = false));
  };
  return (
    <div
      ref={box}
      className="h-64 w-full"
      role="img"
      aria-label={`SCU price chart, ${points.length} points, from $${points[0]!.price.toFixed(2)} to $${points.at(-1)!.price.toFixed(2)}`}
      tabIndex={0}
      onPointerEnter={enable}
      onTouchStart={enable}
      onFocus={enable}
      data-interactive={Boolean(loaded)}
    >
      {loaded ? <loaded.Chart points={points} size={loaded.size} /> : children}
    </div>
  );
}
