/**
 * A provider's book and record as its dashboard shows them, read from the registry and the escrow: stake,
 * obligation and what backs it (with the mint limits of lib/provider/limits.ts), the unbonding request, the
 * reliability score and its inputs, every host (with when it was registered), and every job its hosts served
 * with what it was paid and the buyer's dispute, if any.
 */
import { hexToString, type Address, type PublicClient } from "viem";
import { jobEscrowAbi, providerRegistryAbi } from "../contracts/abis";
import { jobStatus, type JobStatus } from "../jobs/status";
import { inBlockRanges } from "../logs";
import { mintLimits, type MintLimits } from "./limits";

export interface ProviderAddresses {
  ProviderRegistry: Address;
  JobEscrow: Address;
}

export interface ProviderHost {
  hostId: number;
  classId: string;
  gpuCount: number;
  gpusBusy: number;
  paused: boolean;
  listedUntil: number;
  endpoint: string;
  region: string;
  signer: Address;
  /** Unix time of its registration. */
  registeredAt: number;
}

export interface ServedJob {
  id: bigint;
  hostId: number;
  buyer: Address;
  status: JobStatus;
  gpus: number;
  locked: bigint;
  used: bigint;
  createdAt: number;
  startedAt: number;
  endedAt: number;
  disputeEndsAt: number;
  /** SCU paid to the provider at settlement (0 until then). */
  paid: bigint;
  settledAt: number | undefined;
  /** The buyer's dispute, if it filed one. */
  dispute: { reason: string; at: number } | undefined;
}

export interface ProviderDashboard {
  account: Address;
  now: number;
  stake: bigint;
  obligation: bigint;
  jobCredits: bigint;
  capacity: bigint;
  obligationBound: bigint;
  referencePrice: bigint;
  /** The registry's parameters the page explains limits with. */
  params: { mintRatioBps: bigint; collateralRatioBps: bigint; floorPrice: bigint };
  limits: MintLimits;
  liquidatable: boolean;
  unbonding: { amount: bigint; unlocksAt: number; delay: number };
  reliability: { scoreBps: number; completed: number; noShows: number; disputesLost: number; openDisputes: number };
  hosts: ProviderHost[];
  jobs: ServedJob[];
}

