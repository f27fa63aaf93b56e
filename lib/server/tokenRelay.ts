/**
 * The routes that carry a buyer's access token (lib/protocol/accessToken.ts) to a job's host and stream both
 * ways, without Next: a job's service (`/api/jobs/[id]/http/[port]/…`, every method) and its files
 * (`/api/jobs/[id]/files…`: the manifest, a download, an upload). The route checks the token as the host will
 * (its signer is the job's buyer, on-chain, for a job on the host the registry names) and relays to that host's
 * registered endpoint only, never an address from the request; the host checks it again.
 *
 * Bounded like every relay: a body over its cap is cut off as it streams (413), open requests are capped per
 * client, job, host, buyer and in all, the host's answer must begin within HEADERS_MS and never go silent for
 * IDLE_MS, and no exchange lasts past LIFETIME_MS. What a job or a host answers is a stranger's content:
 * `answerHeaders` keeps only what describes it, and nothing it sends acts as the app.
 */
import "server-only";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { BodyTooLarge } from "../protocol/cappedBody";
import { cappedStream } from "../protocol/cappedStream";
import { ACCESS_TOKEN_QUERY, formatAccessToken, tokenFor } from "../protocol/accessToken";
import { forwardedHeaders } from "../protocol/forwardedHeaders";
import type { AccessAction } from "../protocol/jobSignatures";
import { checkOnChain } from "./access";
import { StreamLimiter } from "./ratelimit";
import { relayStream } from "./relay";
import { parseJobId, refuse, unreachable, type ChainContext, type RouteResult } from "./route";
import { endpointPolicy, parseEndpoint } from "./ssrf";

/** Requests relayed at once by one app instance: in all, per client, per job, per host and per buyer. */
/** Per buyer a quarter of per host: one buyer's slow downloads never hold all of a host's slots. Per host, with
 * the event streams' 64, within the 256 connections a host agent takes from one address. */
export const TOKEN_RELAY_CAPS = { total: 512, perClient: 32, perJob: 32, perHost: 128, perBuyer: 32 } as const;
export const tokenRelays = new StreamLimiter(TOKEN_RELAY_CAPS, undefined, "requests to jobs' services and files");

/** A service's request body, and an upload, at most: the host's own caps (host config) may be lower. */
export const MAX_SERVICE_BODY_BYTES = 64 << 20;
export const MAX_UPLOAD_BYTES = 2 ** 30;
/** The host's answer must begin within this (a model's first token can take a while), and never go silent
 * longer than IDLE_MS; no exchange lasts past LIFETIME_MS (a long download, a long stream: ask again). */
export const HEADERS_MS = 120_000;
export const IDLE_MS = 120_000;
export const LIFETIME_MS = 30 * 60_000;
/** A body stream that fails with BodyTooLarge past `max` bytes (or with the browser's own error). */
function capped(body: ReadableStream<Uint8Array>, max: number): Readable {
  const cap = cappedStream(max);
  const source = Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
  source.once("error", (error) => cap.destroy(error));
  return source.pipe(cap);
}

export interface TokenRelayRequest {
  /** The job id and what the token must open. */
  rawId: string;
  action: Extract<AccessAction, "service" | "files">;
  /** The path on the host (`jobs/<id>/http/<port>/…`, `jobs/<id>/files…`), query included. */
  hostPath: string;
  /** The browser's request: its method, headers and body. */
  request: Request;
  /** Who asks (lib/server/client.ts). */
  client: string;
  /** The public path prefix a service's links are relative to (x-forwarded-prefix), for a service. */
  prefix?: string;
}

/**
 * What of a job's answer the app's origin serves. Only headers that describe the content pass: nothing that acts
 * on the origin (Set-Cookie, Clear-Site-Data, Location, Refresh, Link, a CSP or caching rules of its own). Content
 * a browser would render as a page (HTML, XML, SVG) is served as plain text, a file always as a download, and
 * everything sandboxed, uncached and unframeable: a provider's host, or a job, never speaks as the app.
 */
const ANSWER_HEADERS = new Set([
  "content-type",
  "content-length",
  "content-encoding",
  "content-range",
  "accept-ranges",
  "etag",
  "last-modified",
  "retry-after",
  "x-content-sha256",
  "x-request-id",
]);
const RENDERED = /^\s*(text\/html|application\/xhtml|image\/svg|text\/xml|application\/xml|text\/xsl|multipart\/)/i;

