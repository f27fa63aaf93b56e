/**
 * Services and files through the app's route and a host agent, all real: anvil, the contracts, an agent running
 * its jobs with the process runtime, and the route's relay (lib/server/tokenRelay.ts) called as Next calls it.
 * A job's service answers its buyer only; strangers, expired tokens, other jobs' tokens and other scopes are
 * refused; bodies and time have limits; the service dies with the job. A job's inputs are uploaded, read, and
 * its outputs listed, downloaded and covered by the receipt; traversal and oversize are refused.
 */
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { tmpdir } from "node:os";
import path from "node:path";
import { keccak256, stringToBytes, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostAgent } from "../../host/agent";
import { FILES_DEFAULTS, SERVICES_DEFAULTS, type HostConfig } from "../../host/config";
import { hostChain } from "../../host/hostChain";
import { ProcessRuntime } from "../../host/runtime/process";
import { hostServer } from "../../host/server";
import { anvilAccount } from "../../scripts/lib/localchain";
import { processHostHealth, startHostBed, stopHostBed, type HostBed } from "../../scripts/lib/hostbed";
import { waitFor } from "../../scripts/lib/proc";
import type { JobSpec } from "../jobs/spec";
import { filesAnswerSchema, manifestHash } from "../protocol/files";
import { relayWithToken } from "./tokenRelay";

const SERVICE: JobSpec = {
  version: 1,
  image: "node:22-slim",
  command: [
    "node",
    "-e",
    [
      "const http = require('node:http');",
      "http.createServer((req, res) => {",
      "  if (req.url.startsWith('/slow')) return;",
      "  if (req.url.startsWith('/page')) { res.writeHead(302, { 'content-type': 'text/html', location: 'https://evil.example/', 'clear-site-data': '\"storage\"' }); return res.end('<form action=https://evil.example>'); }",
      "  if (req.url.startsWith('/big')) { res.writeHead(200); const b = Buffer.alloc(1 << 16, 97); let n = 64;",
      "    const w = () => { while (n > 0) { n--; if (!res.write(b)) return res.once('drain', w); } res.end(); }; return w(); }",
      "  let size = 0; req.on('data', (c) => (size += c.length));",
      "  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'a=1' });",
      "    res.end(JSON.stringify({ method: req.method, url: req.url, size, authorization: req.headers.authorization ?? null, prefix: req.headers['x-forwarded-prefix'] ?? null, cookie: req.headers.cookie ?? null, forwardedFor: req.headers['x-forwarded-for'] ?? null })); });",
      "}).listen(Number(process.env.HOURGLASS_PORT_8000), '0.0.0.0', () => console.log('listening'));",
    ].join("\n"),
  ],
  env: {},
  ports: [8000],
};

const FILES_JOB: JobSpec = {
  version: 1,
  image: "node:22-slim",
  command: [
    "node",
    "-e",
    [
      "const fs = require('node:fs'), path = require('node:path');",
      "const input = fs.readFileSync(path.join(process.env.HOURGLASS_INPUTS, 'data.txt'), 'utf8');",
      "const out = process.env.HOURGLASS_OUTPUTS;",
      "fs.mkdirSync(path.join(out, 'ckpt'));",
      "fs.writeFileSync(path.join(out, 'result.txt'), input.toUpperCase());",
      "fs.writeFileSync(path.join(out, 'ckpt', 'step-1.bin'), Buffer.alloc(3000, 7));",
      "fs.symlinkSync('/etc/passwd', path.join(out, 'leak'));",
      "console.log('done');",
    ].join("\n"),
  ],
  env: {},
};

let bed: HostBed;
let agent: HostAgent;
let server: Server;
let unwatch: () => void;

