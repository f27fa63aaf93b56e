/**
 * Everything the provider page shows for one account, read on the server (GET /api/providers/[account]): the
 * dashboard (lib/provider/dashboard.ts), the pool's price now, and earnings and utilization from the provider's
 * first host to now in buckets of about a 48th of that span.
 */
import type { Address, PublicClient } from "viem";
import { bucketFor } from "../market/chart";
import { spotUsdcPerScu } from "../amm/price";
import { readPool, type PoolAddresses } from "../pool/snapshot";
import type { ReserveEvent } from "../pool/history";
import { readProvider, type ProviderAddresses, type ProviderDashboard } from "./dashboard";
import { earningsSeries, priceAt, utilizationSeries, type EarningsPoint, type UtilizationPoint } from "./stats";

export interface ProviderReport {
  dashboard: ProviderDashboard;
  /** USDC base units per SCU at the pool's reserves now; undefined with an empty pool. */
  spotPrice: bigint | undefined;
  /** Seconds per chart bucket. */
  bucket: number;
  earnings: EarningsPoint[];
  utilization: UtilizationPoint[];
}

export async function readProviderReport(
  client: PublicClient,
  contracts: ProviderAddresses & PoolAddresses,
  account: Address,
  fromBlock: bigint,
): Promise<ProviderReport> {
  const [dashboard, pool] = await Promise.all([
    readProvider(client, contracts, account, fromBlock),
    readPool(client, contracts, fromBlock),
  ]);
  const { now, hosts, jobs } = dashboard;
  // A host registered before the deployment's start block has no time on record (0): charts start at the others.
  const start = Math.min(now, ...hosts.flatMap((h) => (h.registeredAt > 0 ? [h.registeredAt] : [])));
  const bucket = bucketFor(now - start);
  const reserveEvents = pool.events.filter((e): e is ReserveEvent => e.kind !== "transfer");
  return {
    dashboard,
    spotPrice: spotUsdcPerScu(pool.state.scu, pool.state.usdc),
    bucket,
    earnings: earningsSeries(jobs, priceAt(reserveEvents, pool.scuIsToken0), start, now + 1, bucket),
    utilization: utilizationSeries(hosts, jobs, start, now + 1, bucket),
  };
}
