/**
 * The host agent's HTTP API against hostile clients, all real: anvil, the contracts, an agent and its server.
 * A client that stops reading, many clients that never read, malformed request targets: none of them may crash
 * the agent, stall it, or make its memory grow with the job's output.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_EXPIRY_HEADER, ACCESS_SIGNATURE_HEADER } from "../lib/protocol/jobSignatures";
import type { JobSpec } from "../lib/jobs/spec";
import { processHostHealth, startHostBed, stopHostBed, type HostBed } from "../scripts/lib/hostbed";
import { waitFor } from "../scripts/lib/proc";
import { HostAgent } from "./agent";
import { hostChain } from "./hostChain";
import type { HostConfig } from "./config";
import { ProcessRuntime } from "./runtime/process";
import { hostServer, MAX_CONNECTIONS_PER_ADDRESS, MAX_STREAMS_PER_BUYER, MAX_STREAMS_PER_JOB } from "./server";

/** Prints `mib` MiB of control bytes, each of which JSON escapes as six characters: the log on disk is 6× that. */
const noisy = (mib: number): JobSpec => ({
  version: 1,
  image: "node:22-slim",
  command: [
    "node",
    "-e",
    `const b = Buffer.alloc(1 << 16, 1); let n = ${mib * 16}; const w = () => { while (n > 0) { n--; if (!process.stdout.write(b)) return process.stdout.once("drain", w); } }; w();`,
  ],
  env: {},
});

let bed: HostBed;
let agent: HostAgent;
let server: Server;
let url: URL;
let uncaught: unknown[];
const onUncaught = (error: unknown) => uncaught.push(error);

beforeAll(async () => {
  bed = await startHostBed();
  // An agent of the bed's host with room for a big log, behind a server whose keep-alive and stall are short.
  const config: HostConfig = {
    ...bed.config,
    outputCapBytes: 64 << 20,
    journalDir: mkdtempSync(path.join(tmpdir(), "host-journal-")),
  };
  agent = new HostAgent(config, hostChain(config), new ProcessRuntime());
  server = hostServer(agent, processHostHealth(config, bed.chain.signer), {
    keepAliveMs: 50,
    stallMs: 1_000,
    lifetimeMs: 20_000,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  uncaught = [];
  process.on("uncaughtException", onUncaught);
}, 120_000);
afterAll(async () => {
  process.off("uncaughtException", onUncaught);
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await stopHostBed(bed);
});

/** Runs `spec` on the test's agent to its final event; returns the job id. */
async function finishedJob(spec: JobSpec): Promise<bigint> {
  const jobId = await bed.createJob(spec);
  const body = await bed.dispatchBody(jobId, spec);
  await agent.dispatch({ jobId, spec, expiry: BigInt(body.expiry), signature: body.signature });
  const cursor = agent.events(jobId).cursor(0);
  await waitFor(
    "the job's final event",
    async () => {
      for (let events = await cursor.read(); events.length > 0; events = await cursor.read()) {
        if (events.some((e) => e.type === "status" && e.data.final === true)) return true;
      }
      return false;
    },
    90_000,
  );
  await cursor.close();
  return jobId;
}

/** Opens a job's event stream on a raw socket that never reads: the client an attacker writes. */
async function nonReader(jobId: bigint): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { expiry, signature } = await bed.access(jobId, "events");
  const socket = connect(Number(url.port), url.hostname);
  // Reads the answer's first chunk, to know the stream started, then nothing more.
  let started = false;
  socket.once("data", () => {
    started = true;
    socket.pause();
  });
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.on("error", () => undefined);
  socket.write(
    `GET /jobs/${jobId}/events HTTP/1.1\r\nhost: agent\r\n${ACCESS_EXPIRY_HEADER}: ${expiry}\r\n${ACCESS_SIGNATURE_HEADER}: ${signature}\r\n\r\n`,
  );
  await waitFor("the stream to start", async () => started, 20_000);
  return { socket, closed };
}

/** A request's status line, sent raw (fetch would normalise the target), from `from` (a loopback address). */
function rawStatus(request: string, from = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(url.port), host: url.hostname, localAddress: from });
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on("error", reject);
    socket.write(request);
  });
}

/** The agent's /health status, on a connection of its own that closes. */
const healthy = () => rawStatus("GET /health HTTP/1.1\r\nhost: agent\r\nconnection: close\r\n\r\n");