beforeAll(async () => {
  bed = await startHostBed();
  // Small limits, to reach them: 1 MiB bodies and inputs, 3 s per request.
  const config: HostConfig = {
    ...bed.config,
    journalDir: mkdtempSync(path.join(tmpdir(), "host-journal-")),
    services: { ...SERVICES_DEFAULTS, allow: true, maxRequestBytes: 1 << 20, requestTimeoutSeconds: 3 },
    files: { ...FILES_DEFAULTS, maxInputBytes: 1 << 20 },
  };
  // As the agent runs (as root: each job a user of its own), so the job reaches only what it is given.
  agent = new HostAgent(config, hostChain(config), ProcessRuntime.forThisMachine());
  unwatch = agent.watchChain(500);
  server = hostServer(agent, processHostHealth(config, bed.chain.signer));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  await bed.setEndpoint(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}, 120_000);
afterAll(async () => {
  unwatch?.();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await stopHostBed(bed);
});

/** The route as Next calls it, for `path` under /api/ with `token`. */
function route(
  action: "service" | "files",
  jobId: bigint,
  path: string,
  token: string | undefined,
  init: RequestInit = {},
): Promise<Response> {
  const request = new Request(`http://app.test/api/${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
    ...(init.body ? { duplex: "half" } : {}),
  } as RequestInit);
  return relayWithToken(
    { rawId: String(jobId), action, hostPath: path, request, client: "test", prefix: `/api/jobs/${jobId}/http/8000` },
    bed.ctx,
  );
}

async function dispatched(spec: JobSpec): Promise<bigint> {
  const jobId = await bed.createJob(spec);
  const body = await bed.dispatchBody(jobId, spec);
  await agent.dispatch({ jobId, spec, expiry: BigInt(body.expiry), signature: body.signature });
  return jobId;
}

async function finalEvent(jobId: bigint) {
  const cursor = agent.events(jobId).cursor(0);
  try {
    await waitFor(
      "the job's final event",
      async () => {
        for (let events = await cursor.read(); events.length > 0; events = await cursor.read())
          if (events.some((e) => e.type === "status" && e.data.final === true)) return true;
        return false;
      },
      60_000,
    );
  } finally {
    await cursor.close();
  }
}

describe("a job's service through the route", () => {
  let jobId: bigint;
  let token: string;
  const call = (path: string, init?: RequestInit, as = token) =>
    route("service", jobId, `jobs/${jobId}/http/8000${path}`, as, init);

  beforeAll(async () => {
    jobId = await dispatched(SERVICE);
    token = await bed.token(jobId, "service");
    await waitFor("the service to answer", async () => (await call("/")).status === 200, 30_000);
  }, 60_000);

  it("answers its buyer, every method, with the path, query and body; the token never reaches the job", async () => {
    const answer = await call("/v1/chat?x=1%202", { method: "POST", body: "hello" });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      method: "POST",
      url: "/v1/chat?x=1%202",
      size: 5,
      authorization: null,
      prefix: `/api/jobs/${jobId}/http/8000`,
      cookie: null,
      forwardedFor: null,
    });
    // What the job serves never acts as the app: sandboxed, uncached, no cookie of its own on the app's domain.
    expect(answer.headers.get("content-security-policy")).toMatch(/^sandbox; default-src 'none'/);
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    expect(answer.headers.get("cache-control")).toBe("private, no-store");
    expect(answer.headers.get("set-cookie")).toBeNull();
    expect(answer.headers.get("content-type")).toBe("application/json");
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const r = await call("/x", { method, body: "ab" });
      const t = await r.text();
      expect(t, `${method} ${r.status}`).toContain(method);
      expect(JSON.parse(t)).toMatchObject({ method, size: 2 });
    }
    // A page, a redirect off the app, and a wipe of the app's storage: inert text, nothing acting on the origin.
    const page = await call("/page");
    expect(page.status).toBe(302);
    expect(page.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(page.headers.get("location")).toBeNull();
    expect(page.headers.get("clear-site-data")).toBeNull();
    // Who the buyer is, and the cookies of the app's domain, never reach the job.
    const echoed = await (
      await call("/who", { headers: { cookie: "session=1", "x-forwarded-for": "1.2.3.4" } })
    ).json();
    expect(echoed).toMatchObject({ cookie: null, forwardedFor: null });
    const big = await call("/big");
    expect((await big.arrayBuffer()).byteLength).toBe(64 << 16);
  });

  it("refuses a stranger, an expired token, another job's token, another scope and no token", async () => {
    const stranger = await bed.token(jobId, "service", anvilAccount(5));
    expect((await call("/", {}, stranger)).status).toBe(401);
    expect(await (await call("/", {}, stranger)).json()).toMatchObject({ error: expect.stringMatching(/buyer/) });
    const expired = await bed.token(jobId, "service", undefined, BigInt(Math.floor(Date.now() / 1000) - 1));
    expect(await (await call("/", {}, expired)).json()).toMatchObject({ error: expect.stringMatching(/expired/) });
    const other = await bed.token(jobId + 1000n, "service");
    expect((await call("/", {}, other)).status).toBe(403);
    const events = await bed.token(jobId, "events");
    expect(await (await call("/", {}, events)).json()).toMatchObject({
      error: expect.stringMatching(/not its service/),
    });
    expect((await call("/", {}, "")).status).toBe(401);
    expect((await call("/", {}, "hg1.service.1.2.zz")).status).toBe(401);
    // Straight to the host, a token the route never saw is checked there too.
    const direct = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jobs/${jobId}/http/8000/`, {
      headers: { authorization: `Bearer ${stranger}` },
    });
    expect(direct.status).toBe(401);
  });

  it("remembers what cannot change: a token's requests read the chain once, the host's endpoint for 15 s", async () => {
    let reads = 0;
    const counting = {
      ...bed.ctx,
      endpointTtlMs: undefined,
      client: {
        ...bed.ctx.client,
        readContract: ((...args: Parameters<typeof bed.ctx.client.readContract>) => {
          reads++;
          return bed.ctx.client.readContract(...args);
        }) as typeof bed.ctx.client.readContract,
      },
    };
    const request = (as: string) =>
      relayWithToken(
        {
          rawId: String(jobId),
          action: "service",
          hostPath: `jobs/${jobId}/http/8000/`,
          request: new Request(`http://app.test/api/jobs/${jobId}/http/8000/`, {
            headers: { authorization: `Bearer ${as}` },
          }),
          client: "test",
        },
        counting,
      );
    expect((await request(token)).status).toBe(200);
    // The job's parties were known from the tests before (the same client); its host is read once here.
    const first = reads;
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual(2);
    for (let i = 0; i < 4; i++) expect((await request(token)).status).toBe(200);
    expect(reads).toBe(first);
    // Another token of the job's buyer: its signer is recovered, the job and host are known.
    expect(
      (await request(await bed.token(jobId, "service", undefined, BigInt(Math.floor(Date.now() / 1000) + 900)))).status,
    ).toBe(200);
    expect(reads).toBe(first);
    // A stranger's token is still refused from what is remembered.
    expect((await request(await bed.token(jobId, "service", anvilAccount(5)))).status).toBe(401);
  });

  it("cuts a body over the host's cap and a request over its time", async () => {
    const huge = await call("/", { method: "POST", body: new Uint8Array((1 << 20) + 1) });
    expect(huge.status).toBe(413);
    const slow = await call("/slow");
    expect(slow.status).toBe(504);
    expect(await slow.json()).toMatchObject({ error: expect.stringMatching(/took over 3 s/) });
  }, 20_000);

  it("refuses a port the job did not declare, and dies with the job", async () => {
    const undeclared = await route("service", jobId, `jobs/${jobId}/http/9000/`, token);
    expect(undeclared.status).toBe(404);
    await bed.escrow("stop", [jobId]);
    await waitFor("the job to stop", async () => (await call("/")).status === 409, 20_000);
    expect(await (await call("/")).json()).toMatchObject({ error: expect.stringMatching(/not running/) });
  }, 30_000);
});

