/**
 * The host agent end to end, all real: anvil, the protocol's contracts, the agent's HTTP server and the
 * process runtime. A buyer funds a job, signs a dispatch, the host acknowledges it, starts it on-chain, runs
 * it, streams its output, meters it per second, signs and submits the receipt at once; the buyer confirms and
 * every balance is exact. A stop landing at any moment still leaves a receipt; an agent consents to and serves
 * only its configured provider; its acknowledgement records a no-show; it keeps the price readings coming.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseUnits, toHex, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recoverConsentSigner, signerConsentDigest } from "../lib/protocol/consent";
import { jobCost, usageCap } from "../lib/jobs/cost";
import { recoverDispatchAckSigner } from "../lib/protocol/hostSignatures";
import { specHash, type JobSpec } from "../lib/jobs/spec";
import { jobStatus } from "../lib/jobs/status";
import { JOB_TEMPLATES } from "../lib/jobs/templates";
import { gpuClass, ratingWad } from "../lib/scu/ratings";
import { startHostBed, stopHostBed, type HostBed } from "../scripts/lib/hostbed";
import {
  anvilAccount,
  anvilKey,
  artifactContract,
  LOCAL_CHAIN_ID,
  localSigner,
  withAutomine,
} from "../scripts/lib/localchain";
import { BIN, ROOT } from "../scripts/lib/paths";
import { freePort, isRunning as alive, waitFor } from "../scripts/lib/proc";
import { listProvider, TEST_ESCROW_CONFIG, TEST_TWAP_WINDOW } from "../scripts/lib/protocol";
import { HostAgent, START_LEAD_SECONDS } from "./agent";
import { hostChain, type HostChain } from "./hostChain";
import type { HostConfig } from "./config";
import { ProcessRuntime } from "./runtime/process";
import type { RunRequest, Runtime } from "./runtime/types";
import { keepPriceFresh } from "./oracle";
import { releaseHeldGpus } from "./reaper";

const hello: JobSpec = {
  version: 1,
  image: "node:22-slim",
  command: [
    "node",
    "-e",
    "for (let i = 1; i <= 3; i++) console.log(`step ${i} of 3 on ${process.env.HOURGLASS_GPUS} GPU(s)`)",
  ],
  env: {},
};
const countdown = (seconds: number): JobSpec => ({
  ...JOB_TEMPLATES.find((t) => t.id === "countdown")!.spec,
  env: { SECONDS: String(seconds) },
});
const signature65 = /^0x[0-9a-f]{130}$/;
/** What the escrow bills a job of `locked` for `maxDuration` that ran from `start` to `end` (the first minute at least). */
const billed = (locked: bigint, start: bigint, end: bigint, maxDuration = 3600) =>
  usageCap(locked, Math.max(Number(end - start), 60), maxDuration);

let bed: HostBed;
beforeAll(async () => {
  bed = await startHostBed();
}, 120_000);
afterAll(() => stopHostBed(bed));

class Stop extends Error {}

/** Follows a job's stream to its end, returning each status (a stop's source, an end's reason) and its data. */
async function statuses(
  jobId: bigint,
  onStatus: (data: Record<string, unknown>) => Promise<void> | void = () => {},
  url?: string,
  after?: number,
) {
  const seen: { label: string; data: Record<string, unknown>; at: number }[] = [];
  await bed.events(
    jobId,
    async ({ type, data }) => {
      if (type !== "status") return;
      // A stop says where it came from, an end why (a normal exit shows as "ended").
      const label =
        data.status === "stopping"
          ? `stopping (${String(data.source)})`
          : data.status === "ended" && data.reason !== "exited"
            ? String(data.reason)
            : String(data.status);
      seen.push({ label, data, at: Date.now() });
      await onStatus(data);
    },
    url,
    after,
  );
  return seen;
}