export async function readProvider(client: PublicClient, contracts: ProviderAddresses, account: Address, fromBlock: bigint): Promise<ProviderDashboard> {
  const registry = { address: contracts.ProviderRegistry, abi: providerRegistryAbi } as const;
  const escrow = { address: contracts.JobEscrow, abi: jobEscrowAbi } as const;
  const block = await client.getBlock();
  const at = { blockNumber: block.number, allowFailure: false } as const;
  const [p, capacity, obligationBound, referencePrice, collateralRatioBps, unbondingDelay, liquidatable, [scoreBps], hostIds, mintRatioBps, floorPrice] = await client.multicall({
    contracts: [
      { ...registry, functionName: "provider", args: [account] },
      { ...registry, functionName: "capacityOf", args: [account] },
      { ...registry, functionName: "obligationBound", args: [account] },
      { ...registry, functionName: "referencePrice" },
      { ...registry, functionName: "collateralRatioBps" },
      { ...registry, functionName: "unbondingDelay" },
      { ...registry, functionName: "isLiquidatable", args: [account] },
      { ...registry, functionName: "reliabilityOf", args: [account] },
      { ...registry, functionName: "hostsOf", args: [account] },
      { ...registry, functionName: "mintRatioBps" },
      { ...registry, functionName: "floorPrice" },
    ],
    ...at,
  });
  const [hosts, registered, created, settled] = await Promise.all([
    client.multicall({ contracts: hostIds.map((id) => ({ ...registry, functionName: "host", args: [id] }) as const), ...at }),
    inBlockRanges(fromBlock, block.number, (range) =>
      client.getContractEvents({ ...registry, eventName: "HostRegistered", args: { provider: account }, ...range }),
    ),
    hostIds.length === 0
      ? []
      : inBlockRanges(fromBlock, block.number, (range) =>
          client.getContractEvents({ ...escrow, eventName: "JobCreated", args: { hostId: [...hostIds] }, ...range }),
        ),
    // Settlements name only the job: read them all and keep this provider's (an indexer would join them).
    inBlockRanges(fromBlock, block.number, (range) => client.getContractEvents({ ...escrow, eventName: "JobSettled", ...range })),
  ]);
  const jobIds = created.map((log) => log.args.jobId!);
  const [records, disputed] = await Promise.all([
    client.multicall({ contracts: jobIds.map((id) => ({ ...escrow, functionName: "job", args: [id] }) as const), ...at }),
    jobIds.length === 0
      ? []
      : inBlockRanges(fromBlock, block.number, (range) =>
          client.getContractEvents({ ...escrow, eventName: "JobDisputed", args: { jobId: jobIds }, ...range }),
        ),
  ]);
  const settlements = new Map(settled.map((log) => [log.args.jobId!, log]));
  const disputes = new Map(disputed.map((log) => [log.args.jobId!, log]));
  const registrations = new Map(registered.map((log) => [log.args.hostId!, log]));
  const blocks = new Set([
    ...jobIds.flatMap((id) => [settlements.get(id)?.blockNumber ?? [], disputes.get(id)?.blockNumber ?? []].flat()),
    ...registered.map((log) => log.blockNumber),
  ]);
  const times = new Map(
    await Promise.all([...blocks].map(async (n) => [n, Number((await client.getBlock({ blockNumber: n })).timestamp)] as const)),
  );

  const limits = mintLimits({ stake: p.stake, obligation: p.obligation, jobCredits: p.jobCredits, obligationBound, referencePrice, collateralRatioBps });
  return {
    account,
    now: Number(block.timestamp),
    stake: p.stake,
    obligation: p.obligation,
    jobCredits: p.jobCredits,
    capacity,
    obligationBound,
    referencePrice,
    params: { mintRatioBps, collateralRatioBps, floorPrice },
    limits,
    liquidatable,
    unbonding: { amount: p.unbondingAmount, unlocksAt: Number(p.unbondingUnlocksAt), delay: Number(unbondingDelay) },
    reliability: {
      scoreBps: Number(scoreBps),
      completed: p.completed,
      noShows: p.noShows,
      disputesLost: p.disputesLost,
      openDisputes: p.openDisputes,
    },
    hosts: hosts.map((h, i) => ({
      hostId: Number(hostIds[i]),
      classId: hexToString(h.classId, { size: 32 }),
      gpuCount: h.gpuCount,
      gpusBusy: h.gpusBusy,
      paused: h.paused,
      listedUntil: Number(h.listedUntil),
      endpoint: h.endpoint,
      region: h.region,
      signer: h.signer,
      registeredAt: times.get(registrations.get(hostIds[i]!)?.blockNumber ?? -1n) ?? 0,
    })),
    jobs: records
      .map((j, i) => {
        const settlement = settlements.get(jobIds[i]!);
        const dispute = disputes.get(jobIds[i]!);
        return {
          id: jobIds[i]!,
          hostId: Number(j.hostId),
          buyer: j.buyer,
          status: jobStatus(j.status),
          gpus: j.gpus,
          locked: j.locked,
          used: j.used,
          createdAt: Number(j.createdAt),
          startedAt: Number(j.startedAt),
          endedAt: Number(j.endedAt),
          disputeEndsAt: Number(j.disputeEndsAt),
          paid: settlement?.args.paid ?? 0n,
          settledAt: settlement ? times.get(settlement.blockNumber) : undefined,
          dispute: dispute ? { reason: dispute.args.reason!, at: times.get(dispute.blockNumber)! } : undefined,
        };
      })
      .reverse(),
  };
}
