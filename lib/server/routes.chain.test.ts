/**
 * The app's job routes against a real chain and a real host agent (scripts/lib/hostbed.ts): events relayed and
 * resumed, a client that leaves mid-stream, hostile endpoints registered on-chain, and generated junk.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  ACCESS_EXPIRY_HEADER,
  ACCESS_SIGNATURE_HEADER,
  accessTypedData,
  dispatchTypedData,
  MAX_SIGNATURE_LIFETIME,
} from "../protocol/jobSignatures";
import { specHash } from "../jobs/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobSpec } from "../jobs/spec";
import { JOB_TEMPLATES } from "../jobs/templates";
import { readEvents, type JobEvent } from "../protocol/eventStream";
import { recoverDispatchAckSigner } from "../protocol/hostSignatures";
import { parseUnits, type Hex } from "viem";
import { startHostBed, stopHostBed, type HostBed } from "../../scripts/lib/hostbed";
import {
  anvilAccount,
  artifactContract,
  LOCAL_CHAIN_ID,
  localSigner,
  withAutomine,
} from "../../scripts/lib/localchain";
import { listProvider } from "../../scripts/lib/protocol";
import { relayDispatch } from "./dispatch";
import { EVENT_STREAM_CAPS, relayEvents } from "./eventRelay";
import { MemorySlots } from "../limits";
import { StreamLimiter } from "./ratelimit";
import type { RouteResult } from "./route";
import { endpointPolicy, parseEndpoint } from "./ssrf";
import { hostileEndpoints, remoteEndpoints } from "./__fixtures__/ssrfEndpoints";

const countdown = (seconds: number): JobSpec => ({
  ...JOB_TEMPLATES.find((t) => t.id === "countdown")!.spec,
  env: { SECONDS: String(seconds) },
});

let bed: HostBed;
/** The buyer's client key, as lib/server/client.ts makes them. */
const BUYER = "ip:198.51.100.1";
/** Event streams the host is serving right now. */
let openStreams = 0;

beforeAll(async () => {
  bed = await startHostBed();
  bed.server.on("request", (req, res) => {
    if (!req.url?.includes("/events")) return;
    openStreams++;
    res.on("close", () => openStreams--);
  });
}, 120_000);
afterAll(() => stopHostBed(bed));

/** Opens the events route for `jobId` as its buyer; throws on a refusal. */
async function routeEvents(jobId: bigint, lastEventId: string | null, signal = new AbortController().signal) {
  const result = await relayEvents(
    String(jobId),
    { ...(await bed.access(jobId, "events")), lastEventId, client: BUYER },
    bed.ctx,
    signal,
  );
  if (!("stream" in result)) throw new Error(JSON.stringify(result));
  return result.stream;
}

