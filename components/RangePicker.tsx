import Link from "next/link";
import { PRICE_RANGES, type PriceRange } from "@/lib/market/priceHistory";

/** A chart's range as links (`path?range=…`): works without JavaScript, and the page reads it on the server. */
export function RangePicker({ path, current }: { path: string; current: PriceRange }) {
  return (
    <nav aria-label="Chart range" className="flex gap-1 text-xs">
      {(Object.keys(PRICE_RANGES) as PriceRange[]).map((r) => (
        <Link
          key={r}
          href={`${path}?range=${r}`}
          scroll={false}
          aria-current={r === current ? "page" : undefined}
          className={`rounded px-2 py-1 ${r === current ? "bg-stone-700 text-stone-50" : "text-stone-400 hover:text-stone-100"}`}
        >
          {r}
        </Link>
      ))}
    </nav>
  );
}
