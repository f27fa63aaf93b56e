/**
 * A job as its page shows it, read from the chain: the escrow's record, its host's class and region, the
 * escrow's clocks, what cancelling or disputing it costs now, its open dispute, and how it ended (the
 * settlement event's amounts: what the provider was paid and what came back to the buyer). The server renders
 * it first; the browser reads it again on every block.
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
  /** To the provider: its pay, or a cancelled job's reservation fee. */
  paid: bigint;
  refunded: bigint;
  /** Cancelled with the host's acknowledgement after the start timeout: the host never started it. */
  noShow?: boolean;
  blockNumber: bigint;
}

export interface JobDetails {
  id: bigint;
  status: JobStatus;
  buyer: Address;
  provider: Address;
  /** The host's signer when the job was funded: it signs the receipt and the dispatch acknowledgement. */
  signer: Address;
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
  /** The host must start by then; after it, the buyer's cancel with the host's acknowledgement is a no-show. */
  startDeadline: number;
  /** Seconds the host has to start: a reservation fee charges at most this much of the job's time. */
  startTimeout: number;
  /** From then on anyone may cancel a job that has not started (the buyer may at any time). */
  cancelOpenAt: number;
  /** Started at + maximum duration (0 before the start): no stop from then, and billing ends there. */
  maxEnd: number;
  /** With no receipt by then, a started job can be reclaimed in full. */
  receiptDeadline: number;
  /** SCU a cancel at the block read pays the provider for the time the GPUs were held (without a no-show). */
  reservationFee: bigint;
  /** What disputing the receipt costs: the bond, the part of it from the buyer's wallet (the rest comes out of
   * the refund the receipt leaves), and the bond's share of the job in basis points. */
  disputeBond: { bond: bigint; fromWallet: bigint; bps: number };
  /** The open dispute's terms, fixed when it opened: the provider's stake held for the ruling (USDC) and when
   * the arbiter's time ends. */
  dispute: { stakeAtRisk: bigint; ruleBy: number } | undefined;
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
  const [job, startTimeout, receiptGrace, dispute, [bond, fromWallet], disputeBondBps, reservationFee] =
    await client.multicall({
      contracts: [
        { ...escrow, functionName: "job", args: [jobId] },
        { ...escrow, functionName: "startTimeout" },
        { ...escrow, functionName: "receiptGrace" },
        { ...escrow, functionName: "disputeOf", args: [jobId] },
        { ...escrow, functionName: "disputeBond", args: [jobId] },
        { ...escrow, functionName: "disputeBondBps" },
        { ...escrow, functionName: "reservationFee", args: [jobId] },
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
    signer: job.signer,
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
    startTimeout: Number(startTimeout),
    cancelOpenAt: Number(job.createdAt) + 2 * Number(startTimeout),
    maxEnd: job.startedAt === 0n ? 0 : Number(job.startedAt) + job.maxDuration,
    receiptDeadline: Number(job.startedAt) + job.maxDuration + Number(receiptGrace),
    reservationFee,
    disputeBond: { bond, fromWallet, bps: Number(disputeBondBps) },
    dispute: status === "disputed" ? { stakeAtRisk: dispute.stakeAtRisk, ruleBy: Number(dispute.ruleBy) } : undefined,
    outcome: ended ? await readOutcome(client, contracts.JobEscrow, jobId, fromBlock, block.number) : undefined,
    now: Number(block.timestamp),
  };
}

async function readOutcome(
  client: PublicClient,
  escrow: Address,
  jobId: bigint,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<JobOutcome | undefined> {
  const of = { address: escrow, abi: jobEscrowAbi, args: { jobId } } as const;
  // Exactly one of the three is ever emitted for a job.
  const [settled, cancelled, expired] = await Promise.all([
    inBlockRanges(fromBlock, toBlock, (range) =>
      client.getContractEvents({ ...of, ...range, eventName: "JobSettled" }),
    ),
    inBlockRanges(fromBlock, toBlock, (range) =>
      client.getContractEvents({ ...of, ...range, eventName: "JobCancelled" }),
    ),
    inBlockRanges(fromBlock, toBlock, (range) =>
      client.getContractEvents({ ...of, ...range, eventName: "JobExpired" }),
    ),
  ]);
  const [s, c, e] = [settled[0], cancelled[0], expired[0]];
  if (s) return { kind: "settled", paid: s.args.paid!, refunded: s.args.refunded!, blockNumber: s.blockNumber };
  if (c)
    return {
      kind: "cancelled",
      paid: c.args.reservationFee!,
      refunded: c.args.refunded!,
      noShow: c.args.noShow,
      blockNumber: c.blockNumber,
    };
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
export async function listJobs(
  client: PublicClient,
  escrow: Address,
  buyer: Address,
  fromBlock: bigint,
): Promise<JobSummary[]> {
  const latest = await client.getBlockNumber({ cacheTime: 0 });
  const created = await inBlockRanges(fromBlock, latest, (range) =>
    client.getContractEvents({
      address: escrow,
      abi: jobEscrowAbi,
      eventName: "JobCreated",
      args: { buyer },
      ...range,
    }),
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
