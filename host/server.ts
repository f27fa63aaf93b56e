/**
 * The host agent's HTTP API. Every job request carries the buyer's signature, which the agent checks against
 * the chain itself; whoever relays the request (the app's route) is not trusted.
 *   GET  /health                 version, host id, signer, provider, GPUs, free slots, an open challenge
 *   POST /consent                { provider }: the signer key's HostSigner consent, for the configured provider
 *                                only, while the key serves no host
 *   POST /jobs                   { jobId, spec, expiry, signature }  (a Dispatch signature); 202 carries the
 *                                signer's DispatchAck
 *   GET  /jobs/:id/events        server-sent events, an Access "events" signature in the x-hourglass-expiry and
 *                                x-hourglass-signature headers (or ?expiry=&signature= for EventSource);
 *                                resumable with Last-Event-ID
 *   *    /jobs/:id/http/:port/…  the job's service on a port its spec declares (host/service.ts), for a "service"
 *                                access token (lib/protocol/accessToken.ts) in Authorization: Bearer
 *   GET  /jobs/:id/files         the job's file manifest (lib/protocol/files.ts), for a "files" token
 *   GET  /jobs/:id/files/(inputs|outputs)/<path>   one of its files
 *   PUT  /jobs/:id/files/inputs/<name>             an input, before the job is dispatched
 * The shapes are lib/protocol's, which the app's routes use too. A buyer stops a job on-chain (JobEscrow.stop):
 * the agent sees it and kills the run (HostAgent.watchChain).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { Socket } from "node:net";
import { z } from "zod";
import { MemorySlots } from "../lib/limits";
import { BodyTooLarge, MAX_REQUEST_BYTES, readCapped } from "../lib/protocol/cappedBody";
import { consentRequestSchema } from "../lib/protocol/consent";
import type { HostHealthAnswer } from "../lib/protocol/health";
import { ACCESS_EXPIRY_HEADER, ACCESS_SIGNATURE_HEADER } from "../lib/protocol/jobSignatures";
import { LAST_EVENT_ID_PATTERN } from "../lib/protocol/eventStream";
import { firstIssue } from "../lib/protocol/fields";
import { accessSchema, hostDispatchBodySchema, jobIdSchema } from "../lib/protocol/requests";
import { ACCESS_TOKEN_QUERY, tokenFor } from "../lib/protocol/accessToken";
import { manifestHash, type FilesAnswer } from "../lib/protocol/files";
import type { AccessAction } from "../lib/protocol/jobSignatures";
import type { HostAgent } from "./agent";
import { HostError } from "./hostError";
import type { EventLog } from "./eventLog";
import { forwardToService } from "./service";

export const HOST_VERSION = "0.1.0";

const eventId = z.string().regex(LAST_EVENT_ID_PATTERN, "Last-Event-ID must be an event number").transform(Number);

/** Open event streams the agent serves at once, per job and per buyer: each holds a socket and a read buffer.
 * Per buyer, so that nobody's jobs add up to every stream: a buyer needs a job of its own on this host, and 16
 * such buyers to fill the 256. */
export const MAX_STREAMS = 256;
export const MAX_STREAMS_PER_JOB = 8;
export const MAX_STREAMS_PER_BUYER = 16;
/** Connections the agent holds at once, streams included, and from one address: an app relays at most 64
 * event streams (lib/server/eventRelay.ts) and 128 service and file requests (lib/server/tokenRelay.ts) to one
 * host, so 256 leave it room. */
const MAX_CONNECTIONS = 1024;
export const MAX_CONNECTIONS_PER_ADDRESS = 256;
/** How long a stream waits for its client to take what was sent before dropping it, and the longest a stream
 * lasts (a client resumes with Last-Event-ID, as the app's does). */
const STALL_MS = 60_000;
const STREAM_LIFETIME_MS = 30 * 60_000;

