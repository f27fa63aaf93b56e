/**
 * A provider's book and record as its dashboard shows them, read from the registry and the escrow: stake,
 * obligation and what backs it (with the mint limits of lib/provider/limits.ts), the oracle's state, the
 * unbonding request, the reliability score and its inputs, every host (with its ratings, when it was registered
 * and its verification: what the SupplyVerifier measured, its latest challenge, the price of the next), and every
 * job its hosts served with what it was paid and the buyer's dispute, if any.
 */
import { hexToString, type Address, type ContractFunctionReturnType, type PublicClient } from "viem";
import { computeStandardAbi, jobEscrowAbi, providerRegistryAbi } from "../contracts/abis";
import { jobStatus, type JobStatus } from "../jobs/status";
import { inBlockRanges } from "../logs";
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
} from "../market/verification";
import type { HostVerification, VerifierWindows } from "../verification/status";
import { mintLimits, type MintLimits } from "./limits";

export interface ProviderAddresses {
  ProviderRegistry: Address;
  JobEscrow: Address;
  ComputeStandard: Address;
  SupplyVerifier: Address;
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
  /** The class's rating in effect (SCU per GPU-hour, WAD): what minting, pausing and shortening count. */
  ratingWad: bigint;
  /** The rating the host's capacity counts at for liquidation: the highest its provider minted against. */
  countedRatingWad: bigint;
  /** Unix time of its registration. */
  registeredAt: number;
  verification: HostVerification;
  /** SCU a challenge of the host costs now (`work(hostId).fee`); undefined when the verifier cannot price one. */
  challengeFee: bigint | undefined;
}

/** A buyer's dispute of a job's receipt, as the escrow recorded it when it opened. */
export interface ServedDispute {
  reason: string;
  at: number;
  /** SCU the buyer posted. */
  bond: bigint;
  /** USDC of the provider's stake held for the ruling. */
  stakeAtRisk: bigint;
  /** The arbiter rules before then; from then on anyone may apply the default ruling. */
  ruleBy: number;
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
  dispute: ServedDispute | undefined;
}

/** The registry's oracle (`priceState`): USDC base units per whole SCU. */
export interface PriceReading {
  /** Whether a reading between one and two TWAP windows old exists: minting, withdrawing against an
   * obligation and liquidating need it. */
  fresh: boolean;
  /** The pool's TWAP and P = max(TWAP, floor); 0 when not fresh. */
  twap: bigint;
  price: bigint;
  /** What stake is booked at: P when fresh, the floor otherwise. */
  bookingPrice: bigint;
  /** Unix time of the newest reading (0: none). */
  newestObservation: number;
}

export interface ProviderDashboard {
  account: Address;
  now: number;
  stake: bigint;
  obligation: bigint;
  jobCredits: bigint;
  /** USDC of stake held for open disputes. */
  disputeStake: bigint;
  /** Mint ratio × listed capacity now, at the hosts' counted ratings: above it, anyone may liquidate. */
  obligationBound: bigint;
  /** Mint ratio × the capacity the listings will have `params.mintHeadroom` from now, at the ratings in
   * effect: the most obligation a mint, a pause or a shortened listing may leave. */
  mintBound: bigint;
  price: PriceReading;
  /** The registry's parameters the page explains limits with (durations in seconds). */
  params: {
    mintRatioBps: bigint;
    collateralRatioBps: bigint;
    floorPrice: bigint;
    twapWindow: number;
    mintHeadroom: number;
  };
  limits: MintLimits;
  liquidatable: boolean;
  /** The unbonding request: withdrawable from `unlocksAt` until `unlocksAt + window`, then it lapses. */
  unbonding: { amount: bigint; unlocksAt: number; delay: number; window: number };
  reliability: {
    scoreBps: number;
    completed: number;
    noShows: number;
    disputesLost: number;
    /** Throughput challenges its hosts failed (each also weighs in failedGpuSeconds). */
    challengesFailed: number;
    openDisputes: number;
    /** GPU-seconds jobs ran and were paid for, and GPU-seconds of the jobs and challenges it failed. */
    servedGpuSeconds: number;
    failedGpuSeconds: number;
  };
  hosts: ProviderHost[];
  jobs: ServedJob[];
  /** The verifier's reveal and fraud windows, which a challenge's deadlines count from. */
  verifier: VerifierWindows;
}

