/**
 * The market as anyone can read it from the chain, without a wallet: the SCU price from the pool's reserves,
 * the GPU price index (that price × each class's rating), listed capacity per class and the latest jobs.
 * One multicall per step; the server renders it (app/page.tsx), tests read it against anvil.
 */
import { hexToString, type Address, type PublicClient } from "viem";
import { jobEscrowAbi, providerRegistryAbi } from "../contracts/abis";
import { poolState } from "../amm/pool";
import { spotUsdcPerScu, usdcPerGpuHour } from "../amm/price";
import { jobStatus, type JobStatus } from "../jobs/status";
import { poolPriceCalls } from "../pool/calls";
import { GPU_CLASSES, ratingWad, type GpuClass } from "../scu/ratings";

export interface MarketAddresses {
  ComputeCredit: Address;
  ScuUsdcPool: Address;
  ProviderRegistry: Address;
  JobEscrow: Address;
}

export interface ClassRow {
  gpu: GpuClass;
  /** SCU per GPU-hour, WAD. */
  ratingWad: bigint;
  /** USDC (6 decimals) per GPU-hour at the pool's price; undefined while the pool is empty. */
  usdcPerHour: bigint | undefined;
  /** GPUs on hosts that are listed now and not paused. */
  listedGpus: number;
  /** Of those, GPUs booked by open jobs. */
  busyGpus: number;
  hosts: number;
  /** Of those hosts, the ones verified now: a passed throughput challenge, unexpired, and no failure since. */
  verifiedHosts: number;
}

export interface RecentJob {
  id: bigint;
  status: JobStatus;
  classId: string;
  gpus: number;
  maxDuration: number;
  locked: bigint;
  used: bigint;
  createdAt: number;
}

export interface MarketSnapshot {
  blockNumber: bigint;
  timestamp: number;
  reserves: { scu: bigint; usdc: bigint };
  /** USDC base units per whole SCU (6 decimals); undefined while the pool is empty. */
  usdcPerScu: bigint | undefined;
  classes: ClassRow[];
  recentJobs: RecentJob[];
}

const classIdOf = (hex: `0x${string}`) => hexToString(hex, { size: 32 });

/** The market at the latest block, or at `blockNumber` (a test checks a rendered page against its block). */
export async function readMarket(
  client: PublicClient,
  contracts: MarketAddresses,
  recentJobCount = 8,
  blockNumber?: bigint,
): Promise<MarketSnapshot> {
  const block = await client.getBlock(blockNumber === undefined ? {} : { blockNumber });
  const at = { blockNumber: block.number };
  const registry = { address: contracts.ProviderRegistry, abi: providerRegistryAbi } as const;
  const escrow = { address: contracts.JobEscrow, abi: jobEscrowAbi } as const;
  const [token0, [reserve0, reserve1], fee, hostCount, jobCount] = await client.multicall({
    contracts: [
      ...poolPriceCalls(contracts),
      { ...registry, functionName: "hostCount" },
      { ...escrow, functionName: "jobCount" },
    ],
    allowFailure: false,
    ...at,
  });
  const { scu, usdc } = poolState(token0, contracts.ComputeCredit, reserve0, reserve1, fee);
  const reserves = { scu, usdc };
  const usdcPerScu = spotUsdcPerScu(reserves.scu, reserves.usdc);

  const hostIds = Array.from({ length: Number(hostCount) }, (_, i) => BigInt(i + 1));
  const firstJob = jobCount > BigInt(recentJobCount) ? jobCount - BigInt(recentJobCount) + 1n : 1n;
  const jobIds = Array.from({ length: Number(jobCount - firstJob + 1n) }, (_, i) => jobCount - BigInt(i));
  const [hosts, jobs] = await Promise.all([
    client.multicall({
      contracts: hostIds.map((id) => ({ ...registry, functionName: "host", args: [id] }) as const),
      allowFailure: false,
      ...at,
    }),
    client.multicall({
      contracts: jobIds.map((id) => ({ ...escrow, functionName: "job", args: [id] }) as const),
      allowFailure: false,
      ...at,
    }),
  ]);

  const now = Number(block.timestamp);
  const classes: ClassRow[] = GPU_CLASSES.map((gpu) => {
    const rating = ratingWad(gpu);
    const listed = hosts.filter((h) => classIdOf(h.classId) === gpu.id && !h.paused && Number(h.listedUntil) > now);
    return {
      gpu,
      ratingWad: rating,
      usdcPerHour: usdcPerScu === undefined ? undefined : usdcPerGpuHour(usdcPerScu, rating),
      listedGpus: listed.reduce((n, h) => n + h.gpuCount, 0),
      busyGpus: listed.reduce((n, h) => n + h.gpusBusy, 0),
      hosts: listed.length,
      verifiedHosts: listed.filter((h) => !h.verificationFailed && Number(h.verifiedUntil) > now).length,
    };
  });
  const recentJobs: RecentJob[] = jobs.map((j, i) => ({
    id: jobIds[i]!,
    status: jobStatus(j.status),
    classId: classIdOf(hosts[Number(j.hostId) - 1]!.classId),
    gpus: j.gpus,
    maxDuration: j.maxDuration,
    locked: j.locked,
    used: j.used,
    createdAt: Number(j.createdAt),
  }));
  return { blockNumber: block.number, timestamp: now, reserves, usdcPerScu, classes, recentJobs };
}
