/**
 * Forwarding a buyer's request to a job's service (docs/jobs.md, "Services"): every method, the body streamed
 * up and the answer streamed down at the pace of the slower side, under the host config's `services` limits:
 * a body larger than maxRequestBytes is cut off (413) as it is read, the whole exchange ends at
 * requestTimeoutSeconds, and either side silent for IDLE_MS ends it. The request's credentials (the access
 * token, the agent's own headers) never reach the job, and hop-by-hop headers are not forwarded either way
 * (lib/protocol/forwardedHeaders.ts).
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { BodyTooLarge } from "../lib/protocol/cappedBody";
import { cappedStream } from "../lib/protocol/cappedStream";
import { forwardedHeaders } from "../lib/protocol/forwardedHeaders";
import type { ServicesConfig } from "./config";
import type { ServiceAddress } from "./runtime/types";

/** Longest silence either way: a model that thinks longer should stream (server-sent events) as it goes. */
export const IDLE_MS = 120_000;

/** A JSON refusal, unless the answer has begun (then the connection is cut: the client sees it end early). */
function fail(res: ServerResponse, status: number, error: string) {
  if (res.headersSent) return void res.destroy();
  const text = JSON.stringify({ error });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Forwards `req` to `target` at `path` (the part after /jobs/:id/http/:port, with its query) and its answer to
 * `res`. Resolves when the exchange is over, however it ended; never rejects.
 */
export async function forwardToService(
  req: IncomingMessage,
  res: ServerResponse,
  target: ServiceAddress,
  path: string,
  limits: Pick<ServicesConfig, "maxRequestBytes" | "requestTimeoutSeconds">,
  job: { id: bigint; port: number },
): Promise<void> {
  const jobId = job.id;
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limits.maxRequestBytes) return fail(res, 413, new BodyTooLarge(limits.maxRequestBytes).message);
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new Error(`the request took over ${limits.requestTimeoutSeconds} s`)),
    limits.requestTimeoutSeconds * 1000,
  );
  const upstream = http.request({
    host: target.host,
    port: target.port,
    method: req.method,
    path,
    headers: {
      ...forwardedHeaders(req.headers),
      // A chunked body stays chunked whatever the method (node would send a DELETE's body bare).
      ...(req.headers["transfer-encoding"] !== undefined && req.headers["content-length"] === undefined
        ? { "transfer-encoding": "chunked" }
        : {}),
    },
    agent: false,
    signal: deadline.signal,
  });
  upstream.setTimeout(IDLE_MS, () => upstream.destroy(new Error("the service was silent too long")));
  req.setTimeout(IDLE_MS, () => req.destroy());
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    upstream.once("response", resolve);
    upstream.once("error", reject);
  });
  try {
    const [, answer] = await Promise.all([
      pipeline(req, cappedStream(limits.maxRequestBytes), upstream),
      answered.then((answer) => {
        const headers = forwardedHeaders(answer.headers);
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        return answer;
      }),
    ]).catch(async (error: unknown) => {
      // The service may answer (an early 413 of its own) before it read the whole body: that answer stands.
      if (res.headersSent) return [undefined, await answered] as const;
      throw error;
    });
    answer.setTimeout(IDLE_MS, () => answer.destroy(new Error("the service was silent too long")));
    await pipeline(answer, res, { signal: deadline.signal });
  } catch (error) {
    upstream.destroy();
    if (error instanceof BodyTooLarge) return fail(res, 413, error.message);
    if (deadline.signal.aborted) return fail(res, 504, `Job #${jobId}'s service: ${String(deadline.signal.reason)}.`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ECONNREFUSED")
      return fail(
        res,
        502,
        `Job #${jobId}'s service does not answer on port ${job.port}: it must listen on all addresses (0.0.0.0) at the port $HOURGLASS_PORT_${job.port} names.`,
      );
    fail(res, 502, `Job #${jobId}'s service failed: ${(error as Error).message}.`);
  } finally {
    clearTimeout(timer);
  }
}
