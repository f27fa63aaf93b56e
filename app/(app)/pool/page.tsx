import type { Metadata } from "next";
import { PoolView } from "@/components/pool/PoolView";
import { isPriceRange, type PriceRange } from "@/lib/market/priceHistory";
import { readPool } from "@/lib/pool/snapshot";
import { serverChain } from "@/lib/server/context";

export const metadata: Metadata = { title: "Pool · Hourglass" };
export const dynamic = "force-dynamic";

/** The SCU/USDC pool: Hourglass has one pool, which prices every GPU class. */
export default async function PoolPage({ searchParams }: { searchParams: Promise<{ range?: string }> }) {
  const requested = (await searchParams).range;
  const range: PriceRange = isPriceRange(requested) ? requested : "24h";
  const { client, deployment } = serverChain();
  const pool = await readPool(client, deployment.contracts, BigInt(deployment.startBlock));
  return <PoolView pool={pool} range={range} />;
}