describe("a job's files through the route", () => {
  it("takes inputs before dispatch, keeps the outputs, and the receipt covers their manifest", async () => {
    const jobId = await bed.createJob(FILES_JOB);
    const token = await bed.token(jobId, "files");
    const files = (path: string, init?: RequestInit, as = token) =>
      route("files", jobId, `jobs/${jobId}/files${path}`, as, init);

    const put = await files("/inputs/data.txt", { method: "PUT", body: "hello files" });
    expect(put.status).toBe(201);
    const sha = (data: string | Uint8Array) => `0x${createHash("sha256").update(data).digest("hex")}`;
    expect(await put.json()).toEqual({ path: "data.txt", size: 11, sha256: sha("hello files") });
    // Traversal, hidden names, folders and oversize are refused; so is a stranger.
    for (const name of ["..%2Fescape", ".hidden", "a%2Fb"]) {
      const refused = await files(`/inputs/${name}`, { method: "PUT", body: "x" });
      expect(refused.status, name).toBe(400);
    }
    expect((await files("/inputs/huge.bin", { method: "PUT", body: new Uint8Array((1 << 20) + 1) })).status).toBe(413);
    const stranger = await bed.token(jobId, "files", anvilAccount(5));
    expect((await files("/inputs/x.txt", { method: "PUT", body: "x" }, stranger)).status).toBe(401);
    // A "download" token (what links carry) lists and reads, and never uploads; nor does a token in the query.
    const download = await bed.token(jobId, "download");
    expect((await files("", {}, download)).status).toBe(200);
    expect((await files("/inputs/x.txt", { method: "PUT", body: "x" }, download)).status).toBe(403);
    const queried = new Request(`http://app.test/api/jobs/${jobId}/files/inputs/x.txt?access_token=${token}`, {
      method: "PUT",
      body: "x",
    });
    const viaQuery = await relayWithToken(
      {
        rawId: String(jobId),
        action: "files",
        hostPath: `jobs/${jobId}/files/inputs/x.txt`,
        request: queried,
        client: "t",
      },
      bed.ctx,
    );
    expect(viaQuery.status).toBe(401);

    const body = await bed.dispatchBody(jobId, FILES_JOB);
    await agent.dispatch({ jobId, spec: FILES_JOB, expiry: BigInt(body.expiry), signature: body.signature });
    await finalEvent(jobId);
    expect((await files("/inputs/late.txt", { method: "PUT", body: "x" })).status).toBe(409);

    const listing = filesAnswerSchema.parse(await (await files("")).json());
    expect(listing.final).toBe(true);
    expect(listing.manifest).toEqual({
      inputs: [{ path: "data.txt", size: 11, sha256: sha("hello files") }],
      outputs: [
        { path: "ckpt/step-1.bin", size: 3000, sha256: sha(new Uint8Array(3000).fill(7)) },
        { path: "result.txt", size: 11, sha256: sha("HELLO FILES") },
      ],
      omitted: 1, // the link, never followed
    });
    expect(listing.manifestHash).toBe(manifestHash(listing.manifest));
    const fetched = await files("/outputs/result.txt");
    expect(fetched.headers.get("content-disposition")).toBe("attachment");
    expect(fetched.headers.get("content-type")).toBe("application/octet-stream");
    expect(fetched.headers.get("x-content-sha256")).toBe(sha("HELLO FILES").slice(2));
    expect(await fetched.text()).toBe("HELLO FILES");
    expect((await files("/outputs/leak")).status).toBe(404);
    expect((await files("/outputs/..%2F..%2Fmanifest.json")).status).toBe(404);

    // The receipt's result hash covers how the job ended, what it printed and the manifest.
    const receipt = () => bed.read<{ resultHash: Hex }>(bed.contracts.JobEscrow, "JobEscrow", "job", [jobId]);
    await waitFor("the receipt", async () => BigInt((await receipt()).resultHash) !== 0n, 30_000);
    const onChain = await receipt();
    const expected = keccak256(
      stringToBytes(
        JSON.stringify({ endReason: "exited", exitCode: 0, files: listing.manifestHash, output: "done\n" }),
      ),
    );
    expect(onChain.resultHash).toBe(expected);
  }, 90_000);

  it("attack: a dispatch never overlaps an upload, and one buyer holds at most two uploads at once", async () => {
    const [a, b, c] = [await bed.createJob(FILES_JOB), await bed.createJob(FILES_JOB), await bed.createJob(FILES_JOB)];
    const releases: (() => void)[] = [];
    async function* slow() {
      yield new TextEncoder().encode("hello ");
      await new Promise<void>((resolve) => releases.push(resolve));
      yield new TextEncoder().encode("files");
    }
    const uploads = [
      agent.putInput(await bed.chain.job(a), "data.txt", slow()),
      agent.putInput(await bed.chain.job(b), "data.txt", slow()),
    ];
    await waitFor("both uploads to start", async () => releases.length === 2, 5_000);
    await expect(
      agent.putInput(await bed.chain.job(c), "data.txt", Readable.from([Buffer.from("x")])),
    ).rejects.toMatchObject({ status: 429 });
    const body = await bed.dispatchBody(a, FILES_JOB);
    const dispatch = () =>
      agent.dispatch({ jobId: a, spec: FILES_JOB, expiry: BigInt(body.expiry), signature: body.signature });
    await expect(dispatch()).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/taking an upload/) });
    releases.forEach((release) => release());
    await Promise.all(uploads);
    await dispatch();
    // Once dispatched, its inputs are what the run reads: no upload lands after.
    await expect(
      agent.putInput(await bed.chain.job(a), "late.txt", Readable.from([Buffer.from("x")])),
    ).rejects.toMatchObject({ status: 409 });
    await finalEvent(a);
  }, 60_000);
});
