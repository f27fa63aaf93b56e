/**
 * What a buyer can rent now: every listed, unpaused host with its class, free GPUs, region, its provider's
 * reliability and its verification (what the SupplyVerifier measured, its latest challenge and the price of the
 * next), and the pool state a job's price is quoted from. Three multicalls, each a round of the reads the next
 * needs; the compute page renders it on the server and quotes in the browser from it.
 */
import { hexToString, type Address, type ContractFunctionReturnType, type PublicClient } from "viem";
import { jobEscrowAbi, providerRegistryAbi } from "../contracts/abis";
import { poolState, type PoolState } from "../amm/pool";
import { poolPriceCalls } from "../pool/calls";
import { GPU_CLASSES, type GpuClass } from "../scu/ratings";
import type { HostVerification, VerifierWindows } from "../verification/status";
import {
  challengeCall,
  hostVerification,
  hostVerificationCall,
  lastChallengeId,
  mustSucceed,
  windowsCalls,
  windowsOf,
  workCall,
  workFee,
  type ChallengeResult,
  type VerificationResult,
  type WorkResult,
} from "./verification";

type RegistryRead<fn extends "host" | "reliabilityOf"> = ContractFunctionReturnType<
  typeof providerRegistryAbi,
  "view",
  fn
>;

export interface OfferAddresses {
  ComputeCredit: Address;
  ScuUsdcPool: Address;
  ProviderRegistry: Address;
  JobEscrow: Address;
  SupplyVerifier: Address;
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
  /** Throughput challenges the provider's hosts failed (each also weighs in failedGpuSeconds). */
  challengesFailed: number;
  /** GPU-seconds the provider's jobs ran and were paid for, and GPU-seconds of the jobs and challenges it failed. */
  servedGpuSeconds: number;
  failedGpuSeconds: number;
  verification: HostVerification;
  /** SCU a challenge of the host costs now (`work(hostId).fee`); undefined when the verifier cannot price one. */
  challengeFee: bigint | undefined;
}

export interface Offers {
  blockNumber: bigint;
  timestamp: number;
  pool: PoolState;
  hosts: HostOffer[];
  /** Seconds a host has to start a job: a host must stay listed that long past a job's maximum end. */
  startTimeout: number;
  /** The verifier's reveal and fraud windows, which a challenge's deadlines count from. */
  verifier: VerifierWindows;
}

export async function readOffers(client: PublicClient, contracts: OfferAddresses): Promise<Offers> {
  const block = await client.getBlock();
  const at = { blockNumber: block.number, allowFailure: false } as const;
  const registry = { address: contracts.ProviderRegistry, abi: providerRegistryAbi } as const;
  const [token0, [reserve0, reserve1], fee, hostCount, startTimeout, revealWindow, fraudWindow] =
    await client.multicall({
      contracts: [
        ...poolPriceCalls(contracts),
        { ...registry, functionName: "hostCount" },
        { address: contracts.JobEscrow, abi: jobEscrowAbi, functionName: "startTimeout" },
        ...windowsCalls(contracts.SupplyVerifier),
      ],
      ...at,
    });
  const hostIds = Array.from({ length: Number(hostCount) }, (_, i) => BigInt(i + 1));
  // Each host's record and its verification, interleaved: [host 1, verification 1, host 2, …].
  const records = await client.multicall({
    contracts: hostIds.flatMap((id) => [
      { ...registry, functionName: "host", args: [id] } as const,
      hostVerificationCall(contracts.SupplyVerifier, id),
    ]),
    ...at,
  });

  const now = Number(block.timestamp);
  const listed = hostIds
    .map((id, i) => ({
      host: records[2 * i] as RegistryRead<"host">,
      verification: records[2 * i + 1] as VerificationResult,
      hostId: Number(id),
    }))
    .map((r) => ({ ...r, gpu: GPU_CLASSES.find((g) => g.id === hexToString(r.host.classId, { size: 32 })) }))
    .filter(({ host, gpu }) => gpu && !host.paused && Number(host.listedUntil) > now);
  const providers = [...new Set(listed.map(({ host }) => host.provider))];
  const challenged = listed.filter(({ verification }) => lastChallengeId(verification) !== 0n);
  // The record of every provider, the latest challenge of every challenged host and the price of a challenge of
  // every host. A price the verifier refuses (a class it has no rated throughput for) leaves only that host
  // unchallengeable, so the batch allows failures and the other reads insist on theirs.
  const second = await client.multicall({
    contracts: [
      ...providers.map((account) => ({ ...registry, functionName: "reliabilityOf", args: [account] }) as const),
      ...challenged.map(({ verification }) => challengeCall(contracts.SupplyVerifier, lastChallengeId(verification))),
      ...listed.map(({ hostId }) => workCall(contracts.SupplyVerifier, BigInt(hostId))),
    ],
    blockNumber: block.number,
    allowFailure: true,
  });
  const recordOf = new Map(providers.map((p, i) => [p, mustSucceed<RegistryRead<"reliabilityOf">>(second[i]!)]));
  const challengeOf = new Map(
    challenged.map(({ hostId }, i) => [hostId, mustSucceed<ChallengeResult>(second[providers.length + i]!)]),
  );
  const works = second.slice(providers.length + challenged.length);

  return {
    blockNumber: block.number,
    timestamp: now,
    startTimeout: Number(startTimeout),
    pool: poolState(token0, contracts.ComputeCredit, reserve0, reserve1, fee),
    verifier: windowsOf(revealWindow, fraudWindow),
    hosts: listed.map(({ host, hostId, gpu, verification }, i) => {
      const [scoreBps, completed, noShows, disputesLost, servedGpuSeconds, failedGpuSeconds, challengesFailed] =
        recordOf.get(host.provider)!;
      const work = works[i]!;
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
        challengesFailed,
        servedGpuSeconds: Number(servedGpuSeconds),
        failedGpuSeconds: Number(failedGpuSeconds),
        verification: hostVerification(verification, challengeOf.get(hostId)),
        challengeFee: work.status === "success" ? workFee(work.result as WorkResult) : undefined,
      };
    }),
  };
}
