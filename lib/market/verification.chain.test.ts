/**
 * A host's verification where the app reads it, against the real contracts on anvil: the compute page's offers
 * and the provider's book show a host never challenged, its challenge under way (and no job booked on it), the
 * failure of a missed commit, and, after a challenge the host agent's prover answers with the CPU runner, the
 * host verified with its measured against rated throughput; the automatic pick follows each state.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPublicClient, http, parseUnits, toHex, type Address, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parametersConstants as P } from "../contracts/constants";
import { CONSENT_LIFETIME_SECONDS, signConsent } from "../protocol/consent";
import { readProvider } from "../provider/dashboard";
import { gpuClass } from "../scu/ratings";
import { cpuRunner } from "../verification/cpuRunner";
import {
  challengeBlocked,
  dueStep,
  isVerified,
  nextExpiry,
  verificationView,
  type HostVerification,
} from "../verification/status";
import { hostChain } from "../../host/hostChain";
import { Prover } from "../../host/verifier/prover";
import { verifierChain } from "../../host/verifier/verifierChain";
import {
  anvilAccount,
  anvilKey,
  artifactContract as artifact,
  LOCAL_CHAIN_ID,
  localSigner,
  startAnvil,
  withAutomine,
} from "../../scripts/lib/localchain";
import { freePort, stopAll, waitFor } from "../../scripts/lib/proc";
import { classIdHex, deployProtocol, type ProtocolAddresses } from "../../scripts/lib/protocol";
import { fitsJob, pickHost } from "./hostPicking";
import { readOffers } from "./offers";

const H100 = gpuClass("h100-sxm");
const GPUS = 8;

let rpcUrl: string;
let contracts: ProtocolAddresses;
let client: PublicClient;
let hostId: bigint;
let signerKey: `0x${string}`;
const deployer = () => localSigner(rpcUrl);
const provider = () => localSigner(rpcUrl, anvilAccount(1));
const verifierAbi = () => artifact("SupplyVerifier").abi;

beforeAll(async () => {
  const anvil = await startAnvil({ port: await freePort(), blockTime: 1 });
  rpcUrl = anvil.rpcUrl;
  signerKey = generatePrivateKey();
  const signer = privateKeyToAccount(signerKey);
  const multicall3 = await withAutomine(anvil, async () => {
    contracts = await deployProtocol(rpcUrl);
    // One 8-GPU H100 host, listed for a month and never challenged; its signer commits and reveals, so it needs gas.
    const now = (await deployer().client.getBlock()).timestamp;
    const deadline = now + BigInt(CONSENT_LIFETIME_SECONDS);
    const consent = await signConsent(signer, LOCAL_CHAIN_ID, contracts.ProviderRegistry, {
      provider: provider().address,
      deadline,
    });
    await provider().send(contracts.ProviderRegistry, artifact("ProviderRegistry").abi, "registerHost", [
      {
        signer: signer.address,
        classId: classIdHex(H100.id),
        gpuCount: GPUS,
        listedUntil: now + 30n * 86_400n,
        endpoint: "https://host.example",
        region: "local",
      },
      deadline,
      consent,
    ]);
    await deployer().client.request({
      method: "anvil_setBalance" as never,
      params: [signer.address, toHex(parseUnits("1", 18))] as never,
    });
    // The app batches its reads through Multicall3, which a fresh chain does not have.
    return deployer().deploy(artifact("Multicall3"));
  });
  hostId = 1n;
  client = createPublicClient({
    chain: { ...foundry, contracts: { multicall3: { address: multicall3 } } },
    transport: http(rpcUrl),
  }) as PublicClient;
}, 180_000);
afterAll(() => stopAll());

const chainNow = async () => Number((await client.getBlock()).timestamp);
const advance = async (seconds: number) => {
  await client.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
  await client.request({ method: "evm_mine" as never, params: [] as never });
};
const verifierRead = <T>(functionName: string, args: unknown[] = []) =>
  client.readContract({ address: contracts.SupplyVerifier, abi: verifierAbi(), functionName, args }) as Promise<T>;
const challengeStatusOf = async (id: bigint) => (await verifierRead<{ status: number }>("challengeOf", [id])).status;

/** The offers' host and the provider book's, which must read the same verification. */
async function bothReads() {
  const offers = await readOffers(client, contracts);
  const book = await readProvider(client, contracts, provider().address, 0n);
  const offered = offers.hosts.find((h) => BigInt(h.hostId) === hostId)!;
  const booked = book.hosts.find((h) => BigInt(h.hostId) === hostId)!;
  const { challenge: a, ...restA } = offered.verification;
  const { challenge: b, ...restB } = booked.verification;
  expect(restB).toEqual(restA);
  expect(b?.id).toBe(a?.id);
  expect(b?.status).toBe(a?.status);
  expect(book.verifier).toEqual(offers.verifier);
  return { offers, book, offered, booked, verification: offered.verification as HostVerification };
}

