/**
 * The host agent end to end, all real: anvil, the protocol's contracts, the agent's HTTP server and the
 * process runtime. A buyer funds a job, signs a dispatch, the host starts it on-chain, runs it, streams its
 * output, meters it, signs and submits the receipt; the buyer confirms and every balance is exact.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseUnits, toHex, type Address, type Hex, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount, type LocalAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobCost, meterUsage } from "../lib/jobs/cost";
import { accessTypedData, dispatchTypedData } from "../lib/jobs/dispatch";
import { specHash, type JobSpec } from "../lib/jobs/spec";
import { jobStatus } from "../lib/jobs/status";
import { gpuClass, ratingWad } from "../lib/scu/ratings";
import { anvilAccount, anvilKey, artifactContract as artifact, localSigner, startAnvil, withAutomine } from "../scripts/lib/localchain";
import { BIN, ROOT } from "../scripts/lib/paths";
import { freePort, isRunning as alive, startService, stopAll, waitFor } from "../scripts/lib/proc";
import { JOB_TEMPLATES } from "../lib/jobs/templates";
import { deployProtocol, listProvider, type ProtocolAddresses } from "../scripts/lib/protocol";
import { relayDispatch } from "../lib/server/dispatch";
import { relayEvents } from "../lib/server/events";
import { relayStop } from "../lib/server/stop";
import { HostAgent } from "./agent";
import { hostChain } from "./chain";
import type { HostConfig } from "./config";
import { ProcessRuntime } from "./runtime/process";
import { hostServer } from "./server";

const CHAIN_ID = 31337;
const signerKey = generatePrivateKey();
const buyerAccount = anvilAccount(2);
const hello: JobSpec = {
  version: 1,
  image: "node:22-slim",
  command: ["node", "-e", "for (let i = 1; i <= 3; i++) console.log(`step ${i} of 3 on ${process.env.HOURGLASS_GPUS} GPU(s)`)"],
  env: {},
};

let rpcUrl: string;
let contracts: ProtocolAddresses;
let hostUrl: string;
let hostId: bigint;
let firstJobId: bigint;
let deployer: ReturnType<typeof localSigner>;
let provider: ReturnType<typeof localSigner>;
let buyer: ReturnType<typeof localSigner>;

const rpc = (method: string, params: unknown[] = []) => deployer.client.request({ method: method as never, params: params as never });
const read = <T>(address: Address, name: string, functionName: string, args: unknown[] = []) =>
  deployer.client.readContract({ address, abi: artifact(name).abi, functionName, args }) as Promise<T>;

beforeAll(async () => {
  // A block a second, as a real chain: the receipt waits for the billed minute to pass on-chain.
  const anvil = await startAnvil({ port: await freePort(), blockTime: 1 });
  ({ rpcUrl } = anvil);
  await withAutomine(anvil, setUp);
}, 120_000);
afterAll(stopAll);

async function setUp() {
  deployer = localSigner(rpcUrl);
  provider = localSigner(rpcUrl, anvilAccount(1));
  buyer = localSigner(rpcUrl, buyerAccount);
  contracts = await deployProtocol(rpcUrl);
  const { ProviderRegistry: registry, ComputeCredit: scu, JobEscrow: escrow } = contracts;
  const registryAbi = artifact("ProviderRegistry").abi;

  const [id] = await listProvider(rpcUrl, contracts, anvilAccount(1), {
    hosts: [{ signer: privateKeyToAccount(signerKey).address, classId: "h100-sxm", gpus: 8, listedForSeconds: 30n * 86_400n }],
    stakeUsdc: parseUnits("10000", 6),
    credits: parseUnits("100", 18),
    creditsTo: buyer.address,
  });
  hostId = id!;
  await buyer.send(scu, artifact("ComputeCredit").abi, "approve", [escrow, 2n ** 255n]);
  await rpc("anvil_setBalance", [privateKeyToAccount(signerKey).address, toHex(10n ** 18n)]);

  const config: HostConfig = {
    signerKey, operatorKey: anvilKey(7), rpcUrl, chainId: CHAIN_ID, hostId: Number(hostId),
    contracts: { JobEscrow: escrow, ProviderRegistry: registry }, runtime: "process", listen: "127.0.0.1:0",
    maxConcurrentJobs: 2, journalDir: mkdtempSync(path.join(tmpdir(), "host-journal-")), outputCapBytes: 1 << 20,
    heartbeatSeconds: 15,
  };
  const agent = new HostAgent(config, hostChain(config), new ProcessRuntime());
  const server = hostServer(agent, () => ({ hostId: config.hostId, signer: "", runtime: "process", maxJobs: 2, gpus: [] }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hostUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await provider.send(registry, registryAbi, "setEndpoint", [hostId, hostUrl]);
}

async function createJob(spec: JobSpec, maxDuration = 3600): Promise<bigint> {
  await buyer.send(contracts.JobEscrow, artifact("JobEscrow").abi, "createJob", [
    { hostId, gpus: 2, maxDuration, specHash: specHash(spec) },
  ]);
  return read<bigint>(contracts.JobEscrow, "JobEscrow", "jobCount");
}

const expiry = () => BigInt(Math.floor(Date.now() / 1000) + 600);

async function dispatch(jobId: bigint, spec: JobSpec, signer: LocalAccount = buyerAccount, url = hostUrl) {
  const message = { jobId, specHash: specHash(spec), expiry: expiry() };
  const signature = await signer.signTypedData(dispatchTypedData(CHAIN_ID, contracts.JobEscrow, message));
  return fetch(`${url}/jobs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jobId: String(jobId), spec, expiry: String(message.expiry), signature }),
  });
}

/** Reads the job's event stream until the final event, calling `onEvent` for each. */
async function events(
  jobId: bigint,
  onEvent: (type: string, data: Record<string, unknown>, id: number) => Promise<void> | void,
  url = hostUrl,
  lastEventId = 0,
) {
  const message = { jobId, action: "events" as const, expiry: expiry() };
  const signature: Hex = await buyerAccount.signTypedData(accessTypedData(CHAIN_ID, contracts.JobEscrow, message));
  const response = await fetch(`${url}/jobs/${jobId}/events?expiry=${message.expiry}&signature=${signature}`, {
    headers: { "last-event-id": String(lastEventId) },
  });
  expect(response.status).toBe(200);
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  let buffer = "";
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffer += decoder.decode(read.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const type = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      const id = Number(/^id: (.*)$/m.exec(block)?.[1]);
      if (type && data) {
        try {
          await onEvent(type, JSON.parse(data) as Record<string, unknown>, id);
        } catch (error) {
          await reader.cancel();
          throw error;
        }
      }
    }
  }
}