/** A host agent process (`npm run host`) with `config`, its output kept; resolves once /health answers. */
async function startAgent(config: Record<string, unknown>) {
  const dir = mkdtempSync(path.join(tmpdir(), "host-agent-"));
  const port = await freePort();
  const file = path.join(dir, "host.json");
  writeFileSync(
    file,
    JSON.stringify({
      operatorKey: anvilKey(8),
      rpcUrl: bed.rpcUrl,
      chainId: LOCAL_CHAIN_ID,
      runtime: "process",
      listen: `127.0.0.1:${port}`,
      journalDir: "journal",
      observeEverySeconds: 0,
      contracts: { JobEscrow: bed.contracts.JobEscrow, ProviderRegistry: bed.contracts.ProviderRegistry },
      ...config,
    }),
  );
  const child: ChildProcess = spawn(path.join(BIN, "tsx"), ["host/main.ts", "--config", file], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const kill = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const post = (route: string, body: unknown) =>
    fetch(`${url}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  return {
    url,
    dir,
    exited,
    kill,
    post,
    output: () => output,
    health: async () =>
      (await (await fetch(`${url}/health`)).json()) as { hostId: number | null; signer: Address; provider: Address },
    ready: () => waitFor("the host agent", async () => (await fetch(`${url}/health`)).ok, 30_000),
  };
}

const registryAbi = () => artifactContract("ProviderRegistry").abi;
const readRegistry = <T>(functionName: string, args: unknown[] = []) =>
  bed.read<T>(bed.contracts.ProviderRegistry, "ProviderRegistry", functionName, args);
const chainNow = async () => (await bed.deployer.client.getBlock()).timestamp;

describe("host agent", () => {
  it("runs a dispatched job, streams it, and is paid what it metered, its receipt landing seconds after the end", async () => {
    const { contracts, buyer, provider } = bed;
    const jobId = await bed.createJob(hello);
    const locked = jobCost(2, ratingWad(gpuClass("h100-sxm")), 3600);
    const obligation = async () =>
      (
        await bed.read<{ obligation: bigint }>(contracts.ProviderRegistry, "ProviderRegistry", "provider", [
          provider.address,
        ])
      ).obligation;
    const owedBefore = await obligation();

    // Straight to the agent (the route's relay of it is lib/server/routes.chain.test.ts's).
    const response = await bed.dispatch(jobId, hello);
    const accepted = { status: response.status, body: (await response.json()) as Record<string, unknown> };
    expect(accepted).toEqual({
      status: 202,
      body: { jobId: String(jobId), status: "accepted", ack: expect.stringMatching(signature65) },
    });
    const ack = accepted.body.ack as Hex;
    expect(
      await recoverDispatchAckSigner(LOCAL_CHAIN_ID, contracts.JobEscrow, { jobId, specHash: specHash(hello) }, ack),
    ).toBe(bed.chain.signer);

    let output = "";
    const seen: { label: string; data: Record<string, unknown>; at: number }[] = [];
    await bed.events(jobId, ({ type, data }) => {
      if (type === "log") output += String(data.text);
      if (type === "status") seen.push({ label: String(data.status), data, at: Date.now() });
    });
    expect(seen.map((s) => s.label)).toEqual(["accepted", "started", "ended", "signed", "submitted"]);
    // A buyer who reloads gets the acknowledgement from the stream.
    expect(seen[0]!.data.ack).toBe(ack);
    expect(output).toBe("step 1 of 3 on 2 GPU(s)\nstep 2 of 3 on 2 GPU(s)\nstep 3 of 3 on 2 GPU(s)\n");
    // Signed and submitted at once: a receipt that waited for the chain to reach a whole billed minute took ~60 s.
    const at = (label: string) => seen.find((s) => s.label === label)!.at;
    expect(at("submitted") - at("ended")).toBeLessThan(15_000);

    const job = await bed.job(jobId);
    expect(jobStatus(job.status)).toBe("submitted");
    expect(job.locked).toBe(locked);
    // Billed to the second it ended (well inside the first minute), and the first minute is the least charged.
    expect(job.endedAt).toBe(BigInt(seen.find((s) => s.label === "signed")!.data.endedAt as number));
    expect(job.endedAt - job.startedAt).toBeLessThan(30n);
    expect(job.used).toBe(usageCap(locked, 60, 3600));

    const scu = () => bed.read<bigint>(contracts.ComputeCredit, "ComputeCredit", "balanceOf", [buyer.address]);
    const buyerScu = await scu();
    await bed.escrow("confirm", [jobId]);
    expect(await scu()).toBe(buyerScu + locked - job.used);
    expect(await obligation()).toBe(owedBefore - job.used); // paid in against what it owes
  }, 60_000);

  it("sends one transaction at a time per key, so two jobs starting together do not take the same nonce", async () => {
    const jobs = [await bed.createJob(hello), await bed.createJob(hello)];
    // The agent's chain side, called as two dispatches arriving together call it.
    const chain = hostChain({ ...bed.config, operatorKey: anvilKey(7), journalDir: "unused" });
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
    await statuses(jobId);
  }, 30_000);
});

describe("a stop at any moment still leaves a receipt, billed no further than the stop", () => {
  it("before the run ends: the run is killed and billed to the stop", async () => {
    const jobId = await bed.createJob(countdown(600));
    expect((await bed.dispatch(jobId, countdown(600))).status).toBe(202);
    const seen = await statuses(jobId, async (data) => {
      if (data.status === "started") await bed.escrow("stop", [jobId]);
    });
    expect(seen.map((s) => s.label)).toEqual([
      "accepted",
      "started",
      "stopping (chain)",
      "stopped",
      "signed",
      "submitted",
    ]);
    const job = await bed.job(jobId);
    expect(job.stoppedAt).toBeGreaterThan(0n);
    expect(job.endedAt).toBe(job.stoppedAt);
    expect(job.used).toBe(billed(job.locked, job.startedAt, job.stoppedAt));
  }, 30_000);

  it("between the host signing and submitting: the signed receipt lands, cut at the stop", async () => {
    const release = bed.holdReceipts();
    try {
      const jobId = await bed.createJob(countdown(3));
      expect((await bed.dispatch(jobId, countdown(3))).status).toBe(202);
      let signedEnd = 0n;
      const seen = await statuses(jobId, async (data) => {
        if (data.status !== "signed") return;
        signedEnd = BigInt(data.endedAt as number);
        await bed.escrow("stop", [jobId]); // lands while the receipt waits to be sent
        release();
      });
      expect(seen.map((s) => s.label)).toEqual(["accepted", "started", "ended", "signed", "submitted"]);
      const job = await bed.job(jobId);
      expect(jobStatus(job.status)).toBe("submitted");
      expect(job.stoppedAt).toBeGreaterThan(0n);
      const end = signedEnd < job.stoppedAt ? signedEnd : job.stoppedAt;
      expect(job.endedAt).toBe(end);
      expect(job.used).toBe(billed(job.locked, job.startedAt, end));
    } finally {
      release();
    }
  }, 30_000);

  it("after the maximum end: the stop is refused on-chain, and the receipt bills no more than was locked", async () => {
    const spec = countdown(3);
    const jobId = await bed.createJob(spec, 1800); // the shortest job: two start timeouts
    expect((await bed.dispatch(jobId, spec)).status).toBe(202);
    const seen = await statuses(jobId, async (data) => {
      if (data.status !== "started") return;
      await bed.advance(1801);
      await expect(bed.escrow("stop", [jobId])).rejects.toThrow(/StopTooLate/);
    });
    expect(seen.map((s) => s.label)).toEqual(["accepted", "started", "ended", "signed", "submitted"]);
    const job = await bed.job(jobId);
    expect(job.stoppedAt).toBe(0n);
    expect(job.endedAt - job.startedAt).toBeLessThanOrEqual(1800n);
    expect(job.used).toBeLessThanOrEqual(job.locked);
  }, 30_000);

  it("a refused submission is signed anew and retried, its reason in the job's log as a sentence", async () => {
    const operator = privateKeyToAccount(anvilKey(7)).address;
    const balance = await bed.deployer.client.getBalance({ address: operator });
    await bed.rpc("anvil_setBalance", [operator, "0x0"]);
    try {
      const jobId = await bed.createJob(countdown(1));
      expect((await bed.dispatch(jobId, countdown(1))).status).toBe(202);
      const seen = await statuses(jobId, async (data) => {
        if (data.status === "retrying") await bed.rpc("anvil_setBalance", [operator, toHex(balance)]);
      });
      expect(seen.map((s) => s.label)).toEqual([
        "accepted",
        "started",
        "ended",
        "signed",
        "retrying",
        "signed",
        "submitted",
      ]);
      expect(seen[4]!.data).toEqual({
        status: "retrying",
        attempt: 1,
        message: "This account does not have enough ETH to pay for gas.",
      });
      const job = await bed.job(jobId);
      expect(jobStatus(job.status)).toBe("submitted");
      const journal = JSON.parse(readFileSync(path.join(bed.config.journalDir, `job-${jobId}.json`), "utf8")) as Record<
        string,
        unknown
      >;
      expect(journal).toMatchObject({
        step: "submitted",
        used: String(job.used),
        endedAt: Number(job.endedAt),
        signature: expect.stringMatching(signature65),
      });
    } finally {
      await bed.rpc("anvil_setBalance", [operator, toHex(balance)]);
    }
  }, 30_000);
});

describe("the dispatch acknowledgement", () => {
  it("lets the buyer record a no-show and get everything back when the host accepted but never started", async () => {
    const signer = privateKeyToAccount(bed.signerKey).address;
    const signerBalance = await bed.deployer.client.getBalance({ address: signer });
    const jobId = await bed.createJob(hello);
    const { locked } = await bed.job(jobId);
    // A host that cannot pay for `start` accepts the job, keeps trying, and gives up at the start deadline.
    await bed.rpc("anvil_setBalance", [signer, "0x0"]);
    let ack: Hex;
    try {
      const answer = await bed.dispatch(jobId, hello);
      expect(answer.status).toBe(202);
      ack = ((await answer.json()) as { ack: Hex }).ack;
      const seen: { status: unknown; message: unknown }[] = [];
      let advanced = false;
      await bed
        .events(jobId, async ({ type, data }) => {
          if (type !== "status" || (data.status !== "retrying" && data.status !== "error")) return;
          seen.push({ status: data.status, message: data.message });
          if (data.final) throw new Stop();
          if (!advanced) {
            advanced = true;
            await bed.advance(TEST_ESCROW_CONFIG.startTimeout);
          }
        })
        .catch((e: unknown) => {
          if (!(e instanceof Stop)) throw e;
        });
      const noGas = "This account does not have enough ETH to pay for gas.";
      expect(seen[0]).toEqual({ status: "retrying", message: noGas });
      // Past the deadline the chain refuses the start itself, and the agent stops trying.
      expect(seen.at(-1)).toMatchObject({ status: "error", message: expect.stringMatching(/was not started in time/) });
    } finally {
      await bed.rpc("anvil_setBalance", [signer, toHex(signerBalance)]);
    }
    expect(jobStatus((await bed.job(jobId)).status)).toBe("created");

    const forged = await privateKeyToAccount(generatePrivateKey()).signTypedData({
      domain: {
        name: "Hourglass JobEscrow",
        version: "1",
        chainId: LOCAL_CHAIN_ID,
        verifyingContract: bed.contracts.JobEscrow,
      },
      types: {
        DispatchAck: [
          { name: "jobId", type: "uint256" },
          { name: "specHash", type: "bytes32" },
        ],
      },
      primaryType: "DispatchAck",
      message: { jobId, specHash: specHash(hello) },
    });
    await expect(bed.escrow("cancel", [jobId, forged])).rejects.toThrow(/InvalidDispatchAck/);

    const noShows = async () => (await readRegistry<{ noShows: number }>("provider", [bed.provider.address])).noShows;
    const before = await noShows();
    const scu = () => bed.read<bigint>(bed.contracts.ComputeCredit, "ComputeCredit", "balanceOf", [bed.buyer.address]);
    const buyerScu = await scu();
    await bed.escrow("cancel", [jobId, ack!]);
    expect(jobStatus((await bed.job(jobId)).status)).toBe("cancelled");
    expect(await scu()).toBe(buyerScu + locked); // no reservation fee for a no-show
    expect(await noShows()).toBe(before + 1);
  }, 60_000);
});

describe("every step is carried on until its deadline, and a job the chain ended is never run", () => {
  /** An agent of the bed's host with a journal of its own (another installation on the same machine). */
  const ownAgent = (chain?: (real: HostChain) => HostChain) => {
    const config: HostConfig = { ...bed.config, journalDir: mkdtempSync(path.join(tmpdir(), "host-journal-")) };
    const real = hostChain(config);
    return { config, agent: new HostAgent(config, chain ? chain(real) : real, new ProcessRuntime()) };
  };
  /** Collects a job's status events from an agent's own log, from its first. */
  const followed = (agent: HostAgent, jobId: bigint) => {
    const seen: Record<string, unknown>[] = [];
    const cursor = agent.events(jobId).cursor(0);
    const readNew = async () => {
      for (let events = await cursor.read(); events.length > 0; events = await cursor.read()) {
        for (const e of events) if (e.type === "status") seen.push(e.data);
      }
    };
    return {
      seen,
      read: readNew,
      until: (what: string, pred: (d: Record<string, unknown>) => boolean) =>
        waitFor(what, async () => (await readNew(), seen.some(pred)), 30_000),
    };
  };
  const printer: JobSpec = {
    version: 1,
    image: "node:22-slim",
    command: ["node", "-e", "console.log('ran job ' + process.env.HOURGLASS_JOB_ID)"],
    env: {},
  };
  const signed = async (jobId: bigint, spec: JobSpec) => {
    const body = await bed.dispatchBody(jobId, spec);
    return { jobId, spec, expiry: BigInt(body.expiry), signature: body.signature };
  };

  it("does not run a job its buyer cancelled before the start landed, then or after a restart", async () => {
    const jobId = await bed.createJob(printer);
    const { config, agent } = ownAgent((real) => ({
      ...real,
      // The buyer's cancel (sent with the dispatch, with a higher tip) is mined before the agent's start.
      start: async (id) => {
        await bed.escrow("cancel", [id, "0x"]);
        return real.start(id);
      },
    }));
    const log = followed(agent, jobId);
    await agent.dispatch(await signed(jobId, printer));
    await log.until("the job closed", (d) => d.status === "not-run");
    expect(log.seen.at(-1)).toMatchObject({ status: "not-run", final: true });
    expect(log.seen.some((d) => d.status === "started")).toBe(false);
    // Restarted on the same journal: nothing left to carry on.
    const again = new HostAgent(config, hostChain(config), new ProcessRuntime());
    const after = followed(again, jobId);
    await again.resume();
    await new Promise((r) => setTimeout(r, 2_000));
    await after.read();
    expect(after.seen.filter((d) => d.status === "started")).toEqual([]);
    expect(jobStatus((await bed.job(jobId)).status)).toBe("cancelled");
  }, 60_000);

  it("lands the receipt after the chain node drops out for a moment, instead of leaving it to a restart", async () => {
    const jobId = await bed.createJob(countdown(2));
    let downUntil = 0;
    const { agent } = ownAgent((real) => ({
      ...real,
      // The node is unreachable for a second from the moment the receipt is first signed.
      sign: async (receipt) => {
        const signature = await real.sign(receipt);
        if (downUntil === 0) downUntil = Date.now() + 1_000;
        return signature;
      },
      job: async (id) => {
        if (Date.now() < downUntil) throw new Error("fetch failed");
        return real.job(id);
      },
    }));
    const log = followed(agent, jobId);
    await agent.dispatch(await signed(jobId, countdown(2)));
    await log.until("the receipt", (d) => d.status === "submitted" || d.final === true);
    expect(log.seen.map((d) => d.status)).toContain("retrying");
    expect(log.seen.at(-1)).toMatchObject({ status: "submitted", final: true });
    expect(jobStatus((await bed.job(jobId)).status)).toBe("submitted");
  }, 60_000);

  it("keeps running a job its buyer extended: at its time limit the chain's new end, and the receipt bills the new terms", async () => {
    // The escrow's shortest job is half an hour, longer than a test waits: the run's own limit is asked here by
    // hand, as the runtime asks it at the limit (host/runtime/process.test.ts runs that part on a short limit).
    const requests: RunRequest[] = [];
    const inner = new ProcessRuntime();
    const runtime: Runtime = { name: "process", run: (request) => (requests.push(request), inner.run(request)) };
    const config: HostConfig = { ...bed.config, journalDir: mkdtempSync(path.join(tmpdir(), "host-journal-")) };
    const agent = new HostAgent(config, hostChain(config), runtime);
    const jobId = await bed.createJob(countdown(8), 1800);
    const log = followed(agent, jobId);
    await agent.dispatch(await signed(jobId, countdown(8)));
    await waitFor("the run", async () => requests.length === 1, 30_000);
    const asked = Date.now();
    expect(await requests[0]!.extendedUntil!()).toBeUndefined(); // not extended: the limit ends the run

    const before = await bed.job(jobId);
    await bed.escrow("extend", [jobId, 1800]);
    const until = await requests[0]!.extendedUntil!();
    // The run's start on this machine's clock + the new hour: between the run's start and this read.
    expect(until).toBeGreaterThan(asked + 3_600_000 - 30_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 3_600_000);
    await log.until("the receipt", (d) => d.status === "submitted");
    expect(log.seen.find((d) => d.status === "extended")).toMatchObject({ maxDuration: 3600 });
    const after = await bed.job(jobId);
    expect(after.maxDuration).toBe(3600);
    expect(after.locked).toBe(before.locked * 2n);
    expect(after.used).toBe(billed(after.locked, after.startedAt, after.endedAt, 3600));
  }, 60_000);

  it("never tells the buyer its chain node's URL, where a provider's RPC key lives", async () => {
    const secret = "v3/0123456789abcdef-provider-api-key";
    let refuse = true;
    // A rate-limited RPC (429) answers the agent's first transactions.
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString();
        if (refuse && body.includes("eth_sendRawTransaction")) {
          res.writeHead(429, { "content-type": "application/json" });
          return void res.end(JSON.stringify({ error: "rate limited" }));
        }
        void fetch(bed.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body }).then(
          async (r) => {
            res.writeHead(r.status, { "content-type": "application/json" });
            res.end(await r.text());
          },
        );
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const config: HostConfig = {
        ...bed.config,
        rpcUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/${secret}`,
        journalDir: mkdtempSync(path.join(tmpdir(), "host-journal-")),
      };
      const agent = new HostAgent(config, hostChain(config), new ProcessRuntime());
      const jobId = await bed.createJob(printer);
      const log = followed(agent, jobId);
      await agent.dispatch(await signed(jobId, printer));
      await log.until("a refusal", (d) => d.status === "retrying" || d.status === "error");
      const said = () => JSON.stringify(log.seen);
      expect(said()).not.toContain(secret);
      expect(said()).not.toContain("127.0.0.1");
      refuse = false;
      await log.until("the receipt", (d) => d.status === "submitted");
      expect(said()).not.toContain(secret);
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  }, 60_000);
});

