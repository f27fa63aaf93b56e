/**
 * The price chart's geometry, for the server-rendered SVG the market page paints first (no JavaScript): a
 * step line (the price holds until the next reserve change) scaled into a unit box, and the axis labels. The
 * interactive recharts chart that replaces it on hover draws the same series with the same labels.
 */
import type { PricePoint } from "./priceHistory";

export interface ChartGeometry {
  /** SVG path of the step line in a 100 × 100 box (y down). */
  line: string;
  /** The same closed down to the bottom edge, for the fill. */
  area: string;
  /** Price labels with their height in percent from the top. */
  yTicks: { label: string; top: number }[];
  /** Time labels with their offset in percent from the left. */
  xTicks: { label: string; left: number }[];
}

/** A chart time label, in UTC (the server and every browser write the same): "14:05" or "26 Nov". */
export function chartTime(t: number, span: number): string {
  return new Date(t * 1000).toLocaleString("en-GB", {
    timeZone: "UTC",
    ...(span > 2 * 86_400 ? { day: "numeric", month: "short" } : { hour: "2-digit", minute: "2-digit" }),
  });
}

/** Bucket sizes a time series steps through: a minute up to a day. */
const BUCKETS = [60, 300, 900, 3600, 6 * 3600, 86_400];
/** About 48 buckets over `span` seconds, at the smallest size that gets there. */
export const bucketFor = (span: number) => BUCKETS.find((b) => span / b <= 48) ?? 86_400;

export const chartPrice = (price: number) => `$${price.toFixed(2)}`;

const round = (n: number) => Math.round(n * 100) / 100;

export function chartGeometry(points: PricePoint[]): ChartGeometry {
  const t0 = points[0]!.t;
  const span = Math.max(points.at(-1)!.t - t0, 1);
  const prices = points.map((p) => p.price);
  const [low, high] = [Math.min(...prices), Math.max(...prices)];
  // 10% headroom each side; a flat series gets ±1% so the line sits mid-box.
  const pad = high > low ? (high - low) * 0.1 : Math.max(high * 0.01, 0.01);
  const [yMin, yMax] = [low - pad, high + pad];
  const x = (t: number) => round(((t - t0) / span) * 100);
  const y = (price: number) => round(((yMax - price) / (yMax - yMin)) * 100);

  let line = `M${x(points[0]!.t)} ${y(points[0]!.price)}`;
  for (const p of points.slice(1)) line += `H${x(p.t)}V${y(p.price)}`;
  line += "H100";
  return {
    line,
    area: `${line}V100H0Z`,
    yTicks: [yMax - pad, (yMax + yMin) / 2, yMin + pad].map((price) => ({ label: chartPrice(price), top: y(price) })),
    xTicks: [t0, t0 + span / 2, t0 + span].map((t) => ({ label: chartTime(t, span), left: x(t) })),
  };
}