describe("host agent", () => {
  it("runs a dispatched job, streams it, and is paid exactly what it metered", async () => {
    const jobId = await createJob(hello);
    firstJobId = jobId;
    const locked = jobCost(2, ratingWad(gpuClass("h100-sxm")), 3600);
    const providerBefore = await read<{ obligation: bigint }>(contracts.ProviderRegistry, "ProviderRegistry", "provider", [provider.address]);

    // Through the route, as a browser would: the endpoint comes from the registry.
    const message = { jobId, specHash: specHash(hello), expiry: expiry() };
    const signature = await buyerAccount.signTypedData(dispatchTypedData(CHAIN_ID, contracts.JobEscrow, message));
    const body = { spec: hello, expiry: String(message.expiry), signature };
    const ctx = {
      client: deployer.client as PublicClient, chainId: CHAIN_ID, escrow: contracts.JobEscrow,
      registry: contracts.ProviderRegistry, allowLoopback: true, timeoutMs: 5000,
    };
    const refused = await relayDispatch(String(jobId), body, { ...ctx, allowLoopback: false });
    expect(refused).toMatchObject({ status: 502, body: { error: expect.stringMatching(/private or reserved/) } });
    expect(await relayDispatch(String(jobId), body, ctx)).toEqual({ status: 202, body: { jobId: String(jobId), status: "accepted" } });
    const seen: string[] = [];
    let output = "";
    await events(jobId, async (type, data) => {
      if (type === "log") output += String(data.text);
      if (type !== "status") return;
      seen.push(String(data.status));
      // The receipt bills whole minutes and may not end after the chain's now: let the minute pass.
      if (data.status === "ended") await rpc("evm_increaseTime", [60]).then(() => rpc("evm_mine"));
    });
    expect(seen).toEqual(["accepted", "started", "ended", "signed", "submitted"]);
    expect(output).toBe("step 1 of 3 on 2 GPU(s)\nstep 2 of 3 on 2 GPU(s)\nstep 3 of 3 on 2 GPU(s)\n");

    const job = await read<{ status: number; used: bigint; locked: bigint }>(contracts.JobEscrow, "JobEscrow", "job", [jobId]);
    expect(jobStatus(job.status)).toBe("submitted");
    expect(job.locked).toBe(locked);
    expect(job.used).toBe(meterUsage(locked, 1, 3600).used); // one minute of two H100s

    const buyerScu = await read<bigint>(contracts.ComputeCredit, "ComputeCredit", "balanceOf", [buyer.address]);
    await buyer.send(contracts.JobEscrow, artifact("JobEscrow").abi, "confirm", [jobId]);
    expect(await read<bigint>(contracts.ComputeCredit, "ComputeCredit", "balanceOf", [buyer.address])).toBe(buyerScu + locked - job.used);
    const providerAfter = await read<{ obligation: bigint }>(contracts.ProviderRegistry, "ProviderRegistry", "provider", [provider.address]);
    expect(providerAfter.obligation).toBe(providerBefore.obligation - job.used); // paid in against what it owes
  }, 60_000);

  it("refuses a dispatch the buyer did not sign, a spec that is not the funded one, and a second dispatch", async () => {
    const jobId = await createJob(hello);
    const stranger = privateKeyToAccount(generatePrivateKey());
    const refused = await dispatch(jobId, hello, stranger);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toMatch(/buyer/);
    const other: JobSpec = { ...hello, env: { EXTRA: "1" } };
    expect((await dispatch(jobId, other)).status).toBe(400);
    expect((await dispatch(jobId, hello)).status).toBe(202);
    expect((await dispatch(jobId, hello)).status).toBe(409);
  }, 30_000);

  it("resumes after the host is killed mid-job: the run is killed, billed to its last sign of life, paid once", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "host-crash-"));
    const port = await freePort();
    const file = path.join(dir, "host.json");
    writeFileSync(file, JSON.stringify({
      signerKey, operatorKey: anvilKey(8), rpcUrl, chainId: CHAIN_ID, hostId: Number(hostId), runtime: "process",
      listen: `127.0.0.1:${port}`, journalDir: "journal", heartbeatSeconds: 1,
      contracts: { JobEscrow: contracts.JobEscrow, ProviderRegistry: contracts.ProviderRegistry },
    }));
    const url = `http://127.0.0.1:${port}`;
    const startAgent = async () => {
      const child = startService("host", path.join(BIN, "tsx"), ["host/main.ts", "--config", file], { cwd: ROOT });
      await waitFor("the host agent", async () => (await fetch(`${url}/health`)).ok, 30_000);
      return child;
    };
    const countdown: JobSpec = { ...JOB_TEMPLATES.find((t) => t.id === "countdown")!.spec, env: { SECONDS: "600" } };
    const jobId = await createJob(countdown);

    const first = await startAgent();
    expect((await dispatch(jobId, countdown, buyerAccount, url)).status).toBe(202);
    let lastId = 0;
    await events(jobId, (type, data, id) => {
      lastId = id;
      if (type === "log" && String(data.text).includes("597 s left")) throw new Stop();
    }, url).catch((e: unknown) => { if (!(e instanceof Stop)) throw e; });
    const pid = (JSON.parse(readFileSync(path.join(dir, "journal", `job-${jobId}.json`), "utf8")) as { pid: number }).pid;
    process.kill(-first.pid!, "SIGKILL"); // the agent (tsx and its node) dies; the job, in its own group, runs on
    expect(alive(pid)).toBe(true);

    await startAgent();
    const seen: string[] = [];
    await events(jobId, async (type, data) => {
      if (type !== "status") return;
      seen.push(String(data.status));
      if (data.status === "interrupted") await rpc("evm_increaseTime", [60]).then(() => rpc("evm_mine"));
    }, url, lastId);
    expect(seen).toEqual(["interrupted", "signed", "submitted"]);
    expect(alive(pid)).toBe(false);
    const job = await read<{ status: number; used: bigint; locked: bigint }>(contracts.JobEscrow, "JobEscrow", "job", [jobId]);
    expect(jobStatus(job.status)).toBe("submitted");
    // Killed about 3 s in, with a heartbeat a second: one billed minute, never the time the host was down.
    expect(job.used).toBe(meterUsage(job.locked, 1, 3600).used);
  }, 90_000);
});


