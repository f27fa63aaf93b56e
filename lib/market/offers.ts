/**
 * What a buyer can rent now: every listed, unpaused host with its class, free GPUs, region and its provider's
 * reliability, and the pool state a job's price is quoted from. Two multicalls; the compute page renders it
 * on the server and quotes in the browser from it.
 */
import { hexToString, type Address, type PublicClient } from "viem";
import { jobEscrowAbi, providerRegistryAbi } from "../contracts/abis";
import { poolState, type PoolState } from "../amm/pool";
import { poolPriceCalls } from "../pool/calls";
import { GPU_CLASSES, type GpuClass } from "../scu/ratings";

export interface OfferAddresses {
  ComputeCredit: Address;
  ScuUsdcPool: Address;
  ProviderRegistry: Address;
  JobEscrow: Address;
}

export interface HostOffer {
  hostId: number;
  provider: Address;
  gpu: GpuClass;
  gpuCount: number;
  freeGpus: number;
  region: string;
  listedUntil: number;
  /** (GPU-hours served + 1) / (served + failed + 2), in basis points (ProviderRegistry.reliabilityOf). */
  reliabilityBps: number;
  completed: number;
  noShows: number;
  disputesLost: number;
  /** GPU-seconds the provider's jobs ran and were paid for, and GPU-seconds booked by the jobs it failed. */
  servedGpuSeconds: number;
  failedGpuSeconds: number;
}

export interface Offers {
  blockNumber: bigint;
  timestamp: number;
  pool: PoolState;
  hosts: HostOffer[];
  /** Seconds a host has to start a job: a host must stay listed that long past a job's maximum end. */
  startTimeout: number;
}

export async function readOffers(client: PublicClient, contracts: OfferAddresses): Promise<Offers> {
  const block = await client.getBlock();
  const at = { blockNumber: block.number, allowFailure: false } as const;
  const registry = { address: contracts.ProviderRegistry, abi: providerRegistryAbi } as const;
  const [token0, [reserve0, reserve1], fee, hostCount, startTimeout] = await client.multicall({
    contracts: [
      ...poolPriceCalls(contracts),
      { ...registry, functionName: "hostCount" },
      { address: contracts.JobEscrow, abi: jobEscrowAbi, functionName: "startTimeout" },
    ],
    ...at,
  });
  const hostIds = Array.from({ length: Number(hostCount) }, (_, i) => BigInt(i + 1));
  const hosts = await client.multicall({
    contracts: hostIds.map((id) => ({ ...registry, functionName: "host", args: [id] }) as const),
    ...at,
  });

  const now = Number(block.timestamp);
  const listed = hosts
    .map((host, i) => ({
      host,
      hostId: i + 1,
      gpu: GPU_CLASSES.find((g) => g.id === hexToString(host.classId, { size: 32 })),
    }))
    .filter(({ host, gpu }) => gpu && !host.paused && Number(host.listedUntil) > now);
  const providers = [...new Set(listed.map(({ host }) => host.provider))];
  const records = await client.multicall({
    contracts: providers.map((account) => ({ ...registry, functionName: "reliabilityOf", args: [account] }) as const),
    ...at,
  });
  const recordOf = new Map(providers.map((p, i) => [p, records[i]!]));

  return {
    blockNumber: block.number,
    timestamp: now,
    startTimeout: Number(startTimeout),
    pool: poolState(token0, contracts.ComputeCredit, reserve0, reserve1, fee),
    hosts: listed.map(({ host, hostId, gpu }) => {
      const [scoreBps, completed, noShows, disputesLost, servedGpuSeconds, failedGpuSeconds] = recordOf.get(
        host.provider,
      )!;
      return {
        hostId,
        provider: host.provider,
        gpu: gpu!,
        gpuCount: host.gpuCount,
        freeGpus: host.gpuCount - host.gpusBusy,
        region: host.region,
        listedUntil: Number(host.listedUntil),
        reliabilityBps: Number(scoreBps),
        completed,
        noShows,
        disputesLost,
        servedGpuSeconds: Number(servedGpuSeconds),
        failedGpuSeconds: Number(failedGpuSeconds),
      };
    }),
  };
}
