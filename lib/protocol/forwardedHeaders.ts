/**
 * What of an HTTP message's headers a relay passes on (the app's route to a host, a host to a job's service, and
 * back): everything but what describes one connection rather than the message (RFC 9110 §7.6.1, and the headers
 * the Connection header names), the Host, and the agent's own x-hourglass-* headers. The token in Authorization
 * goes on from the route to the host, which checks it again, and never on to the job.
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
    if (name === "authorization" && !keepAuthorization) continue;
    out[name] = value;
  }
  return out;
}