describe("the host's own time to start", () => {
  it("refuses a dispatch that leaves too little time to start: no acknowledgement, so no no-show, for a last-second dispatch", async () => {
    const jobId = await bed.createJob(hello);
    await bed.advance(TEST_ESCROW_CONFIG.startTimeout - START_LEAD_SECONDS + 1);
    const answer = await bed.dispatch(jobId, hello);
    expect(answer.status).toBe(409);
    const { error, ack } = (await answer.json()) as { error: string; ack?: Hex };
    expect(error).toMatch(/too late to start it\. Cancel it\.$/);
    expect(ack).toBeUndefined();
    await bed.escrow("cancel", [jobId, "0x"]);
  }, 30_000);

  it("cancels jobs nobody started once anyone may, freeing their GPUs and collecting the reservation fee", async () => {
    const jobId = await bed.createJob(hello); // booked, never dispatched
    const { locked } = await bed.job(jobId);
    const busy = async () => (await readRegistry<{ gpusBusy: number }>("host", [bed.hostId])).gpusBusy;
    const before = await busy();
    expect(before).toBeGreaterThanOrEqual(2);
    const stop = releaseHeldGpus(
      bed.chain,
      () => bed.hostId,
      () => undefined,
      1,
    );
    try {
      await new Promise((r) => setTimeout(r, 2_500)); // a check or two: not due yet
      expect(jobStatus((await bed.job(jobId)).status)).toBe("created");
      await bed.advance(2 * TEST_ESCROW_CONFIG.startTimeout);
      await expect.poll(async () => jobStatus((await bed.job(jobId)).status), { timeout: 15_000 }).toBe("cancelled");
    } finally {
      stop();
    }
    expect(await busy()).toBeLessThanOrEqual(before - 2); // its GPUs (and those of any other job nobody started)
    const fee = await bed.read<bigint>(bed.contracts.JobEscrow, "JobEscrow", "reservationFee", [jobId]);
    expect(fee).toBe(locked / 2n); // two start timeouts of an hour's job, to the provider
  }, 60_000);
});

