"use client";

import dynamic from "next/dynamic";
import { useEffect, useRef, useState } from "react";
import type { PricePoint } from "@/lib/market/history";

const PriceChart = dynamic(() => import("./PriceChart"), { ssr: false, loading: () => <Placeholder /> });

function Placeholder() {
  return <div className="h-full w-full animate-pulse rounded-lg bg-stone-900" aria-hidden />;
}

/** The price chart, its code (recharts) fetched only when the chart scrolls into view; the box keeps its
 * height meanwhile, so nothing moves. */
export function LazyPriceChart({ points }: { points: PricePoint[] }) {
  const box = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const observer = new IntersectionObserver(([entry]) => entry?.isIntersecting && setVisible(true), { rootMargin: "100px" });
    if (box.current) observer.observe(box.current);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} className="h-64 w-full" role="img" aria-label={`SCU price chart, ${points.length} points`}>
      {visible ? <PriceChart points={points} /> : <Placeholder />}
    </div>
  );
}
