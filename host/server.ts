/**
 * The host agent's HTTP API. Every job request carries the buyer's signature, which the agent checks against
 * the chain itself; whoever relays the request (the app's route) is not trusted.
 *   GET  /health                 version, host id, signer, provider, GPUs, free slots
 *   POST /consent                { provider }: the signer key's HostSigner consent, for the configured provider
 *                                only, while the key serves no host
 *   POST /jobs                   { jobId, spec, expiry, signature }  (a Dispatch signature); 202 carries the
 *                                signer's DispatchAck

 *   GET  /jobs/:id/events        server-sent events; ?expiry=&signature= (an Access "events" signature);
 *                                resumable with Last-Event-ID
 *   POST /jobs/:id/stop          { expiry, signature }  (an Access "stop" signature)
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isHex, type Hex } from "viem";
import { z } from "zod";
import { consentRequestSchema } from "../lib/consent";
import { HostError, type HostAgent } from "./agent";

export const HOST_VERSION = "0.1.0";
const MAX_BODY_BYTES = 64 * 1024;

const uint = z.string().regex(/^\d{1,78}$/, "a decimal integer").transform((v) => BigInt(v));
const signature = z.string().refine((v) => isHex(v) && v.length === 132, "a 65-byte hex signature").transform((v) => v as Hex);
const dispatchBody = z.object({ jobId: uint, spec: z.unknown(), expiry: uint, signature }).strict();
const accessBody = z.object({ expiry: uint, signature }).strict();

export interface HealthInfo {
  hostId: number | null;
  signer: string;
  provider: string;
  runtime: string;
  maxJobs: number;
  gpus: { name: string; memoryMiB?: number }[];
  benchmark?: Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HostError(413, `The request body is over ${MAX_BODY_BYTES / 1024} KiB.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HostError(413, `The request body is over ${MAX_BODY_BYTES / 1024} KiB.`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HostError(400, "The request body is not JSON.");
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new HostError(400, `${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return result.data;
}

export function hostServer(agent: HostAgent, info: () => HealthInfo) {
  return createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof HostError) return send(res, error.status, { error: error.message });
      send(res, 500, { error: "The host failed to handle the request." });
      console.error(error);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://host");
    const [, first, id, action, ...rest] = url.pathname.split("/");
    if (req.method === "GET" && url.pathname === "/health") {
      const { hostId, signer, provider, runtime, maxJobs, gpus, benchmark } = info();
      return send(res, 200, { version: HOST_VERSION, hostId, signer, provider, runtime, gpus, benchmark, slots: { max: maxJobs, free: agent.freeSlots } });
    }
    if (req.method === "POST" && url.pathname === "/consent") {
      const { provider } = parse(consentRequestSchema, await readJson(req));
      return send(res, 200, await agent.consent(provider));
    }
    if (req.method === "POST" && url.pathname === "/jobs") {
      const body = parse(dispatchBody, await readJson(req));
      const { ack } = await agent.dispatch(body);
      return send(res, 202, { jobId: String(body.jobId), status: "accepted", ack });
    }
    if (first === "jobs" && id !== undefined && rest.length === 0) {
      const jobId = parse(uint, id);
      if (req.method === "POST" && action === "stop") {
        const body = parse(accessBody, await readJson(req));
        await agent.stop({ jobId, ...body });
        return send(res, 202, { jobId: String(jobId), status: "stopping" });
      }
      if (req.method === "GET" && action === "events") {
        const query = parse(accessBody, { expiry: url.searchParams.get("expiry") ?? "", signature: url.searchParams.get("signature") ?? "" });
        await agent.authorize({ jobId, ...query }, "events");
        const after = Number(req.headers["last-event-id"] ?? url.searchParams.get("lastEventId") ?? 0) || 0;
        return stream(res, agent, jobId, after);
      }
    }
    throw new HostError(404, `No ${req.method} ${url.pathname} here.`);
  }
}

function stream(res: ServerResponse, agent: HostAgent, jobId: bigint, after: number) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  res.write(": stream\n\n");
  const log = agent.events(jobId);
  let unsubscribe = () => {};
  const close = () => {
    unsubscribe();
    res.end();
  };
  unsubscribe = log.subscribe(after, (event) => {
    res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
    if (event.type === "status" && event.data.final === true) setImmediate(close);
  });
  // A comment every 15 s keeps relays and proxies from timing out a quiet job.
  const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
  res.on("close", () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}