type RegistryHost = ContractFunctionReturnType<typeof providerRegistryAbi, "view", "host">;

export async function readProvider(
  client: PublicClient,
  contracts: ProviderAddresses,
  account: Address,
  fromBlock: bigint,
): Promise<ProviderDashboard> {
  const registry = { address: contracts.ProviderRegistry, abi: providerRegistryAbi } as const;
  const escrow = { address: contracts.JobEscrow, abi: jobEscrowAbi } as const;
  const block = await client.getBlock();
  const at = { blockNumber: block.number, allowFailure: false } as const;
  const [
    p,
    obligationBound,
    mintBound,
    [twap, price, fresh, newestObservation, bookingPrice],
    collateralRatioBps,
    mintRatioBps,
    floorPrice,
    twapWindow,
    mintHeadroom,
    unbondingDelay,
    unbondWindow,
    liquidatable,
    [scoreBps],
    hostIds,
    revealWindow,
    fraudWindow,
  ] = await client.multicall({
    contracts: [
      { ...registry, functionName: "provider", args: [account] },
      { ...registry, functionName: "obligationBound", args: [account] },
      { ...registry, functionName: "mintBound", args: [account] },
      { ...registry, functionName: "priceState" },
      { ...registry, functionName: "collateralRatioBps" },
      { ...registry, functionName: "mintRatioBps" },
      { ...registry, functionName: "floorPrice" },
      { ...registry, functionName: "twapWindow" },
      { ...registry, functionName: "MINT_HEADROOM" },
      { ...registry, functionName: "unbondingDelay" },
      { ...registry, functionName: "UNBOND_WINDOW" },
      { ...registry, functionName: "isLiquidatable", args: [account] },
      { ...registry, functionName: "reliabilityOf", args: [account] },
      { ...registry, functionName: "hostsOf", args: [account] },
      ...windowsCalls(contracts.SupplyVerifier),
    ],
    ...at,
  });
  const [[hosts, verifications, ratings, challenges, works], registered, created, settled] = await Promise.all([
    client
      .multicall({
        // Each host's record and its verification, interleaved: [host 1, verification 1, host 2, …].
        contracts: hostIds.flatMap((id) => [
          { ...registry, functionName: "host", args: [id] } as const,
          hostVerificationCall(contracts.SupplyVerifier, id),
        ]),
        ...at,
      })
      .then(async (records) => {
        const hosts = hostIds.map((_, i) => records[2 * i] as RegistryHost);
        const verifications = hostIds.map((_, i) => records[2 * i + 1] as VerificationResult);
        const challenged = hostIds.filter((_, i) => lastChallengeId(verifications[i]!) !== 0n);
        // The rating in effect per host's class (a change the standard announced applies from its date), each
        // challenged host's latest challenge, and the price of a challenge of each host. A price the verifier
        // refuses (a class it has no rated throughput for) leaves only that host unchallengeable, so the batch
        // allows failures and the other reads insist on theirs.
        const second = await client.multicall({
          contracts: [
            ...hosts.map(
              (h) =>
                ({
                  address: contracts.ComputeStandard,
                  abi: computeStandardAbi,
                  functionName: "ratingOf",
                  args: [h.classId],
                }) as const,
            ),
            ...challenged.map((id) =>
              challengeCall(contracts.SupplyVerifier, lastChallengeId(verifications[hostIds.indexOf(id)]!)),
            ),
            ...hostIds.map((id) => workCall(contracts.SupplyVerifier, id)),
          ],
          blockNumber: block.number,
          allowFailure: true,
        });
        const ratings = hosts.map((_, i) => mustSucceed<bigint>(second[i]!));
        const challenges = new Map(
          challenged.map((id, i) => [id, mustSucceed<ChallengeResult>(second[hosts.length + i]!)]),
        );
        const works = second
          .slice(hosts.length + challenged.length)
          .map((w) => (w.status === "success" ? workFee(w.result as WorkResult) : undefined));
        return [hosts, verifications, ratings, challenges, works] as const;
      }),
    inBlockRanges(fromBlock, block.number, (range) =>
      client.getContractEvents({ ...registry, eventName: "HostRegistered", args: { provider: account }, ...range }),
    ),
    hostIds.length === 0
      ? []
      : inBlockRanges(fromBlock, block.number, (range) =>
          client.getContractEvents({ ...escrow, eventName: "JobCreated", args: { hostId: [...hostIds] }, ...range }),
        ),
    // Settlements name only the job: read them all and keep this provider's (an indexer would join them).
    inBlockRanges(fromBlock, block.number, (range) =>
      client.getContractEvents({ ...escrow, eventName: "JobSettled", ...range }),
    ),
  ]);
  const jobIds = created.map((log) => log.args.jobId!);
  const [records, disputed] = await Promise.all([
    client.multicall({
      contracts: jobIds.map((id) => ({ ...escrow, functionName: "job", args: [id] }) as const),
      ...at,
    }),
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
    await Promise.all(
      [...blocks].map(async (n) => [n, Number((await client.getBlock({ blockNumber: n })).timestamp)] as const),
    ),
  );

  const priceReading: PriceReading = { fresh, twap, price, bookingPrice, newestObservation: Number(newestObservation) };
  const limits = mintLimits({
    stake: p.stake,
    obligation: p.obligation,
    jobCredits: p.jobCredits,
    disputeStake: p.disputeStake,
    mintBound,
    priceFresh: fresh,
    bookingPrice,
    collateralRatioBps,
  });
  return {
    account,
    now: Number(block.timestamp),
    stake: p.stake,
    obligation: p.obligation,
    jobCredits: p.jobCredits,
    disputeStake: p.disputeStake,
    obligationBound,
    mintBound,
    price: priceReading,
    params: {
      mintRatioBps,
      collateralRatioBps,
      floorPrice,
      twapWindow: Number(twapWindow),
      mintHeadroom: Number(mintHeadroom),
    },
    limits,
    liquidatable,
    unbonding: {
      amount: p.unbondingAmount,
      unlocksAt: Number(p.unbondingUnlocksAt),
      delay: Number(unbondingDelay),
      window: Number(unbondWindow),
    },
    reliability: {
      scoreBps: Number(scoreBps),
      completed: p.completed,
      noShows: p.noShows,
      disputesLost: p.disputesLost,
      challengesFailed: p.challengesFailed,
      openDisputes: p.openDisputes,
      servedGpuSeconds: Number(p.servedGpuSeconds),
      failedGpuSeconds: Number(p.failedGpuSeconds),
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
      ratingWad: ratings[i]!,
      countedRatingWad: h.ratingWad,
      registeredAt: times.get(registrations.get(hostIds[i]!)?.blockNumber ?? -1n) ?? 0,
      verification: hostVerification(verifications[i]!, challenges.get(hostIds[i]!)),
      challengeFee: works[i],
    })),
    verifier: windowsOf(revealWindow, fraudWindow),
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
          dispute: dispute
            ? {
                reason: dispute.args.reason!,
                at: times.get(dispute.blockNumber)!,
                bond: dispute.args.bond!,
                stakeAtRisk: dispute.args.stakeAtRisk!,
                ruleBy: Number(dispute.args.ruleBy!),
              }
            : undefined,
        };
      })
      .reverse(),
  };
}