describe("events route", () => {
  it("relays a job's events from the host, resuming after Last-Event-ID", async () => {
    const ctx = {
      client: deployer.client as PublicClient, chainId: CHAIN_ID, escrow: contracts.JobEscrow,
      registry: contracts.ProviderRegistry, allowLoopback: true, timeoutMs: 5000,
    };
    const message = { jobId: firstJobId, action: "events" as const, expiry: expiry() };
    const signature = await buyerAccount.signTypedData(accessTypedData(CHAIN_ID, contracts.JobEscrow, message));
    const read = async (lastEventId: string) => {
      const result = await relayEvents(String(firstJobId), { expiry: String(message.expiry), signature, lastEventId }, ctx, new AbortController().signal);
      if (!("stream" in result)) throw new Error(JSON.stringify(result));
      const text = await new Response(result.stream).text();
      return [...text.matchAll(/^id: (\d+)\nevent: status\ndata: (.*)$/gm)].map((m) => ({ id: Number(m[1]), status: String((JSON.parse(m[2]!) as { status: string }).status) }));
    };
    const all = await read("0");
    expect(all.map((e) => e.status)).toEqual(["accepted", "started", "ended", "signed", "submitted"]);
    const ended = all.find((e) => e.status === "ended")!.id;
    expect((await read(String(ended))).map((e) => e.status)).toEqual(["signed", "submitted"]);
    const stranger = privateKeyToAccount(generatePrivateKey());
    const strangers = await stranger.signTypedData(accessTypedData(CHAIN_ID, contracts.JobEscrow, message));
    expect(await relayEvents(String(firstJobId), { expiry: String(message.expiry), signature: strangers, lastEventId: null }, ctx, new AbortController().signal))
      .toMatchObject({ status: 401 });
  });
});