/** Takes a stream slot under every cap (the app's routes count theirs with the same store), or refuses. */
async function openStream(slots: MemorySlots, jobId: bigint, buyer: string): Promise<() => void> {
  const slot = await slots.acquire([
    {
      key: `job:${jobId}`,
      max: MAX_STREAMS_PER_JOB,
      status: 429,
      refusal: `Job #${jobId} already has ${MAX_STREAMS_PER_JOB} open event streams here. Close one.`,
    },
    {
      key: `buyer:${buyer.toLowerCase()}`,
      max: MAX_STREAMS_PER_BUYER,
      status: 429,
      refusal: `Your jobs already have ${MAX_STREAMS_PER_BUYER} open event streams here. Close one.`,
    },
    {
      key: "total",
      max: MAX_STREAMS,
      status: 503,
      refusal: "The host is serving as many event streams as it takes. Try again later.",
    },
  ]);
  if (!slot.ok) throw new HostError(slot.status, slot.refusal);
  return slot.release;
}

/** Drops a connection past the agent's caps, in all and per address, as it arrives. */
function capConnections(server: Server) {
  const perAddress = new Map<string, number>();
  server.maxConnections = MAX_CONNECTIONS;
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const count = (perAddress.get(address) ?? 0) + 1;
    if (count > MAX_CONNECTIONS_PER_ADDRESS) return void socket.destroy();
    perAddress.set(address, count);
    socket.once("close", () => {
      const left = perAddress.get(address)! - 1;
      if (left === 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });
}

/** Requests the agent forwards to jobs' services at once, in all. */
const MAX_SERVICE_CALLS = 512;

/** The access token of `req` for job `jobId`'s `action` (one of them; the query string too where given), or the
 * refusal. */
function bearer(jobId: bigint, action: AccessAction | AccessAction[], req: IncomingMessage, query?: string | null) {
  const token = tokenFor(jobId, action, req.headers.authorization, query);
  if ("error" in token) throw new HostError(token.status, token.error);
  return token;
}

/** An Access signature sent in the headers (how the app's routes send it), if both are there. */
function signedAccess(req: IncomingMessage): { expiry: string; signature: string } | undefined {
  const expiry = req.headers[ACCESS_EXPIRY_HEADER];
  const signature = req.headers[ACCESS_SIGNATURE_HEADER];
  return typeof expiry === "string" && typeof signature === "string" ? { expiry, signature } : undefined;
}

/** What `/health` says that the agent's setup knows (the server adds its version and free slots). */
export type HealthInfo = Omit<HostHealthAnswer, "version" | "slots"> & { maxJobs: number };

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** How long a JSON body (at most 64 KiB) may take to arrive; the server's own request timeout is the services'. */
const JSON_BODY_MS = 30_000;

async function readJson(req: IncomingMessage): Promise<unknown> {
  let bytes: Uint8Array;
  const slow = setTimeout(() => req.destroy(), JSON_BODY_MS);
  try {
    bytes = await readCapped(req, MAX_REQUEST_BYTES, Number(req.headers["content-length"] ?? 0));
  } catch (error) {
    if (error instanceof BodyTooLarge)
      throw new HostError(413, `The request body is over ${MAX_REQUEST_BYTES / 1024} KiB.`);
    throw error;
  } finally {
    clearTimeout(slow);
  }
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new HostError(400, "The request body is not JSON.");
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new HostError(400, firstIssue(result.error));
  return result.data;
}

/** How often a stream sends a keep-alive comment, how long it waits on a client that does not read, and the
 * longest it lasts; tests shorten them. */
export interface StreamTimings {
  keepAliveMs: number;
  stallMs: number;
  lifetimeMs: number;
}

export function hostServer(
  agent: HostAgent,
  info: () => HealthInfo,
  timings: StreamTimings = { keepAliveMs: 15_000, stallMs: STALL_MS, lifetimeMs: STREAM_LIFETIME_MS },
) {
  const streams = new MemorySlots();
  const calls = new MemorySlots();
  const downloads = new MemorySlots();
  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof HostError) return send(res, error.status, { error: error.message });
      send(res, 500, { error: "The host failed to handle the request." });
      console.error(error);
    });
  });
  // A client gets 10 s to send its headers, checked every second, so a connection that sends nothing is gone
  // within 11 s; a JSON body gets 30 s (readJson), and a service's request or an upload the services' request
  // timeout. Event streams are answers and are not cut by these.
  server.headersTimeout = 10_000;
  server.requestTimeout = Math.max(30, agent.serviceLimits.requestTimeoutSeconds) * 1000;
  capConnections(server);
  return server;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    // Origin-form paths only ("/…"); "//x" is a path here, not a host.
    if (!req.url?.startsWith("/")) throw new HostError(400, "The request target must be a path.");
    const url = new URL(`http://host${req.url}`);
    const [, first, id, action, ...rest] = url.pathname.split("/");
    if (req.method === "GET" && url.pathname === "/health") {
      const { hostId, signer, provider, runtime, maxJobs, gpus, benchmark, proving } = info();
      const health: HostHealthAnswer = {
        version: HOST_VERSION,
        hostId,
        signer,
        provider,
        runtime,
        gpus,
        benchmark,
        slots: { max: maxJobs, free: agent.freeSlots },
        services: agent.serviceLimits.allow,
        ...(proving === undefined ? {} : { proving }),
      };
      return send(res, 200, health);
    }
    if (req.method === "POST" && url.pathname === "/consent") {
      const { provider } = parse(consentRequestSchema, await readJson(req));
      return send(res, 200, await agent.consent(provider));
    }
    if (req.method === "POST" && url.pathname === "/jobs") {
      const body = parse(hostDispatchBodySchema, await readJson(req));
      const { ack } = await agent.dispatch(body);
      return send(res, 202, { jobId: String(body.jobId), status: "accepted", ack });
    }
    if (first === "jobs" && id !== undefined && action === "http") {
      const jobId = parse(jobIdSchema, id);
      const [portText = ""] = rest;
      if (!/^\d{1,5}$/.test(portText)) throw new HostError(400, "The port must be a number.");
      const port = Number(portText);
      const token = bearer(jobId, "service", req);
      const address = await agent.service(token, port);
      const limits = agent.serviceLimits;
      const slot = await calls.acquire([
        {
          key: `job:${jobId}`,
          max: limits.maxConcurrentPerJob,
          status: 429,
          refusal: `Job #${jobId}'s service is taking ${limits.maxConcurrentPerJob} requests at once already. Try again.`,
        },
        {
          key: "total",
          max: MAX_SERVICE_CALLS,
          status: 503,
          refusal: "The host is forwarding as many requests as it takes.",
        },
      ]);
      if (!slot.ok) throw new HostError(slot.status, slot.refusal);
      // The rest of the target as the client sent it (percent-encoding and query kept), from the path on.
      const prefix = `/jobs/${id}/http/${portText}`;
      const tail = req.url.slice(prefix.length);
      try {
        return await forwardToService(req, res, address, tail.startsWith("/") ? tail : `/${tail}`, limits, {
          id: jobId,
          port,
        });
      } finally {
        slot.release();
      }
    }
    if (first === "jobs" && id !== undefined && action === "files") {
      const jobId = parse(jobIdSchema, id);
      // Listing and downloading take the GET-only "download" scope too, and its token in the query string (a
      // link); uploading only a "files" token, in the header.
      const token =
        req.method === "GET"
          ? bearer(jobId, ["download", "files"], req, url.searchParams.get(ACCESS_TOKEN_QUERY))
          : bearer(jobId, "files", req);
      const job = await agent.authorize(token, token.action);
      const files = await agent.files;
      // A job that never reached this host has nothing here to list or fetch, and holds no slot for it.
      if (req.method === "GET" && job.status !== "created" && agent.ackOf(jobId) === undefined)
        throw new HostError(409, `Job #${jobId} never ran on this host: it has no files here.`);
      if (req.method === "GET" && rest.length === 0) {
        const { manifest, final, endedAtMs } = await files.listing(jobId);
        const answer: FilesAnswer = {
          jobId: String(jobId),
          final,
          manifest,
          manifestHash: manifestHash(manifest),
          retainedUntil:
            endedAtMs === undefined ? null : Math.floor(endedAtMs / 1000) + files.limits.retentionDays * 86_400,
        };
        return send(res, 200, answer);
      }
      if (req.method === "GET" && rest.length >= 2) {
        const slot = await downloads.acquire([
          { key: `job:${jobId}`, max: 4, status: 429, refusal: `Job #${jobId} has 4 downloads under way. Try again.` },
          {
            key: `buyer:${job.buyer.toLowerCase()}`,
            max: 8,
            status: 429,
            refusal: "Your jobs have 8 downloads under way here. Try again.",
          },
          {
            key: "total",
            max: 64,
            status: 503,
            refusal: "The host is serving as many downloads as it can. Try again.",
          },
        ]);
        if (!slot.ok) throw new HostError(slot.status, slot.refusal);
        res.once("close", slot.release);
        const file = await files.read(jobId, rest.join("/"));
        if (!file) throw new HostError(404, `Job #${jobId} has no file ${rest.join("/")} here.`);
        res.writeHead(200, {
          "content-type": "application/octet-stream",
          "content-length": file.entry.size,
          "content-disposition": `attachment; filename="${rest.at(-1)}"`,
          "x-content-sha256": file.entry.sha256.slice(2),
          "cache-control": "private, no-store",
        });
        return void (await pipeline(file.stream, res).catch(() => res.destroy()));
      }
      if (req.method === "PUT" && rest.length === 2 && rest[0] === "inputs") {
        const declared = req.headers["content-length"];
        const entry = await agent.putInput(job, rest[1]!, req, declared === undefined ? undefined : Number(declared));
        return send(res, 201, entry);
      }
    }
    if (first === "jobs" && id !== undefined && rest.length === 0) {
      const jobId = parse(jobIdSchema, id);
      if (req.method === "GET" && action === "events") {
        // EventSource cannot set headers: the query string is the fallback for browsers that reach an agent directly.
        const access = signedAccess(req) ?? {
          expiry: url.searchParams.get("expiry") ?? "",
          signature: url.searchParams.get("signature") ?? "",
        };
        const job = await agent.authorize({ jobId, ...parse(accessSchema, access) });
        const after = parse(
          eventId,
          String(req.headers["last-event-id"] ?? url.searchParams.get("lastEventId") ?? "0"),
        );
        const log = agent.events(jobId);
        // A job this host never ran and never will (cancelled, reclaimed or settled before any event here) has no
        // stream: one held open on it would wait for nothing, a slot spent for free.
        if (log.length === 0 && job.status !== "created" && job.status !== "running") {
          throw new HostError(409, `Job #${jobId} is ${job.status} and never ran on this host: it has no events here.`);
        }
        return stream(res, log, after, await openStream(streams, jobId, job.buyer), timings);
      }
    }
    throw new HostError(404, `No ${req.method} ${url.pathname} here.`);
  }
}