describe("the agent's event streams against clients that do not read", () => {
  let jobId: bigint;
  beforeAll(async () => {
    jobId = await finishedJob(noisy(8));
  }, 120_000);

  it("a client that stops reading a finished job's stream neither crashes nor stalls the agent, and is dropped", async () => {
    const connections = () =>
      new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
    const { socket } = await nonReader(jobId);
    // Well past many keep-alive periods: a keep-alive written after the stream ended would be an uncaught error.
    await new Promise((r) => setTimeout(r, 500));
    expect(await healthy()).toBe(200);
    // The client never takes the 48 MiB: after the stall time the agent drops it (it may resume with Last-Event-ID).
    await waitFor("the agent to drop the stalled stream", async () => (await connections()) === 0, 10_000);
    socket.destroy();
    expect(uncaught).toEqual([]);
  }, 30_000);

  it("eight clients that never read keep the agent's memory flat, and the ninth on a job is refused", async () => {
    const before = process.memoryUsage().rss;
    const clients = await Promise.all(Array.from({ length: MAX_STREAMS_PER_JOB }, () => nonReader(jobId)));
    await new Promise((r) => setTimeout(r, 700)); // under the stall time: every stream is open and blocked
    const grown = process.memoryUsage().rss - before;
    expect(await healthy()).toBe(200);
    const { expiry, signature } = await bed.access(jobId, "events");
    const ninth = await fetch(new URL(`/jobs/${jobId}/events`, url), {
      headers: { [ACCESS_EXPIRY_HEADER]: expiry, [ACCESS_SIGNATURE_HEADER]: signature },
    });
    expect(ninth.status).toBe(429);
    expect(await ninth.json()).toEqual({ error: expect.stringContaining(`${MAX_STREAMS_PER_JOB} open event streams`) });
    for (const c of clients) c.socket.destroy();
    await Promise.all(clients.map((c) => c.closed));
    // Each blocked stream holds one read of the log (64 KiB) and what the socket took, not the log (48 MiB each).
    expect(grown).toBeLessThan(64 << 20);
    expect(uncaught).toEqual([]);
    // Their slots are free again.
    await waitFor(
      "a stream slot",
      async () => {
        const again = await fetch(new URL(`/jobs/${jobId}/events`, url), {
          headers: { [ACCESS_EXPIRY_HEADER]: expiry, [ACCESS_SIGNATURE_HEADER]: signature, "last-event-id": "999999" },
        });
        await again.body?.cancel();
        return again.status === 200;
      },
      10_000,
    );
  }, 60_000);
});

describe("the agent's request targets", () => {
  it("answers every malformed target with a 4xx, never a 500", async () => {
    for (const target of [
      "//",
      "//x/y",
      "/jobs//events",
      "/jobs/abc/events",
      "/jobs/1/events/x",
      "/%",
      "/jobs/%ff/stop",
      "*",
      "http://agent/health",
    ]) {
      const status = await rawStatus(`GET ${target} HTTP/1.1\r\nhost: agent\r\nconnection: close\r\n\r\n`);
      expect({ target, status: status >= 400 && status < 500 }).toEqual({ target, status: true });
    }
    expect(await healthy()).toBe(200);
  });

  it("takes the Access signature from the headers, or from the query string (for EventSource)", async () => {
    const jobId = await finishedJob({
      version: 1,
      image: "node:22-slim",
      command: ["node", "-e", "console.log('hi')"],
      env: {},
    });
    const { expiry, signature } = await bed.access(jobId, "events");
    const byQuery = await fetch(new URL(`/jobs/${jobId}/events?expiry=${expiry}&signature=${signature}`, url));
    expect(byQuery.status).toBe(200);
    expect(await byQuery.text()).toContain("event: status");
    const byHeaders = await fetch(new URL(`/jobs/${jobId}/events`, url), {
      headers: { [ACCESS_EXPIRY_HEADER]: expiry, [ACCESS_SIGNATURE_HEADER]: signature },
    });
    expect(byHeaders.status).toBe(200);
    expect(await byHeaders.text()).toContain("event: status");
  }, 60_000);
});

describe("the agent's slots", () => {
  it("counts a job from its dispatch: jobs accepted faster than they start never exceed maxConcurrentJobs", async () => {
    const config: HostConfig = {
      ...bed.config,
      maxConcurrentJobs: 2,
      journalDir: mkdtempSync(path.join(tmpdir(), "host-journal-")),
    };
    const real = hostChain(config);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Starts land only once the test lets them: every dispatch below arrives while none has started.
    const slow = new HostAgent(
      config,
      { ...real, start: async (id) => (await held, real.start(id)) },
      new ProcessRuntime(),
    );
    const spec: JobSpec = { version: 1, image: "node:22-slim", command: ["node", "-e", "console.log('ok')"], env: {} };
    const dispatch = async () => {
      const jobId = await bed.createJob(spec);
      const body = await bed.dispatchBody(jobId, spec);
      return slow.dispatch({ jobId, spec, expiry: BigInt(body.expiry), signature: body.signature }).then(
        () => 202,
        (error: { status?: number }) => error.status,
      );
    };
    expect([await dispatch(), await dispatch(), await dispatch()]).toEqual([202, 202, 503]);
    expect(slow.freeSlots).toBe(0);
    release();
    await waitFor("the slots to come back", async () => slow.freeSlots === 2, 60_000);
  }, 120_000);
});