export function answerHeaders(upstream: IncomingHttpHeaders, action: TokenRelayRequest["action"]): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || !ANSWER_HEADERS.has(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const type = headers.get("content-type") ?? "";
  if (action === "service" ? RENDERED.test(type) : true)
    headers.set("content-type", action === "service" ? "text/plain; charset=utf-8" : "application/octet-stream");
  if (action !== "service") headers.set("content-disposition", "attachment");
  headers.set("content-security-policy", "sandbox; default-src 'none'; frame-ancestors 'none'");
  headers.set("x-content-type-options", "nosniff");
  headers.set("cache-control", "private, no-store");
  headers.set("vary", "authorization");
  return headers;
}

const json = (result: RouteResult) =>
  new Response(JSON.stringify(result.body), { status: result.status, headers: { "content-type": "application/json" } });

export async function relayWithToken(
  { rawId, action, hostPath, request, client, prefix }: TokenRelayRequest,
  ctx: ChainContext,
  slots: StreamLimiter = tokenRelays,
): Promise<Response> {
  const jobId = parseJobId(rawId);
  if (jobId === undefined) return json(refuse(400, "The job id must be a positive whole number."));
  // Reading a job's files takes the GET-only "download" scope too; a link cannot set a header, so that read may
  // carry its token in the query string.
  const reading = action === "files" && request.method === "GET";
  const query = reading ? new URL(request.url).searchParams.get(ACCESS_TOKEN_QUERY) : null;
  const token = tokenFor(jobId, reading ? ["download", "files"] : action, request.headers.get("authorization"), query);
  if ("error" in token) return json(refuse(token.status, token.error));
  const maxBody = action === "service" ? MAX_SERVICE_BODY_BYTES : MAX_UPLOAD_BYTES;
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBody) return json(refuse(413, `The request body is over ${maxBody >> 20} MiB.`));
  const access = await checkOnChain(
    { kind: "access", message: { jobId: token.jobId, action: token.action, expiry: token.expiry } },
    token.signature,
    ctx,
  );
  if ("status" in access) return json(access);
  const slot = await slots.acquire(client, jobId, access.hostId, access.buyer);
  if (!slot.ok) return json(refuse(slot.status, slot.refusal));
  const lifetime = new AbortController();
  const timer = setTimeout(() => lifetime.abort(new Error("the exchange lasted too long")), LIFETIME_MS);
  const release = () => {
    clearTimeout(timer);
    slot.release();
  };
  let upstream: IncomingMessage | undefined;
  try {
    const policy = endpointPolicy(ctx);
    const headers = {
      ...forwardedHeaders(Object.fromEntries(request.headers), { keepAuthorization: false }),
      authorization: `Bearer ${formatAccessToken(token)}`,
      ...(prefix ? { "x-forwarded-prefix": prefix } : {}),
    };
    const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";
    upstream = await relayStream(
      parseEndpoint(access.endpoint, policy),
      {
        method: request.method,
        path: hostPath,
        headers,
        ...(hasBody ? { body: capped(request.body!, maxBody) } : {}),
      },
      policy,
      { headersMs: HEADERS_MS, idleMs: IDLE_MS, signal: AbortSignal.any([request.signal, lifetime.signal]) },
    );
    upstream.once("close", release);
    const status = upstream.statusCode ?? 502;
    // A status the web's Response cannot carry is the host's failure, not an answer to pass on.
    if (status < 200 || status > 599) {
      upstream.destroy();
      return json(refuse(502, `Host #${access.hostId} answered with status ${status}.`));
    }
    const empty = request.method === "HEAD" || status === 204 || status === 304;
    if (empty) upstream.resume();
    return new Response(empty ? null : (Readable.toWeb(upstream) as ReadableStream<Uint8Array>), {
      status,
      headers: answerHeaders(upstream.headers, action),
    });
  } catch (error) {
    release();
    upstream?.destroy();
    if (error instanceof BodyTooLarge) return json(refuse(413, `The request body is over ${maxBody >> 20} MiB.`));
    return json(unreachable(access.hostId, error));
  }
}
