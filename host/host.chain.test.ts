/**
 * The host agent end to end, all real: anvil, the protocol's contracts, the agent's HTTP server and the
 * process runtime. A buyer funds a job, signs a dispatch, the host starts it on-chain, runs it, streams its
 * output, meters it, signs and submits the receipt; the buyer confirms and every balance is exact.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobCost, meterUsage, usageCap } from "../lib/jobs/cost";
import type { JobSpec } from "../lib/jobs/spec";
import { jobStatus } from "../lib/jobs/status";
import { JOB_TEMPLATES } from "../lib/jobs/templates";
import { relayDispatch } from "../lib/server/dispatch";
import { gpuClass, ratingWad } from "../lib/scu/ratings";
import { startHostBed, stopHostBed, type HostBed } from "../scripts/lib/hostbed";
import { hostChain } from "./chain";
import { anvilKey, artifactContract, LOCAL_CHAIN_ID } from "../scripts/lib/localchain";
import { BIN, ROOT } from "../scripts/lib/paths";
import { freePort, isRunning as alive, startService, waitFor } from "../scripts/lib/proc";

const hello: JobSpec = {
  version: 1,
  image: "node:22-slim",
  command: ["node", "-e", "for (let i = 1; i <= 3; i++) console.log(`step ${i} of 3 on ${process.env.HOURGLASS_GPUS} GPU(s)`)"],
  env: {},
};
const countdown = (seconds: number): JobSpec => ({ ...JOB_TEMPLATES.find((t) => t.id === "countdown")!.spec, env: { SECONDS: String(seconds) } });

let bed: HostBed;
beforeAll(async () => {
  bed = await startHostBed();
}, 120_000);
afterAll(() => stopHostBed(bed));

class Stop extends Error {}

describe("host agent", () => {
  it("runs a dispatched job, streams it, and is paid exactly what it metered", async () => {
    const { contracts, buyer, provider } = bed;
    const jobId = await bed.createJob(hello);
    const locked = jobCost(2, ratingWad(gpuClass("h100-sxm")), 3600);
    const obligation = async () =>
      (await bed.read<{ obligation: bigint }>(contracts.ProviderRegistry, "ProviderRegistry", "provider", [provider.address])).obligation;
    const owedBefore = await obligation();

    // Through the route, as a browser would: the endpoint comes from the registry.
    const body = await bed.dispatchBody(jobId, hello);
    const refused = await relayDispatch(String(jobId), body, { ...bed.ctx, allowLoopback: false });
    expect(refused).toMatchObject({ status: 502, body: { error: expect.stringMatching(/private or reserved/) } });
    expect(await relayDispatch(String(jobId), body, bed.ctx)).toEqual({ status: 202, body: { jobId: String(jobId), status: "accepted" } });
    const seen: string[] = [];
    let output = "";
    await bed.events(jobId, async ({ type, data }) => {
      if (type === "log") output += String(data.text);
      if (type !== "status") return;
      seen.push(String(data.status));
      // The receipt bills whole minutes and may not end after the chain's now: let the minute pass.
      if (data.status === "ended") await bed.advance(60);
    });
    expect(seen).toEqual(["accepted", "started", "ended", "signed", "submitted"]);
    expect(output).toBe("step 1 of 3 on 2 GPU(s)\nstep 2 of 3 on 2 GPU(s)\nstep 3 of 3 on 2 GPU(s)\n");

    const job = await bed.job(jobId);
    expect(jobStatus(job.status)).toBe("submitted");
    expect(job.locked).toBe(locked);
    expect(job.used).toBe(meterUsage(locked, 1, 3600).used); // one minute of two H100s

    const scu = () => bed.read<bigint>(contracts.ComputeCredit, "ComputeCredit", "balanceOf", [buyer.address]);
    const buyerScu = await scu();
    await bed.escrow("confirm", [jobId]);
    expect(await scu()).toBe(buyerScu + locked - job.used);
    expect(await obligation()).toBe(owedBefore - job.used); // paid in against what it owes
  }, 60_000);

  it("sends one transaction at a time per key, so two jobs starting together do not take the same nonce", async () => {
    const jobs = [await bed.createJob(hello), await bed.createJob(hello)];
    // The agent's chain side, called as two dispatches arriving together call it.
    const chain = hostChain({
      signerKey: bed.signerKey, operatorKey: anvilKey(7), rpcUrl: bed.rpcUrl, chainId: LOCAL_CHAIN_ID, hostId: Number(bed.hostId),
      contracts: { JobEscrow: bed.contracts.JobEscrow, ProviderRegistry: bed.contracts.ProviderRegistry }, runtime: "process",
      listen: "127.0.0.1:0", maxConcurrentJobs: 2, journalDir: "unused", outputCapBytes: 1 << 20, heartbeatSeconds: 15,
    });
    const sent = await Promise.all(jobs.map((jobId) => chain.start(jobId)));
    expect(new Set(sent.map((s) => s.hash)).size).toBe(2);
    for (const jobId of jobs) expect(jobStatus((await bed.job(jobId)).status)).toBe("running");
  }, 60_000);

  it("refuses a dispatch the buyer did not sign, a spec that is not the funded one, and a second dispatch", async () => {
    const jobId = await bed.createJob(hello);
    const refused = await bed.dispatch(jobId, hello, privateKeyToAccount(generatePrivateKey()));
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toMatch(/buyer/);
    expect((await bed.dispatch(jobId, { ...hello, env: { EXTRA: "1" } })).status).toBe(400);
    expect((await bed.dispatch(jobId, hello)).status).toBe(202);
    expect((await bed.dispatch(jobId, hello)).status).toBe(409);
    await bed.events(jobId, ({ type, data }) => (type === "status" && data.status === "ended" ? bed.advance(60) : undefined));
  }, 30_000);

  it("kills the run when the buyer stops the job on-chain, and bills no further than the stop", async () => {
    const jobId = await bed.createJob(countdown(600));
    expect((await bed.dispatch(jobId, countdown(600))).status).toBe(202);
    const seen: string[] = [];
    await bed.events(jobId, async ({ type, data }) => {
      if (type !== "status") return;
      seen.push(data.status === "stopping" ? `stopping (${String(data.source)})` : String(data.reason ?? data.status));
      if (data.status === "started") await bed.escrow("stop", [jobId]);
    });
    expect(seen).toEqual(["accepted", "started", "stopping (chain)", "stopped", "signed", "submitted"]);
    const job = await bed.job(jobId);
    expect(job.stoppedAt).toBeGreaterThan(0n);
    // Billed to the second of the stop, not rounded up to the minute past it.
    expect(job.used).toBe(usageCap(job.locked, job.stoppedAt - job.startedAt, 3600));
    expect(job.used).toBeLessThan(meterUsage(job.locked, 1, 3600).used);
  }, 30_000);

  it("an agent started before its host is registered serves the host later registered with its signer", async () => {
    const { contracts, rpcUrl, provider } = bed;
    const signerKey = generatePrivateKey();
    const signer = privateKeyToAccount(signerKey).address;
    const dir = mkdtempSync(path.join(tmpdir(), "host-unregistered-"));
    const port = await freePort();
    const file = path.join(dir, "host.json");
    writeFileSync(file, JSON.stringify({
      signerKey, operatorKey: anvilKey(8), rpcUrl, chainId: LOCAL_CHAIN_ID, runtime: "process", listen: `127.0.0.1:${port}`,
      journalDir: "journal", contracts: { JobEscrow: contracts.JobEscrow, ProviderRegistry: contracts.ProviderRegistry },
    }));
    const url = `http://127.0.0.1:${port}`;
    const agent = startService("host", path.join(BIN, "tsx"), ["host/main.ts", "--config", file], { cwd: ROOT });
    try {
      await waitFor("the host agent", async () => (await fetch(`${url}/health`)).ok, 30_000);
      expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ hostId: null, signer });

      await bed.rpc("anvil_setBalance", [signer, "0xde0b6b3a7640000"]);
      const listedUntil = BigInt(Math.floor(Date.now() / 1000) + 30 * 86_400);
      await provider.send(contracts.ProviderRegistry, artifactContract("ProviderRegistry").abi, "registerHost", [
        { signer, classId: toHex("h100-sxm", { size: 32 }), gpuCount: 8, listedUntil, endpoint: url, region: "test" },
      ]);
      const hostId = await bed.read<bigint>(contracts.ProviderRegistry, "ProviderRegistry", "hostCount");
      // Dispatched at once, before the agent's own look: it finds its host when the job names one.
      const jobId = await bed.createJob(hello, 3600, hostId);
      expect((await bed.dispatch(jobId, hello, bed.buyerAccount, url)).status).toBe(202);
      expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ hostId: Number(hostId), signer });
      const seen: string[] = [];
      await bed.events(jobId, async ({ type, data }) => {
        if (type !== "status") return;
        seen.push(String(data.status));
        if (data.status === "ended") await bed.advance(60);
      }, url);
      expect(seen).toEqual(["accepted", "started", "ended", "signed", "submitted"]);
    } finally {
      process.kill(-agent.pid!, "SIGKILL");
    }
  }, 60_000);

  it("resumes after the host is killed mid-job: the run is killed, billed to its last sign of life, paid once", async () => {
    const { contracts, rpcUrl, hostId } = bed;
    const dir = mkdtempSync(path.join(tmpdir(), "host-crash-"));
    const port = await freePort();
    const file = path.join(dir, "host.json");
    writeFileSync(file, JSON.stringify({
      signerKey: bed.signerKey, operatorKey: anvilKey(8), rpcUrl, chainId: LOCAL_CHAIN_ID, hostId: Number(hostId),
      runtime: "process", listen: `127.0.0.1:${port}`, journalDir: "journal", heartbeatSeconds: 1,
      contracts: { JobEscrow: contracts.JobEscrow, ProviderRegistry: contracts.ProviderRegistry },
    }));
    const url = `http://127.0.0.1:${port}`;
    const startAgent = async () => {
      const child = startService("host", path.join(BIN, "tsx"), ["host/main.ts", "--config", file], { cwd: ROOT });
      await waitFor("the host agent", async () => (await fetch(`${url}/health`)).ok, 30_000);
      return child;
    };
    const jobId = await bed.createJob(countdown(600));

    const first = await startAgent();
    expect((await bed.dispatch(jobId, countdown(600), bed.buyerAccount, url)).status).toBe(202);
    let lastId = 0;
    await bed.events(jobId, ({ type, data, id }) => {
      lastId = id;
      if (type === "log" && String(data.text).includes("597 s left")) throw new Stop();
    }, url).catch((e: unknown) => { if (!(e instanceof Stop)) throw e; });
    const pid = (JSON.parse(readFileSync(path.join(dir, "journal", `job-${jobId}.json`), "utf8")) as { pid: number }).pid;
    process.kill(-first.pid!, "SIGKILL"); // the agent (tsx and its node) dies; the job, in its own group, runs on
    expect(alive(pid)).toBe(true);

    await startAgent();
    const seen: string[] = [];
    await bed.events(jobId, async ({ type, data }) => {
      if (type !== "status") return;
      seen.push(String(data.status));
      if (data.status === "interrupted") await bed.advance(60);
    }, url, lastId);
    expect(seen).toEqual(["interrupted", "signed", "submitted"]);
    expect(alive(pid)).toBe(false);
    const job = await bed.job(jobId);
    expect(jobStatus(job.status)).toBe("submitted");
    // Killed about 3 s in, with a heartbeat a second: one billed minute, never the time the host was down.
    expect(job.used).toBe(meterUsage(job.locked, 1, 3600).used);
  }, 90_000);
});
