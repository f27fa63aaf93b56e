/**
 * What of a request's headers a relay passes on (the app's route to a host, a host to a job's service):
 * everything but what describes one connection rather than the message (RFC 9110 §7.6.1, and the headers the
 * Connection header names), the Host, the agent's own x-hourglass-* headers, and what says who the client is or
 * what else it holds (cookies of the app's domain, the addresses proxies and platforms add): a provider and a
 * job learn nothing of the buyer but the request. The token in Authorization goes on from the route to the host,
 * which checks it again, and never on to the job. The route's x-forwarded-prefix (where the job's service is
 * public) is the one forwarding header kept.
 */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

/** Who the client is, or what else its browser holds. */
const IDENTIFYING = new Set([
  "cookie",
  "forwarded",
  "x-real-ip",
  "true-client-ip",
  "x-client-ip",
  "x-cluster-client-ip",
]);
const IDENTIFYING_PREFIXES = ["x-forwarded-", "cf-", "fly-", "x-vercel-", "x-amzn-"];
const identifying = (name: string) =>
  name !== "x-forwarded-prefix" && (IDENTIFYING.has(name) || IDENTIFYING_PREFIXES.some((p) => name.startsWith(p)));

export type HeaderBag = Record<string, string | string[] | undefined>;

export function forwardedHeaders(
  headers: HeaderBag,
  { keepAuthorization = false } = {},
): Record<string, string | string[]> {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string | string[]> = {};
  for (const [raw, value] of Object.entries(headers)) {
    const name = raw.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name) || name.startsWith("x-hourglass-")) continue;
    if (identifying(name)) continue;
    if (name === "authorization" && !keepAuthorization) continue;
    out[name] = value;
  }
  return out;
}
