/**
 * A job as its page shows it, read from the chain: the escrow's record, its host's class and region, the
 * escrow's clocks, and how it ended (the settlement event's amounts: what the provider was paid and what came
 * back to the buyer). The server renders it first; the browser reads it again on every block.
 */
import { hexToString, type Address, type PublicClient } from "viem";
import { jobEscrowAbi, providerRegistryAbi } from "../contracts/abis";
import { inBlockRanges } from "../logs";
import { jobStatus, type JobStatus } from "./status";

export interface JobAddresses {
  JobEscrow: Address;
  ProviderRegistry: Address;
}

/** How a finished job's SCU went: to the provider and back to the buyer. */
export interface JobOutcome {
  kind: "settled" | "cancelled" | "expired";
  paid: bigint;
  refunded: bigint;
  /** Cancelled after the start timeout: the host never started it. */
  noShow?: boolean;
  blockNumber: bigint;
}

export interface JobDetails {
  id: bigint;
  status: JobStatus;
  buyer: Address;
  provider: Address;
  hostId: number;
  classId: string;
  region: string;
  gpus: number;
  maxDuration: number;
  locked: bigint;
  used: bigint;
  specHash: `0x${string}`;
  resultHash: `0x${string}`;
  /** Unix seconds; 0 when it has not happened. */
  createdAt: number;
  startedAt: number;
  stoppedAt: number;
  endedAt: number;
  disputeEndsAt: number;
  /** The host must start by then, or the buyer may cancel it as a no-show. */
  startDeadline: number;
  /** With no receipt by then, a started job can be reclaimed in full. */
  receiptDeadline: number;
  outcome: JobOutcome | undefined;
  /** Chain time of the block read. */
  now: number;
}

export async function readJob(
  client: PublicClient,
  contracts: JobAddresses,
  jobId: bigint,
  fromBlock: bigint,
): Promise<JobDetails | undefined> {
  const block = await client.getBlock();
  const at = { blockNumber: block.number, allowFailure: false } as const;
  const escrow = { address: contracts.JobEscrow, abi: jobEscrowAbi } as const;
  const [job, startTimeout, receiptGrace] = await client.multicall({
    contracts: [
      { ...escrow, functionName: "job", args: [jobId] },
      { ...escrow, functionName: "startTimeout" },
      { ...escrow, functionName: "receiptGrace" },
    ],
    ...at,
  });
  const status = jobStatus(job.status);
  if (status === "none") return undefined;
  const host = await client.readContract({
    address: contracts.ProviderRegistry,
    abi: providerRegistryAbi,
    functionName: "host",
    args: [job.hostId],
    blockNumber: block.number,
  });
  const ended = status === "settled" || status === "cancelled" || status === "expired";
  return {
    id: jobId,
    status,
    buyer: job.buyer,
    provider: job.provider,
    hostId: Number(job.hostId),
    classId: hexToString(host.classId, { size: 32 }),
    region: host.region,
    gpus: job.gpus,
    maxDuration: job.maxDuration,
    locked: job.locked,
    used: job.used,
    specHash: job.specHash,
    resultHash: job.resultHash,
    createdAt: Number(job.createdAt),
    startedAt: Number(job.startedAt),
    stoppedAt: Number(job.stoppedAt),
    endedAt: Number(job.endedAt),
    disputeEndsAt: Number(job.disputeEndsAt),
    startDeadline: Number(job.createdAt) + Number(startTimeout),
    receiptDeadline: Number(job.startedAt) + job.maxDuration + Number(receiptGrace),
    outcome: ended ? await readOutcome(client, contracts.JobEscrow, jobId, fromBlock, block.number) : undefined,
    now: Number(block.timestamp),
  };
}

async function readOutcome(client: PublicClient, escrow: Address, jobId: bigint, fromBlock: bigint, toBlock: bigint): Promise<JobOutcome | undefined> {
  const of = { address: escrow, abi: jobEscrowAbi, args: { jobId } } as const;
  // Exactly one of the three is ever emitted for a job.
  const [settled, cancelled, expired] = await Promise.all([
    inBlockRanges(fromBlock, toBlock, (range) => client.getContractEvents({ ...of, ...range, eventName: "JobSettled" })),
    inBlockRanges(fromBlock, toBlock, (range) => client.getContractEvents({ ...of, ...range, eventName: "JobCancelled" })),
    inBlockRanges(fromBlock, toBlock, (range) => client.getContractEvents({ ...of, ...range, eventName: "JobExpired" })),
  ]);
  const [s, c, e] = [settled[0], cancelled[0], expired[0]];
  if (s) return { kind: "settled", paid: s.args.paid!, refunded: s.args.refunded!, blockNumber: s.blockNumber };
  if (c) return { kind: "cancelled", paid: 0n, refunded: c.args.refunded!, noShow: c.args.noShow, blockNumber: c.blockNumber };
  if (e) return { kind: "expired", paid: 0n, refunded: e.args.refunded!, blockNumber: e.blockNumber };
  return undefined;
}

export interface JobSummary {
  id: bigint;
  status: JobStatus;
  hostId: number;
  gpus: number;
  maxDuration: number;
  locked: bigint;
  used: bigint;
  createdAt: number;
}

/** Every job `buyer` created, newest first: its JobCreated events, then one multicall of their records. */
export async function listJobs(client: PublicClient, escrow: Address, buyer: Address, fromBlock: bigint): Promise<JobSummary[]> {
  const latest = await client.getBlockNumber({ cacheTime: 0 });
  const created = await inBlockRanges(fromBlock, latest, (range) =>
    client.getContractEvents({ address: escrow, abi: jobEscrowAbi, eventName: "JobCreated", args: { buyer }, ...range }),
  );
  const ids = created.map((log) => log.args.jobId!).reverse();
  const jobs = await client.multicall({
    contracts: ids.map((id) => ({ address: escrow, abi: jobEscrowAbi, functionName: "job", args: [id] }) as const),
    allowFailure: false,
  });
  return jobs.map((job, i) => ({
    id: ids[i]!,
    status: jobStatus(job.status),
    hostId: Number(job.hostId),
    gpus: job.gpus,
    maxDuration: job.maxDuration,
    locked: job.locked,
    used: job.used,
    createdAt: Number(job.createdAt),
  }));
}
