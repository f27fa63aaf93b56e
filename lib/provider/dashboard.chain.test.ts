/**
 * The provider dashboard's read against a real host agent's work: a job the agent ran, metered and was paid
 * for shows on its provider's dashboard with what was paid, the record counts it, and the obligation it paid
 * down is gone from the book.
 */
import { createPublicClient, http, type PublicClient } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, expect, it } from "vitest";
import { JOB_TEMPLATES } from "../jobs/templates";
import { startHostBed, stopHostBed, type HostBed } from "../../scripts/lib/hostbed";
import { artifactContract, localSigner } from "../../scripts/lib/localchain";
import { readProvider } from "./dashboard";

let bed: HostBed;
let client: PublicClient;
beforeAll(async () => {
  bed = await startHostBed();
  // The dashboard batches its reads through Multicall3, which the test bed's chain does not have yet.
  const multicall3 = await localSigner(bed.rpcUrl).deploy(artifactContract("Multicall3"));
  client = createPublicClient({
    chain: { ...foundry, contracts: { multicall3: { address: multicall3 } } },
    transport: http(bed.rpcUrl),
  }) as PublicClient;
}, 120_000);
afterAll(() => stopHostBed(bed));

it("shows a job its host ran and was paid for, the record it earned, and the obligation it paid down", async () => {
  const { contracts, provider } = bed;
  const before = await readProvider(client, contracts, provider.address, 0n);
  expect(before.jobs).toEqual([]);
  expect(before.hosts).toHaveLength(1);
  expect(before.hosts[0]!.registeredAt).toBeGreaterThan(0);
  expect(before.reliability).toMatchObject({ scoreBps: 5_000, completed: 0, servedGpuSeconds: 0, failedGpuSeconds: 0 });

  const hello = JOB_TEMPLATES.find((t) => t.id === "hello-gpu")!.spec;
  const jobId = await bed.createJob(hello);
  expect((await bed.dispatch(jobId, hello)).status).toBe(202);
  await bed.events(jobId, () => {});
  await bed.escrow("confirm", [jobId]);

  const after = await readProvider(client, contracts, provider.address, 0n);
  const [job] = after.jobs;
  expect(job).toMatchObject({ id: jobId, hostId: before.hosts[0]!.hostId, status: "settled", gpus: 2 });
  expect(job!.paid).toBe(job!.used);
  expect(job!.used).toBeGreaterThan(0n);
  expect(job!.settledAt).toBeGreaterThan(0);
  // The record weighs GPU-time: the job's GPUs × the seconds its receipt billed, against a GPU-hour prior each way.
  const served = job!.gpus * (job!.endedAt - job!.startedAt);
  expect(after.reliability).toMatchObject({
    completed: 1,
    noShows: 0,
    disputesLost: 0,
    challengesFailed: 0,
    servedGpuSeconds: served,
    failedGpuSeconds: 0,
  });
  expect(after.reliability.scoreBps).toBe(Math.floor(((served + 3600) * 10_000) / (served + 7200)));
  expect(after.obligation).toBe(before.obligation - job!.paid);
  expect(job!.dispute).toBeUndefined();

  // A disputed receipt shows with the buyer's reason, its bond, the stake it holds and the arbiter's deadline,
  // and counts as an open dispute whose stake is part of what the provider's stake must cover.
  const second = await bed.createJob(hello);
  expect((await bed.dispatch(second, hello)).status).toBe(202);
  await bed.events(second, () => {});
  await bed.escrow("dispute", [second, "the output is not what the spec prints"]);
  const disputed = await readProvider(client, contracts, provider.address, 0n);
  expect(disputed.jobs[0]).toMatchObject({
    id: second,
    status: "disputed",
    dispute: { reason: "the output is not what the spec prints" },
  });
  expect(disputed.jobs[0]!.dispute!.at).toBeGreaterThanOrEqual(disputed.jobs[0]!.endedAt);
  expect(disputed.reliability.openDisputes).toBe(1);
  const { dispute } = disputed.jobs[0]!;
  expect(dispute!.bond).toBe((disputed.jobs[0]!.locked + 9n) / 10n); // ⌈10% of the job⌉
  expect(dispute!.stakeAtRisk).toBeGreaterThan(0n);
  expect(disputed.disputeStake).toBe(dispute!.stakeAtRisk);
  expect(dispute!.ruleBy).toBe(dispute!.at + 7 * 86_400);
  expect(disputed.limits.required).toBeGreaterThanOrEqual(dispute!.stakeAtRisk);
}, 90_000);