/**
 * One job's server-sent events, read from its log file at the client's pace: the next batch is read only once
 * the socket has taken the last (`drain`), so a client that does not read holds one read buffer, and one that
 * stalls for STALL_MS is dropped (it resumes with Last-Event-ID). Ends after the job's final status. No client
 * behaviour reaches the process: every socket error ends this stream only.
 */
async function stream(res: ServerResponse, log: EventLog, after: number, release: () => void, timings: StreamTimings) {
  const closed = new AbortController();
  const cursor = log.cursor(after);
  const end = () => closed.abort();
  res.on("close", end);
  res.on("error", end);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  res.write(": stream\n\n");
  // A comment every 15 s keeps relays and proxies from timing out a quiet job; never onto a full socket.
  const keepAlive = setInterval(() => {
    if (!closed.signal.aborted && !res.writableNeedDrain) res.write(": keep-alive\n\n");
  }, timings.keepAliveMs);
  const lifetime = setTimeout(end, timings.lifetimeMs);
  try {
    while (!closed.signal.aborted) {
      const events = await cursor.read();
      if (events.length === 0) {
        // Caught up with a log that has ended (the client asked from past its end): nothing more will come.
        if (log.final) return void res.end();
        await cursor.waitForMore(closed.signal);
        continue;
      }
      for (const event of events) {
        res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
        if (event.type === "status" && event.data.final === true) return void res.end();
      }
      if (res.writableNeedDrain && !(await drained(res, closed.signal, timings.stallMs))) return void res.destroy();
    }
    // Past its lifetime (or its client left): ended cleanly, the client resumes with Last-Event-ID.
    if (!res.writableEnded) res.end();
  } catch (error) {
    console.error(`event stream: ${error instanceof Error ? error.message : String(error)}`);
    res.destroy();
  } finally {
    clearInterval(keepAlive);
    clearTimeout(lifetime);
    release();
    await cursor.close().catch(() => undefined);
  }
}

/** Whether `res` drained within `stallMs` (false: the client stalled); resolves at once when the stream closes. */
function drained(res: ServerResponse, closed: AbortSignal, stallMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      res.off("drain", onDrain);
      closed.removeEventListener("abort", onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(true);
    const timer = setTimeout(() => done(false), stallMs);
    res.on("drain", onDrain);
    closed.addEventListener("abort", onClose, { once: true });
  });
}