describe("stop route", () => {
  it("stops a running job for its buyer only, and the host bills the time it ran", async () => {
    const ctx = {
      client: deployer.client as PublicClient, chainId: CHAIN_ID, escrow: contracts.JobEscrow,
      registry: contracts.ProviderRegistry, allowLoopback: true, timeoutMs: 5000,
    };
    const countdown: JobSpec = { ...JOB_TEMPLATES.find((t) => t.id === "countdown")!.spec, env: { SECONDS: "600" } };
    const jobId = await createJob(countdown);
    expect((await dispatch(jobId, countdown)).status).toBe(202);
    const stopBody = async (signer: LocalAccount) => {
      const message = { jobId, action: "stop" as const, expiry: expiry() };
      return { expiry: String(message.expiry), signature: await signer.signTypedData(accessTypedData(CHAIN_ID, contracts.JobEscrow, message)) };
    };
    const seen: string[] = [];
    await events(jobId, async (type, data) => {
      if (type !== "status") return;
      seen.push(String(data.reason ?? data.status));
      if (data.status === "started") {
        expect(await relayStop(String(jobId), await stopBody(privateKeyToAccount(generatePrivateKey())), ctx)).toMatchObject({ status: 401 });
        expect(await relayStop(String(jobId), await stopBody(buyerAccount), ctx)).toEqual({ status: 202, body: { jobId: String(jobId), status: "stopping" } });
      }
      if (data.status === "ended") await rpc("evm_increaseTime", [60]).then(() => rpc("evm_mine"));
    });
    expect(seen).toEqual(["accepted", "started", "stopping", "stopped", "signed", "submitted"]);
  }, 60_000);
});

describe("dispatch route", () => {
  it("answers 1,000 generated malformed requests with a 4xx and a reason, never a 5xx or a crash", async () => {
    const ctx = {
      client: deployer.client as PublicClient, chainId: CHAIN_ID, escrow: contracts.JobEscrow,
      registry: contracts.ProviderRegistry, allowLoopback: true, timeoutMs: 5000,
    };
    const jobId = await createJob(hello);
    const message = { jobId, specHash: specHash(hello), expiry: expiry() };
    const good = { spec: hello, expiry: String(message.expiry), signature: await buyerAccount.signTypedData(dispatchTypedData(CHAIN_ID, contracts.JobEscrow, message)) };
    let seed = 20261126;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const junk = (): unknown => {
      const pick = rand(12);
      if (pick === 0) return null;
      if (pick === 1) return rand(2) === 0;
      if (pick === 2) return rand(1e9) - 5e8;
      if (pick === 3) return "x".repeat(rand(300));
      if (pick === 4) return [junk(), junk()];
      if (pick === 5) return { [String.fromCharCode(97 + rand(26))]: junk() };
      if (pick === 6) return `0x${"f".repeat(rand(140))}`;
      if (pick === 7) return "18446744073709551616";
      if (pick === 8) return -1;
      if (pick === 9) return { __proto__: { polluted: true } };
      if (pick === 10) return "\u0000💥";
      return undefined;
    };
    const ids = ["0", "-1", "1e3", "abc", "", "99999999999999999999999999999999", String(jobId), "999", " 1", "0x1"];
    const fields = ["spec", "expiry", "signature"] as const;
    for (let i = 0; i < 1000; i++) {
      const body: Record<string, unknown> = { ...good, spec: { ...good.spec } };
      const mutation = rand(6);
      if (mutation === 0) body[fields[rand(3)]!] = junk();
      else if (mutation === 1) delete body[fields[rand(3)]!];
      else if (mutation === 2) (body.spec as Record<string, unknown>)[["image", "command", "env", "version", "extra"][rand(5)]!] = junk();
      else if (mutation === 3) body[`extra${rand(3)}`] = junk();
      else if (mutation === 4) body.signature = `0x${"ab".repeat(65)}`;
      const id = ids[rand(ids.length)]!;
      const result = await relayDispatch(id, mutation === 5 ? junk() : body, ctx).catch((e: unknown) => ({ status: 0, body: { error: String(e) } }));
      expect(result.status, `case ${i}: ${id} ${JSON.stringify(body)} → ${JSON.stringify(result.body)}`).toBeGreaterThanOrEqual(400);
      expect(result.status, `case ${i}: ${id} → ${JSON.stringify(result.body)}`).toBeLessThan(500);
      expect(typeof result.body.error).toBe("string");
    }
  }, 120_000);
});

class Stop extends Error {}