describe("the agent against clients that hold what they can", () => {
  const streamOf = async (jobId: bigint, lastEventId: number, signal?: AbortSignal) => {
    const { expiry, signature } = await bed.access(jobId, "events");
    return fetch(new URL(`/jobs/${jobId}/events`, url), {
      headers: {
        [ACCESS_EXPIRY_HEADER]: expiry,
        [ACCESS_SIGNATURE_HEADER]: signature,
        "last-event-id": String(lastEventId),
      },
      ...(signal ? { signal } : {}),
    });
  };

  it("ends at once a stream asked from past the end of a finished job's log", async () => {
    const jobId = await finishedJob({
      version: 1,
      image: "node:22-slim",
      command: ["node", "-e", "console.log('hi')"],
      env: {},
    });
    const answer = await streamOf(jobId, 999_999);
    expect(answer.status).toBe(200);
    // The whole answer arrives and ends: no event, no waiting for one that will never come.
    expect((await answer.text()).trim()).toBe(": stream");
  }, 60_000);

  it("gives no stream for a job cancelled before it ever ran here (one would wait for nothing, for free)", async () => {
    const spec: JobSpec = { version: 1, image: "node:22-slim", command: ["node", "-e", "0"], env: {} };
    const jobId = await bed.createJob(spec);
    // Booked a few seconds before: a cancel in the very second of the booking is estimated without its
    // reservation fee's transfer (none is due yet) and can run out of gas once mined a second later.
    await bed.advance(5);
    await bed.escrow("cancel", [jobId, "0x"]);
    const answer = await streamOf(jobId, 0, AbortSignal.timeout(5_000));
    expect(answer.status).toBe(409);
    expect(await answer.json()).toEqual({ error: expect.stringContaining("never ran on this host") });
  }, 60_000);

  it("caps one buyer's open streams over all its jobs", async () => {
    // Jobs booked and never dispatched: their streams wait for events that do not come.
    const spec: JobSpec = { version: 1, image: "node:22-slim", command: ["node", "-e", "0"], env: {} };
    const jobs = [await bed.createJob(spec), await bed.createJob(spec), await bed.createJob(spec)];
    const held = new AbortController();
    const open: Response[] = [];
    for (const jobId of jobs.slice(0, 2)) {
      for (let i = 0; i < MAX_STREAMS_PER_BUYER / 2; i++) open.push(await streamOf(jobId, 0, held.signal));
    }
    expect(open.map((r) => r.status)).toEqual(Array(MAX_STREAMS_PER_BUYER).fill(200));
    const more = await streamOf(jobs[2]!, 0);
    expect(more.status).toBe(429);
    expect(await more.json()).toEqual({
      error: expect.stringContaining(`${MAX_STREAMS_PER_BUYER} open event streams`),
    });
    held.abort();
    await waitFor(
      "the buyer's slots",
      async () => {
        const again = await streamOf(jobs[2]!, 0, AbortSignal.timeout(2_000)).catch(() => undefined);
        await again?.body?.cancel().catch(() => undefined);
        return again?.status === 200;
      },
      10_000,
    );
    // Their GPUs back for the tests after this one.
    for (const jobId of jobs) await bed.escrow("cancel", [jobId, "0x"]);
  }, 60_000);

  it("drops idle connections past its cap per address at once, and the rest within seconds; others still get in", async () => {
    const sockets = Array.from({ length: MAX_CONNECTIONS_PER_ADDRESS + 40 }, () => {
      const socket = connect(Number(url.port), url.hostname);
      socket.resume(); // reads whatever comes (nothing will), so its end is seen
      const closed = new Promise<number>((resolve) => socket.on("close", () => resolve(Date.now())));
      socket.on("error", () => undefined);
      return { socket, closed };
    });
    const opened = Date.now();
    // Another address is served at once.
    expect(await rawStatus("GET /health HTTP/1.1\r\nhost: agent\r\nconnection: close\r\n\r\n", "127.0.0.2")).toBe(200);
    const closedAt = await Promise.all(sockets.map((s) => s.closed));
    const within = closedAt.map((t) => t - opened).sort((a, b) => a - b);
    expect(within[39]!).toBeLessThan(2_000); // the 40 over the cap: refused as they arrived
    expect(within.at(-1)!).toBeLessThan(15_000); // the rest: no headers in 10 s, checked every second
  }, 30_000);
});

describe.runIf(process.getuid?.() === 0)("the agent on a full disk", () => {
  it("stops the job whose output cannot be kept, and lives on", async () => {
    const journalDir = mkdtempSync(path.join(tmpdir(), "host-journal-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", journalDir]);
    try {
      const config: HostConfig = { ...bed.config, outputCapBytes: 64 << 20, journalDir };
      const small = new HostAgent(config, hostChain(config), new ProcessRuntime());
      const spec = noisy(4); // a 24 MiB log for a 2 MiB disk
      const jobId = await bed.createJob(spec);
      const body = await bed.dispatchBody(jobId, spec);
      await small.dispatch({ jobId, spec, expiry: BigInt(body.expiry), signature: body.signature });
      await waitFor(
        "the run to stop",
        async () => small.events(jobId).failure !== undefined && small.freeSlots === config.maxConcurrentJobs,
        60_000,
      );
      expect(small.events(jobId).failure?.message).toMatch(/ENOSPC/);
      expect(uncaught).toEqual([]);
    } finally {
      execFileSync("umount", ["-l", journalDir]);
    }
  }, 90_000);
});