async function until(what: string, check: () => boolean, timeoutMs = 5000) {
  for (const end = Date.now() + timeoutMs; !check(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

describe("dispatch route", () => {
  it("relays a buyer's dispatch to the endpoint the registry names and passes on the host's acknowledgement", async () => {
    const spec = countdown(1);
    const jobId = await bed.createJob(spec);
    const body = await bed.dispatchBody(jobId, spec);
    const refused = await relayDispatch(String(jobId), body, { ...bed.ctx, allowLoopback: false });
    expect(refused).toMatchObject({ status: 502, body: { error: expect.stringMatching(/private or reserved/) } });
    const accepted = await relayDispatch(String(jobId), body, bed.ctx);
    expect(accepted).toEqual({
      status: 202,
      body: { jobId: String(jobId), status: "accepted", ack: expect.stringMatching(/^0x[0-9a-f]{130}$/) },
    });
    const ack = accepted.body.ack as Hex;
    expect(
      await recoverDispatchAckSigner(LOCAL_CHAIN_ID, bed.contracts.JobEscrow, { jobId, specHash: specHash(spec) }, ack),
    ).toBe(bed.chain.signer);
    await bed.events(jobId, () => {}); // followed to its end: the job is settled before the next test
  }, 60_000);
});

describe("events route", () => {
  it("relays a finished job's events from the host, resuming after Last-Event-ID, for its buyer only", async () => {
    const spec = countdown(1);
    const jobId = await bed.createJob(spec);
    expect((await relayDispatch(String(jobId), await bed.dispatchBody(jobId, spec), bed.ctx)).status).toBe(202);
    const statuses = async (lastEventId: string | null) => {
      const seen: { id: number; status: string }[] = [];
      await readEvents(await routeEvents(jobId, lastEventId), ({ id, type, data }) => {
        if (type === "status") seen.push({ id, status: String(data.status) });
      });
      return seen;
    };
    const all = await statuses(null);
    expect(all.map((e) => e.status)).toEqual(["accepted", "started", "ended", "signed", "submitted"]);
    const ended = all.find((e) => e.status === "ended")!.id;
    expect((await statuses(String(ended))).map((e) => e.status)).toEqual(["signed", "submitted"]);

    const stranger = await bed.access(jobId, "events", privateKeyToAccount(generatePrivateKey()));
    const refused = await relayEvents(
      String(jobId),
      { ...stranger, lastEventId: null, client: "ip:198.51.100.2" },
      bed.ctx,
      new AbortController().signal,
    );
    expect(refused).toEqual({ status: 401, body: { error: `Only job #${jobId}'s buyer can read its events.` } });
  }, 60_000);

  it("drops the host's stream when the client leaves, and a reconnect resumes after the last event seen", async () => {
    const spec = countdown(6);
    const jobId = await bed.createJob(spec);
    expect((await relayDispatch(String(jobId), await bed.dispatchBody(jobId, spec), bed.ctx)).status).toBe(202);

    const first: JobEvent[] = [];
    const leave = new AbortController();
    const stream = await routeEvents(jobId, null, leave.signal);
    await until("the host to serve the stream", () => openStreams === 1);
    await readEvents(stream, (event) => {
      first.push(event);
      // What Next does with request.signal when the browser goes away.
      if (event.type === "log" && String(event.data.text).includes("4 s left")) leave.abort();
    }).catch((e: unknown) => {
      if (!leave.signal.aborted) throw e;
    });
    expect(leave.signal.aborted).toBe(true);
    await until("the host to see the relay leave", () => openStreams === 0);

    const rest: JobEvent[] = [];
    await readEvents(await routeEvents(jobId, String(first.at(-1)!.id)), (event) => {
      rest.push(event);
    });
    const ids = [...first, ...rest].map((e) => e.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1)); // every event once, in order: no gap, no repeat
    const logs = [...first, ...rest].filter((e) => e.type === "log").map((e) => String(e.data.text).trim());
    expect(logs).toEqual(["6 s left", "5 s left", "4 s left", "3 s left", "2 s left", "1 s left", "0 s left"]);
    expect(rest.at(-1)!.data).toMatchObject({ status: "submitted", final: true });
  }, 60_000);
});

describe("hostile endpoints registered on-chain", () => {
  let listener: Server;
  let connections = 0;
  beforeAll(async () => {
    listener = createServer((_, res) => res.end("{}"));
    listener.on("connection", () => connections++);
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
  });
  afterAll(() => new Promise<void>((r) => listener.close(() => r())));

  it("refuses every form through the dispatch and events routes, and nothing reaches the listener", async () => {
    // Forms that point off this machine are relayed only once the guard is known to refuse them when parsing:
    // a broken guard must fail here, before any route could send them anything.
    const production = { ...bed.ctx, allowLoopback: false };
    for (const form of remoteEndpoints) expect(() => parseEndpoint(form, endpointPolicy(production)), form).toThrow();
    const port = (listener.address() as AddressInfo).port;
    const spec = countdown(1);
    const jobId = await bed.createJob(spec);
    const forms = hostileEndpoints(port);
    expect(forms.length).toBeGreaterThanOrEqual(30);
    const answers: Record<string, RouteResult[]> = {};
    await withAutomine(bed.anvil, async () => {
      for (const form of forms) {
        await bed.setEndpoint(form);
        const events = await relayEvents(
          String(jobId),
          { ...(await bed.access(jobId, "events")), lastEventId: null, client: BUYER },
          production,
          new AbortController().signal,
        );
        answers[form] = [
          await relayDispatch(String(jobId), await bed.dispatchBody(jobId, spec), production),
          "stream" in events ? { status: 200, body: {} } : events,
        ];
      }
      await bed.setEndpoint(bed.hostUrl);
      await bed.escrow("cancel", [jobId, "0x"]); // gives back its GPUs and credits
    });
    for (const [form, results] of Object.entries(answers)) {
      for (const result of results) {
        expect(result.status, form).toBe(502);
        expect(String(result.body.error), form).toMatch(/^Host #\d+ cannot be reached/);
      }
    }
    expect(connections).toBe(0);
  }, 60_000);
});

describe("routes under generated junk", () => {
  it("answer 1,000 malformed requests each (dispatch, events) with a 4xx and a reason, never a 5xx", async () => {
    const spec = countdown(1);
    const jobId = await bed.createJob(spec);
    const dispatch = await bed.dispatchBody(jobId, spec);
    const events = await bed.access(jobId, "events");

    // A valid request with one part broken: the id, a field replaced, removed or added, or the whole body.
    const json = fc.jsonValue({ maxDepth: 3 });
    const anyValue = fc.oneof(
      json,
      fc.string(),
      fc.constantFrom(
        undefined,
        null,
        "",
        "-1",
        "1e3",
        "0x",
        `0x${"ab".repeat(65)}`,
        `0x${"ab".repeat(64)}1b`,
        "18446744073709551616",
        "\u0000💥",
      ),
    );
    const rawId = fc.oneof(
      fc.constantFrom("0", "-1", "1e3", "abc", "", " 1", "0x1", "99999999999999999999999999999999", "999"),
      fc.string(),
      fc.constant(String(jobId)),
    );
    const broken = <T extends Record<string, unknown>>(good: T, nested: Record<string, unknown> = {}) =>
      fc.oneof(
        fc.record({ id: rawId, body: fc.constant<unknown>(good) }),
        fc.record({ id: fc.constant(String(jobId)), body: anyValue }),
        fc
          .tuple(fc.constantFrom(...Object.keys(good)), anyValue)
          .map(([key, value]) => ({ id: String(jobId), body: { ...good, [key]: value } })),
        fc.constantFrom(...Object.keys(good)).map((key) => ({
          id: String(jobId),
          body: Object.fromEntries(Object.entries(good).filter(([k]) => k !== key)),
        })),
        fc
          .tuple(fc.string({ minLength: 1 }), anyValue)
          .filter(([key]) => !(key in good))
          .map(([key, value]) => ({ id: String(jobId), body: { ...good, [key]: value } })),
        ...(Object.keys(nested).length === 0
          ? []
          : [
              fc
                .tuple(fc.constantFrom(...Object.keys(nested)), anyValue)
                .map(([key, value]) => ({ id: String(jobId), body: { ...good, spec: { ...nested, [key]: value } } })),
            ]),
      );
    const signed = { dispatch, events };
    const expectRefused = (what: string, result: RouteResult | { stream: unknown }) => {
      if ("stream" in result) throw new Error(`${what}: accepted`);
      expect(result.status, `${what} → ${JSON.stringify(result.body)}`).toBeGreaterThanOrEqual(400);
      expect(result.status, `${what} → ${JSON.stringify(result.body)}`).toBeLessThan(500);
      expect(typeof result.body.error, what).toBe("string");
    };
    const runs = { numRuns: 1000, seed: 20261126 };
    // A mutation that happens to leave the request valid is not junk: the id and body are compared to the good one.
    const isValid = (id: string, body: unknown, good: unknown) =>
      id === String(jobId) && JSON.stringify(body) === JSON.stringify(good);

    await fc.assert(
      fc.asyncProperty(broken(signed.dispatch, spec as unknown as Record<string, unknown>), async ({ id, body }) => {
        if (isValid(id, body, signed.dispatch)) return;
        expectRefused(`dispatch ${JSON.stringify(id)} ${JSON.stringify(body)}`, await relayDispatch(id, body, bed.ctx));
      }),
      runs,
    );
    // Events take the signature from headers: a field that is not a string is a missing header.
    const fieldOf = (body: unknown) => (key: string) => {
      const fields = body as Record<string, unknown> | null;
      return fields && typeof fields === "object" && typeof fields[key] === "string" ? (fields[key] as string) : null;
    };
    const lastEventId = fc.oneof(fc.constant(null), fc.string(), fc.constantFrom("-1", "1.5", "1e3", "9".repeat(16)));
    await fc.assert(
      fc.asyncProperty(broken(signed.events), lastEventId, async ({ id, body }, last) => {
        if (isValid(id, body, signed.events)) return;
        const field = fieldOf(body);
        const result = await relayEvents(
          id,
          { expiry: field("expiry"), signature: field("signature"), lastEventId: last, client: BUYER },
          bed.ctx,
          new AbortController().signal,
        );
        if (
          "stream" in result &&
          id === String(jobId) &&
          field("expiry") === events.expiry &&
          field("signature") === events.signature
        ) {
          await result.stream.cancel(); // the junk was only in a field the events route never reads
          return;
        }
        expectRefused(`events ${JSON.stringify(id)} ${JSON.stringify(body)} last ${JSON.stringify(last)}`, result);
      }),
      runs,
    );
    await withAutomine(bed.anvil, () => bed.escrow("cancel", [jobId, "0x"]));
  }, 180_000);
});

/** A stand-in host on loopback that records what it was sent, as a route's attacker-facing behaviour sees it. */
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

describe("relayed calls against stand-in hosts", () => {
  let recorder: Server;
  let dripper: Server;
  let received: Received[] = [];
  let recorderUrl: string;
  let dripperUrl: string;
  /** Event streams the recorder holds open. */
  let recorderStreams = 0;

  beforeAll(async () => {
    // Answers like an agent: a dispatch is accepted, an event stream stays open (a comment now, nothing after).
    recorder = createServer((req, res) => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers });
      req.resume();
      if (req.url!.includes("/events")) {
        recorderStreams++;
        res.on("close", () => recorderStreams--);
        return res.writeHead(200, { "content-type": "text/event-stream" }).write(": open\n\n");
      }
      res.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ status: "accepted" }));
    });
    // Answers every call one byte every 200 ms for 4 s (never idle long enough for a socket timeout), and an
    // event stream's headers only after 4 s.
    dripper = createServer((req, res) => {
      req.resume();
      if (req.url!.includes("/events")) {
        const late = setTimeout(
          () => res.writeHead(200, { "content-type": "text/event-stream" }).end(": late\n\n"),
          4_000,
        );
        return res.on("close", () => clearTimeout(late));
      }
      res.writeHead(202, { "content-type": "application/json" });
      const drip = setInterval(() => res.write(" "), 200);
      const end = setTimeout(() => (clearInterval(drip), res.end("{}")), 4_000);
      res.on("close", () => (clearInterval(drip), clearTimeout(end)));
    });
    for (const server of [recorder, dripper]) await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    dripperUrl = `http://127.0.0.1:${(dripper.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await withAutomine(bed.anvil, () => bed.setEndpoint(bed.hostUrl));
    for (const server of [recorder, dripper]) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  /** A funded job (never run) whose host's endpoint is now `url`. */
  async function jobAt(url: string) {
    const spec = countdown(1);
    const jobId = await bed.createJob(spec);
    await withAutomine(bed.anvil, () => bed.setEndpoint(url));
    received = [];
    return { jobId, spec };
  }

  /** An Access signature by the buyer that expires `seconds` from now. */
  async function accessFor(jobId: bigint, seconds: number) {
    const expiry = BigInt(Math.floor(Date.now() / 1000) + seconds);
    const signature = await bed.buyerAccount.signTypedData(
      accessTypedData(LOCAL_CHAIN_ID, bed.contracts.JobEscrow, { jobId, action: "events", expiry }),
    );
    return { expiry: String(expiry), signature };
  }

  it("sends Access signatures to the host in headers, never in the URL", async () => {
    const { jobId } = await jobAt(recorderUrl);
    const leave = new AbortController();
    const events = await relayEvents(
      String(jobId),
      { ...(await bed.access(jobId, "events")), lastEventId: null, client: BUYER },
      bed.ctx,
      leave.signal,
    );
    expect("stream" in events).toBe(true);
    leave.abort();
    if ("stream" in events) await events.stream.cancel().catch(() => undefined);
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([`GET /jobs/${jobId}/events`]);
    for (const r of received) {
      expect(r.headers[ACCESS_EXPIRY_HEADER], r.url).toMatch(/^\d+$/);
      expect(r.headers[ACCESS_SIGNATURE_HEADER], r.url).toMatch(/^0x[0-9a-f]{130}$/);
    }
  }, 30_000);

  it("refuses a signature good for longer than a host accepts before relaying anything", async () => {
    const { jobId, spec } = await jobAt(recorderUrl);
    const tenYears = 10 * 365 * 86_400;
    const events = await relayEvents(
      String(jobId),
      { ...(await accessFor(jobId, tenYears)), lastEventId: null, client: BUYER },
      bed.ctx,
      new AbortController().signal,
    );
    expect(events).toEqual({
      status: 401,
      body: { error: `A signature may be valid for at most ${MAX_SIGNATURE_LIFETIME / 3600} hours. Sign again.` },
    });
    const expiry = BigInt(Math.floor(Date.now() / 1000) + tenYears);
    const signature = await bed.buyerAccount.signTypedData(
      dispatchTypedData(LOCAL_CHAIN_ID, bed.contracts.JobEscrow, { jobId, specHash: specHash(spec), expiry }),
    );
    expect(await relayDispatch(String(jobId), { spec, expiry: String(expiry), signature }, bed.ctx)).toMatchObject({
      status: 401,
    });
    expect(received).toEqual([]);
  }, 30_000);

  it("answers 504 at the deadline when a host drips its answer or holds back its stream", async () => {
    const { jobId, spec } = await jobAt(dripperUrl);
    const ctx = { ...bed.ctx, timeoutMs: 1_000 };
    const timed = async <T>(call: () => Promise<T>) => {
      const started = Date.now();
      const result = await call();
      return { result, ms: Date.now() - started };
    };
    const dispatch = await timed(async () => relayDispatch(String(jobId), await bed.dispatchBody(jobId, spec), ctx));
    const events = await timed(async () =>
      relayEvents(
        String(jobId),
        { ...(await bed.access(jobId, "events")), lastEventId: null, client: BUYER },
        ctx,
        new AbortController().signal,
      ),
    );
    for (const [name, { result, ms }] of Object.entries({ dispatch, events })) {
      expect(result, name).toMatchObject({ status: 504 });
      // The deadline plus the route's own checks (a signature recovery and two chain reads): well under the drip.
      expect(ms, `${name} answered after ${ms} ms`).toBeLessThan(ctx.timeoutMs + 1_500);
    }
  }, 30_000);

  it("holds at most four open streams per job: the fifth is refused with 429 until one closes", async () => {
    const { jobId } = await jobAt(recorderUrl);
    const open = async (client: string) =>
      relayEvents(
        String(jobId),
        { ...(await bed.access(jobId, "events")), lastEventId: null, client },
        bed.ctx,
        new AbortController().signal,
      );
    const streams: ReadableStream<Uint8Array>[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await open(`ip:203.0.113.${i}`);
      if (!("stream" in result)) throw new Error(JSON.stringify(result));
      streams.push(result.stream);
    }
    const fifth = await open("ip:203.0.113.9");
    if ("stream" in fifth) await fifth.stream.cancel();
    expect(fifth).toMatchObject({ status: 429 });
    await until("the recorder to hold four streams", () => recorderStreams === 4);

    await streams.shift()!.cancel(); // the browser leaves: its slot is free again
    await until("the relay to drop the closed stream", () => recorderStreams === 3);
    const again = await open("ip:203.0.113.9");
    expect("stream" in again, JSON.stringify(again)).toBe(true);
    if ("stream" in again) streams.push(again.stream);
    for (const stream of streams) await stream.cancel();
    await until("the relay to drop every stream", () => recorderStreams === 0);
  }, 30_000);
});

describe("a host that never ends its streams", () => {
  /** Stand-in for an attacker's host: answers every event stream, sends events 1–3 past Last-Event-ID, then only
   * a comment every second (well under the route's idle limit), and never ends it. */
  let holder: Server;
  let holderUrl: string;
  let held = 0;
  const lastEventIds: string[] = [];

  beforeAll(async () => {
    holder = createServer((req, res) => {
      req.resume();
      held++;
      lastEventIds.push(String(req.headers["last-event-id"]));
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (let id = Number(req.headers["last-event-id"] ?? 0) + 1; id <= 3; id++) {
        res.write(`id: ${id}\nevent: log\ndata: ${JSON.stringify({ stream: "stdout", text: `line ${id}\n` })}\n\n`);
      }
      const comment = setInterval(() => res.write(": still here\n\n"), 1_000);
      res.on("close", () => (clearInterval(comment), held--));
    });
    await new Promise<void>((r) => holder.listen(0, "127.0.0.1", r));
    holderUrl = `http://127.0.0.1:${(holder.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    holder.closeAllConnections();
    await new Promise<void>((r) => holder.close(() => r()));
  });

  /** The attacker's host and a stranger's, both of another provider and both at the holder (so earlier tests'
   * jobs, holding the bed host's GPUs, do not matter); the stranger has credits of its own. */
  const stranger = anvilAccount(4);
  const strangerSigner = () => localSigner(bed.rpcUrl, stranger);
  let hosts: Promise<{ attackerHost: bigint; strangerHost: bigint }> | undefined;
  const listHosts = () =>
    (hosts ??= withAutomine(bed.anvil, async () => {
      const host = () => ({
        signerKey: generatePrivateKey(),
        classId: "h100-sxm",
        gpus: 8,
        listedForSeconds: 30n * 86_400n,
        endpoint: holderUrl,
      });
      const [attackerHost, strangerHost] = await listProvider(bed.rpcUrl, bed.contracts, anvilAccount(3), {
        hosts: [host(), host()],
        stakeUsdc: parseUnits("100000", 6),
        credits: parseUnits("100", 18),
        creditsTo: stranger.address,
      });
      await strangerSigner().send(bed.contracts.ComputeCredit, artifactContract("ComputeCredit").abi, "approve", [
        bed.contracts.JobEscrow,
        2n ** 255n,
      ]);
      return { attackerHost: attackerHost!, strangerHost: strangerHost! };
    }));

  /** A job the bed's buyer funded on `hostId` and withdrew at once (its GPUs free again; the route relays either). */
  const withdrawnJob = async (hostId: bigint) => {
    const jobId = await bed.createJob(countdown(1), 1800, hostId);
    await bed.escrow("cancel", [jobId, "0x"]);
    return jobId;
  };

  it("cannot take the instance's every stream: its host's cap refuses it, and a stranger on another host is served", async () => {
    // The attacker: a provider acting as its own buyer, with 17 jobs on its host, whose endpoint is the holder.
    // The stranger: another buyer, with a job on another host.
    const { attackerHost, strangerHost } = await listHosts();
    const { jobs, strangerJob } = await withAutomine(bed.anvil, async () => {
      const jobs: bigint[] = [];
      for (let i = 0; i < 17; i++) jobs.push(await withdrawnJob(attackerHost));
      await bed.escrow(
        "createJob",
        [{ hostId: strangerHost, gpus: 2, maxDuration: 1800, specHash: specHash(countdown(1)) }],
        strangerSigner(),
      );
      return { jobs, strangerJob: await bed.read<bigint>(bed.contracts.JobEscrow, "JobEscrow", "jobCount") };
    });

    // The instance's real caps, counted where the test can see them.
    const slots = new MemorySlots();
    const streams = new StreamLimiter(EVENT_STREAM_CAPS, slots);
    const open: ReadableStream<Uint8Array>[] = [];
    const refusals: RouteResult[] = [];
    let client = 0;
    for (const jobId of jobs) {
      const access = await bed.access(jobId, "events");
      for (let n = 0; n < EVENT_STREAM_CAPS.perJob; n++) {
        // A fresh /64 of one /58 for every stream: the per-client cap never binds.
        const result = await relayEvents(
          String(jobId),
          { ...access, lastEventId: null, client: `ip6:2001:db8:0:${client++}::/64` },
          bed.ctx,
          new AbortController().signal,
          streams,
        );
        if ("stream" in result) open.push(result.stream);
        else refusals.push(result);
      }
    }
    try {
      await until("the holder to hold every relayed stream", () => held === open.length);
      expect(open.length, "streams the attacker holds").toBe(64);
      expect(slots.count("total")).toBe(64);
      expect(refusals.length).toBe(jobs.length * EVENT_STREAM_CAPS.perJob - 64);
      for (const refusal of refusals)
        expect(refusal).toEqual({
          status: 429,
          body: { error: `Host #${attackerHost} has 64 event streams open already. Try again later.` },
        });

      const served = await relayEvents(
        String(strangerJob),
        { ...(await bed.access(strangerJob, "events", stranger)), lastEventId: null, client: "ip:192.0.2.77" },
        bed.ctx,
        new AbortController().signal,
        streams,
      );
      expect("stream" in served, JSON.stringify(served)).toBe(true);
      if ("stream" in served) open.push(served.stream);
    } finally {
      for (const stream of open) await stream.cancel();
    }
    await until("the relay to drop every stream", () => held === 0);
    expect(slots.count("total")).toBe(0);
  }, 60_000);

  it("ends a relayed stream cleanly at its lifetime, frees its slot, and a reader resumes after its last event", async () => {
    const { attackerHost } = await listHosts();
    const jobId = await withAutomine(bed.anvil, () => withdrawnJob(attackerHost));
    const slots = new MemorySlots();
    const streams = new StreamLimiter(EVENT_STREAM_CAPS, slots);
    lastEventIds.length = 0;
    const lifetimeMs = 1_500;
    const result = await relayEvents(
      String(jobId),
      { ...(await bed.access(jobId, "events")), lastEventId: null, client: BUYER },
      bed.ctx,
      new AbortController().signal,
      streams,
      lifetimeMs,
    );
    if (!("stream" in result)) throw new Error(JSON.stringify(result));
    const seen: number[] = [];
    const started = Date.now();
    // Ends as a finished stream does (readEvents resolves), not with an error: what the browser's reader
    // (lib/hooks/useJobLogs.ts) takes as "reconnect with Last-Event-ID", since no final event came.
    const ended = await Promise.race([
      readEvents(result.stream, (event) => void seen.push(event.id)).then(() => "ended"),
      new Promise((r) => setTimeout(() => r("still open"), lifetimeMs + 5_000)),
    ]);
    expect(ended).toBe("ended");
    expect(Date.now() - started).toBeGreaterThanOrEqual(lifetimeMs - 100);
    expect(seen).toEqual([1, 2, 3]);
    await until("the holder to see the relay leave", () => held === 0);
    expect(slots.count("total")).toBe(0);

    const again = await relayEvents(
      String(jobId),
      { ...(await bed.access(jobId, "events")), lastEventId: String(seen.at(-1)), client: BUYER },
      bed.ctx,
      new AbortController().signal,
      streams,
      lifetimeMs,
    );
    if (!("stream" in again)) throw new Error(JSON.stringify(again));
    await again.stream.cancel();
    expect(lastEventIds).toEqual(["0", "3"]);
  }, 30_000);
});