const ask = { classId: H100.id, gpus: 1, seconds: 3600, includeUnverified: false };

it("reads a host's verification where offers and the provider's book are read, through every state", async () => {
  // Never challenged: unverified, with the rated throughput of its class × its GPUs and the price of a challenge.
  const fresh = await bothReads();
  expect(fresh.offers.verifier).toEqual({ revealWindow: P.REVEAL_WINDOW, fraudWindow: P.LOCAL_FRAUD_WINDOW });
  expect(fresh.verification).toMatchObject({ verifiedUntil: 0, measuredAt: 0, failed: false, challenge: undefined });
  expect(fresh.verification.ratedMflops).toBe(GPUS * P.LOCAL_MFLOPS_PER_GPU);
  const [, , fee] = await verifierRead<readonly [bigint, bigint, bigint]>("work", [hostId]);
  expect(fee).toBeGreaterThan(0n);
  expect(fresh.offered.challengeFee).toBe(fee);
  expect(fresh.booked.challengeFee).toBe(fee);
  expect(verificationView(fresh.verification, fresh.offers.verifier, fresh.offers.timestamp)).toEqual({
    kind: "unverified",
    expiredAt: undefined,
    throughput: undefined,
  });
  // It fits the job, but only verified hosts are picked for the buyer unless it includes the others.
  expect(pickHost(fresh.offers, ask, undefined, H100.name).problem).toMatch(/^No verified .* one unverified host does/);
  expect(pickHost(fresh.offers, { ...ask, includeUnverified: true }, undefined, H100.name).host?.hostId).toBe(1);

  // Its provider challenges it (at no fee); its GPUs are idle, so the challenge begins at once.
  await provider().send(contracts.SupplyVerifier, verifierAbi(), "challenge", [hostId]);
  const proving = await bothReads();
  const first = proving.verification.challenge!;
  expect(first).toMatchObject({ id: 1n, status: "proving", fee: 0n, committedAt: 0 });
  expect(first.commitBy).toBeGreaterThan(proving.offers.timestamp);
  const provingView = verificationView(proving.verification, proving.offers.verifier, proving.offers.timestamp);
  expect(provingView).toMatchObject({ kind: "proving", phase: "proving", deadline: first.commitBy, due: false });
  // The registry books no job on it until it commits, and neither does the pick; nor can it be challenged again.
  expect(fitsJob(proving.offered, ask, proving.offers)).toBe(false);
  expect(challengeBlocked({ ...proving.booked }, proving.verification, proving.offers.timestamp)).toMatch(
    /is already being challenged \(#1\)/,
  );

  // Nobody commits: past the deadline anyone expires it, and the host has failed (missed commit, at the deadline).
  await advance(first.commitBy - (await chainNow()) + 1);
  expect(dueStep(verificationView(proving.verification, proving.offers.verifier, await chainNow()), 0)).toBe("expire");
  await deployer().send(contracts.SupplyVerifier, verifierAbi(), "expire", [1n]);
  const failed = await bothReads();
  expect(verificationView(failed.verification, failed.offers.verifier, failed.offers.timestamp)).toEqual({
    kind: "failed",
    challengeId: 1n,
    reason: "missed-commit",
    at: first.commitBy,
  });
  // The duty cycle holds the next challenge back; the reason says for how long.
  expect(failed.verification.nextChallengeAt).toBeGreaterThan(failed.offers.timestamp);
  expect(challengeBlocked(failed.booked, failed.verification, failed.offers.timestamp)).toMatch(
    /^Host #1 was challenged recently: it can be challenged again in/,
  );

  // Past the duty cycle, a challenge its host's prover answers on the CPU runner: revealed, then, after the fraud
  // window, finalized by anyone.
  await advance(failed.verification.nextChallengeAt - (await chainNow()) + 1);
  const chain = hostChain({
    signerKey,
    operatorKey: anvilKey(7),
    provider: provider().address,
    rpcUrl,
    chainId: LOCAL_CHAIN_ID,
    hostId: Number(hostId),
    contracts: { JobEscrow: contracts.JobEscrow, ProviderRegistry: contracts.ProviderRegistry },
    runtime: "process",
    listen: "127.0.0.1:0",
    maxConcurrentJobs: 1,
    journalDir: mkdtempSync(path.join(tmpdir(), "host-journal-")),
    outputCapBytes: 1 << 20,
    heartbeatSeconds: 15,
    observeEverySeconds: 0,
    reapEverySeconds: 0,
    logRetentionDays: 14,
  });
  const halt = new AbortController();
  const prover = new Prover({
    verifier: verifierChain(chain, contracts.SupplyVerifier as Address),
    runner: cpuRunner,
    hostId: () => hostId,
    stateDir: mkdtempSync(path.join(tmpdir(), "prover-")),
    log: () => {},
    pollMs: 500,
    eventPollMs: 250,
  });
  const running = prover.run(halt.signal);
  // A provider's own challenges of a host come one per SELF_CHALLENGE_GAP (so they cannot shut others out).
  await advance(Number(await verifierRead<bigint>("SELF_CHALLENGE_GAP")));
  try {
    await provider().send(contracts.SupplyVerifier, verifierAbi(), "challenge", [hostId]);
    // ChallengeStatus.Revealed = 4.
    await waitFor("challenge #2 to be revealed", async () => (await challengeStatusOf(2n)) === 4, 120_000);
  } finally {
    halt.abort();
    await running;
  }
  const revealed = await bothReads();
  const second = revealed.verification.challenge!;
  expect(second).toMatchObject({ id: 2n, status: "revealed" });
  expect(second.committedAt).toBeGreaterThanOrEqual(second.begunAt);
  expect(verificationView(revealed.verification, revealed.offers.verifier, revealed.offers.timestamp)).toMatchObject({
    kind: "proving",
    phase: "revealed",
    deadline: second.revealedAt + P.LOCAL_FRAUD_WINDOW,
    due: false,
  });
  // Committed, the host takes jobs again, though the pick still waits for its pass.
  expect(fitsJob(revealed.offered, ask, revealed.offers)).toBe(true);

  await advance(second.revealedAt + P.LOCAL_FRAUD_WINDOW - (await chainNow()));
  await deployer().send(contracts.SupplyVerifier, verifierAbi(), "finalize", [2n]);
  const verified = await bothReads();
  const now = verified.offers.timestamp;
  const { verification } = verified;
  expect(isVerified(verification, now)).toBe(true);
  expect(verification.verifiedUntil).toBe(verification.measuredAt + P.VERIFIED_FOR);
  // Measured: the work's FLOPs over the seconds from begin to commit, as SupplyVerifier.finalize records it.
  const rounds = (await verifierRead<{ rounds: number }>("challengeOf", [2n])).rounds;
  const flopsPerRound = 2 * P.LOCAL_ROWS * P.LOCAL_COLS * P.LOCAL_INNER;
  const elapsed = Math.max(second.committedAt - second.begunAt, 1);
  expect(verification.measuredMflops).toBe(Math.floor((rounds * flopsPerRound) / elapsed / 1e6));
  const view = verificationView(verification, verified.offers.verifier, now);
  expect(view).toMatchObject({
    kind: "verified",
    until: verification.verifiedUntil,
    throughput: {
      measuredMflops: verification.measuredMflops,
      ratedMflops: GPUS * P.LOCAL_MFLOPS_PER_GPU,
      percent: Math.round((verification.measuredMflops * 100) / (GPUS * P.LOCAL_MFLOPS_PER_GPU)),
    },
  });
  // The pick takes it now, and the provider's next expiry is its verification's end.
  const pick = pickHost(verified.offers, ask, undefined, H100.name);
  expect(pick.host?.hostId).toBe(1);
  expect(pick.problem).toBeUndefined();
  expect(nextExpiry(verified.book.hosts, now)?.at).toBe(verification.verifiedUntil);
}, 240_000);