describe("an agent serves its configured provider only", () => {
  it("consents for its provider alone, then serves the host that provider registers with its signer", async () => {
    const { contracts, provider } = bed;
    const signerKey = generatePrivateKey();
    const signer = privateKeyToAccount(signerKey).address;
    const agent = await startAgent({ signerKey, provider: provider.address });
    try {
      await agent.ready();
      expect(await agent.health()).toMatchObject({ hostId: null, signer, provider: provider.address });

      const stranger = anvilAccount(3).address;
      const wrong = await agent.post("/consent", { provider: stranger });
      expect(wrong.status).toBe(403);
      expect(((await wrong.json()) as { error: string }).error).toMatch(
        new RegExp(`serves provider ${provider.address}, not ${stranger}`),
      );
      expect((await agent.post("/consent", { provider: "0x1234" })).status).toBe(400);
      expect((await agent.post("/consent", { provider: provider.address, extra: 1 })).status).toBe(400);

      const answer = await agent.post("/consent", { provider: provider.address.toLowerCase() });
      expect(answer.status).toBe(200);
      const consent = (await answer.json()) as { provider: Address; signer: Address; deadline: string; signature: Hex };
      expect(consent).toMatchObject({
        provider: provider.address,
        signer,
        signature: expect.stringMatching(signature65),
      });
      const deadline = BigInt(consent.deadline);
      expect(deadline - (await chainNow())).toBeGreaterThan(3500n); // an hour of chain time
      const message = { provider: provider.address, deadline };
      expect(await readRegistry("signerConsentDigest", [provider.address, deadline])).toBe(
        signerConsentDigest(LOCAL_CHAIN_ID, contracts.ProviderRegistry, message),
      );
      expect(await recoverConsentSigner(LOCAL_CHAIN_ID, contracts.ProviderRegistry, message, consent.signature)).toBe(
        signer,
      );

      await bed.rpc("anvil_setBalance", [signer, toHex(10n ** 18n)]);
      await provider.send(contracts.ProviderRegistry, registryAbi(), "registerHost", [
        {
          signer,
          classId: toHex("h100-sxm", { size: 32 }),
          gpuCount: 8,
          listedUntil: (await chainNow()) + 30n * 86_400n,
          endpoint: agent.url,
          region: "test",
        },
        deadline,
        consent.signature,
      ]);
      const hostId = await readRegistry<bigint>("hostCount");
      expect(await readRegistry<bigint>("hostOfSigner", [signer])).toBe(hostId);
      const again = await agent.post("/consent", { provider: provider.address });
      expect(again.status).toBe(409);
      expect(((await again.json()) as { error: string }).error).toMatch(new RegExp(`already serves host #${hostId}`));

      // Dispatched at once, before the agent's own look: it finds its host when the job names one.
      const jobId = await bed.createJob(hello, 3600, hostId);
      expect((await bed.dispatch(jobId, hello, bed.buyerAccount, agent.url)).status).toBe(202);
      expect(await agent.health()).toMatchObject({ hostId: Number(hostId), signer, provider: provider.address });
      expect((await statuses(jobId, undefined, agent.url)).map((s) => s.label)).toEqual([
        "accepted",
        "started",
        "ended",
        "signed",
        "submitted",
      ]);
    } finally {
      agent.kill();
    }
  }, 90_000);

  it("does not serve a host another provider registered with its signer, and says so once", async () => {
    const signerKey = generatePrivateKey();
    const signer = privateKeyToAccount(signerKey).address;
    const agent = await startAgent({ signerKey, provider: bed.provider.address });
    try {
      await agent.ready();
      // Provider B holds the key's consent for B (signed with the key itself, as a squatter who had it could).
      const other = anvilAccount(3);
      const [hostId] = await withAutomine(bed.anvil, () =>
        listProvider(bed.rpcUrl, bed.contracts, other, {
          hosts: [{ signerKey, classId: "h100-sxm", gpus: 8, listedForSeconds: 30n * 86_400n, endpoint: agent.url }],
          stakeUsdc: parseUnits("10000", 6),
          credits: parseUnits("1", 18),
          creditsTo: other.address,
        }),
      );
      const jobId = await bed.createJob(hello, 3600, hostId);
      const refused = await bed.dispatch(jobId, hello, bed.buyerAccount, agent.url);
      expect(refused.status).toBe(403);
      await new Promise((r) => setTimeout(r, 2_500)); // its own look, every 2 s
      expect((await agent.health()).hostId).toBeNull();
      expect((await agent.post("/consent", { provider: bed.provider.address })).status).toBe(409);
      const warnings = agent
        .output()
        .split("\n")
        .filter((line) => line.startsWith("warning:"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(
        `host #${hostId} was registered with this agent's signer ${signer} by provider ${other.address}`,
      );
      expect(warnings[0]).toContain(`serves provider ${bed.provider.address}`);
      await bed.escrow("cancel", [jobId, "0x"]);
    } finally {
      agent.kill();
    }
  }, 90_000);

  it("refuses to start for a configured host of another provider, or another signer", async () => {
    const stranger = anvilAccount(3).address;
    const wrongProvider = await startAgent({
      signerKey: bed.signerKey,
      provider: stranger,
      hostId: Number(bed.hostId),
    });
    expect(await wrongProvider.exited).toBe(1);
    expect(wrongProvider.output()).toContain(
      `provider: host #${bed.hostId} belongs to provider ${bed.provider.address}, not ${stranger}`,
    );
    const wrongSigner = await startAgent({
      signerKey: generatePrivateKey(),
      provider: bed.provider.address,
      hostId: Number(bed.hostId),
    });
    expect(await wrongSigner.exited).toBe(1);
    expect(wrongSigner.output()).toMatch(/signerKey: its address 0x[0-9a-fA-F]{40} is not host #\d+'s signer/);
  }, 60_000);
});

describe("the price duty", () => {
  it("records a reading when the newest is half a window old, and sends nothing while none is due", async () => {
    const operator = privateKeyToAccount(bed.config.operatorKey).address;
    const newest = async () => (await readRegistry<readonly bigint[]>("priceState"))[3]!;
    const sent = () => bed.deployer.client.getTransactionCount({ address: operator });
    // Make sure a reading is not due yet: record one now.
    await withAutomine(bed.anvil, () =>
      localSigner(bed.rpcUrl).send(bed.contracts.ProviderRegistry, registryAbi(), "observe", []),
    );
    const before = await newest();
    const nonce = await sent();
    const stop = keepPriceFresh(bed.chain, 1);
    try {
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await newest()).toBe(before);
      expect(await sent()).toBe(nonce);

      await bed.advance(TEST_TWAP_WINDOW / 2);
      await waitFor("a price reading", async () => (await newest()) > before, 10_000);
      expect(await sent()).toBe(nonce + 1);
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await sent()).toBe(nonce + 1);
    } finally {
      stop();
    }
  }, 30_000);
});

describe("crash recovery", () => {
  it("resumes after the host is killed mid-job: the run is killed, billed to its last sign of life, paid once", async () => {
    const jobId = await bed.createJob(countdown(600));
    const startAgentProcess = async (dir?: string) => {
      const agent = await startAgent({
        signerKey: bed.signerKey,
        provider: bed.provider.address,
        hostId: Number(bed.hostId),
        heartbeatSeconds: 1,
        ...(dir ? { journalDir: path.join(dir, "journal") } : {}),
      });
      await agent.ready();
      return agent;
    };

    const first = await startAgentProcess();
    expect((await bed.dispatch(jobId, countdown(600), bed.buyerAccount, first.url)).status).toBe(202);
    let lastId = 0;
    await bed
      .events(
        jobId,
        ({ type, data, id }) => {
          lastId = id;
          if (type === "log" && String(data.text).includes("597 s left")) throw new Stop();
        },
        first.url,
      )
      .catch((e: unknown) => {
        if (!(e instanceof Stop)) throw e;
      });
    const pid = (
      JSON.parse(readFileSync(path.join(first.dir, "journal", `job-${jobId}.json`), "utf8")) as { pid: number }
    ).pid;
    first.kill(); // the agent (tsx and its node) dies; the job, in its own group, runs on
    expect(alive(pid)).toBe(true);

    const second = await startAgentProcess(first.dir);
    try {
      const seen = await statuses(jobId, undefined, second.url, lastId);
      expect(seen.map((s) => s.label)).toEqual(["interrupted", "signed", "submitted"]);
      expect(alive(pid)).toBe(false);
      const job = await bed.job(jobId);
      expect(jobStatus(job.status)).toBe("submitted");
      // Killed about 3 s in, with a heartbeat a second: billed to then (the first minute), never the time it was down.
      expect(job.endedAt - job.startedAt).toBeLessThan(15n);
      expect(job.used).toBe(usageCap(job.locked, 60, 3600));
    } finally {
      second.kill();
    }
  }, 90_000);
});
