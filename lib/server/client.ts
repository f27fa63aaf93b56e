/**
 * Who a request comes from, for the rate limits and the stream caps: only what a proxy the operator trusts
 * vouches for. Any client can send any X-Forwarded-For; only the hops a trusted proxy appended, or a header a
 * platform sets and overwrites, name the client. The rule is configured per deployment:
 *
 * - `HOURGLASS_TRUSTED_PROXY_HOPS=N` (1–16): N proxies in front of the app each append the address they got the
 *   request from to X-Forwarded-For; the client is the Nth entry from the right (1: the one nginx, Caddy, an AWS
 *   ALB or Render's proxy appended). A request with fewer entries did not come through them: unidentified.
 *   `0` trusts no header.
 * - `HOURGLASS_CLIENT_IP_HEADER=name`: a header the platform sets to the client's address, replacing any the
 *   client sent (Vercel `x-real-ip`, Cloudflare `cf-connecting-ip` when the origin accepts only Cloudflare's
 *   addresses, Fly.io `fly-client-ip`). It must hold exactly one address.
 * - Neither, in production: no header is trusted, and every client is one, UNIDENTIFIED, sharing one bucket
 *   (a warning says so once). Neither, outside production (`npm run dev`, `next dev`): one hop, the entry
 *   Next itself adds from the socket when a request has no X-Forwarded-For (a client that sends one can pick
 *   its key: fine on a developer's machine, never in production).
 *
 * A client's key is its IPv4 address, or its IPv6 /64 (one subscriber's whole allocation: rotating within it
 * is free), so keys are short and bounded whatever the headers hold. A key's wider prefix (`widerPrefix`: the
 * IPv4 /24, the IPv6 /48, a site's usual allocation) is what a rate limiter falls back to for a client it has no
 * room to remember, so a flood of /64s from one network only ever shares that network's overflow bucket.
 */
import "server-only";
import { isIP } from "node:net";
import { ipv6Groups } from "./ssrf";

export type ClientIpRule = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "header"; name: string };

/** Every request no trusted proxy vouches for. */
export const UNIDENTIFIED = "unidentified";

export const MAX_TRUSTED_HOPS = 16;

/** The rule set in `env`; throws with what to fix on a value that cannot be meant. */
export function parseClientIpRule(env: Record<string, string | undefined>): ClientIpRule {
  const hops = env.HOURGLASS_TRUSTED_PROXY_HOPS?.trim();
  const header = env.HOURGLASS_CLIENT_IP_HEADER?.trim().toLowerCase();
  if (hops && header)
    throw new Error("Set one of HOURGLASS_TRUSTED_PROXY_HOPS and HOURGLASS_CLIENT_IP_HEADER, not both.");
  if (header) {
    if (!/^[a-z0-9-]{1,64}$/.test(header))
      throw new Error(`HOURGLASS_CLIENT_IP_HEADER must be a header name, not ${JSON.stringify(header)}.`);
    return { kind: "header", name: header };
  }
  if (hops) {
    if (!/^\d{1,2}$/.test(hops) || Number(hops) > MAX_TRUSTED_HOPS) {
      throw new Error(
        `HOURGLASS_TRUSTED_PROXY_HOPS must be a whole number from 0 to ${MAX_TRUSTED_HOPS}, not ${JSON.stringify(hops)}.`,
      );
    }
    return Number(hops) === 0 ? { kind: "none" } : { kind: "hops", hops: Number(hops) };
  }
  return env.NODE_ENV === "production" ? { kind: "none" } : { kind: "hops", hops: 1 };
}

let cached: { from: string; rule: ClientIpRule } | undefined;
let warned = false;

/** The configured rule, read from the environment (re-read when it changes, so tests can set it). */
export function clientIpRule(): ClientIpRule {
  const { HOURGLASS_TRUSTED_PROXY_HOPS, HOURGLASS_CLIENT_IP_HEADER, NODE_ENV } = process.env;
  const from = `${HOURGLASS_TRUSTED_PROXY_HOPS}|${HOURGLASS_CLIENT_IP_HEADER}|${NODE_ENV}`;
  if (cached?.from !== from) {
    cached = { from, rule: parseClientIpRule({ HOURGLASS_TRUSTED_PROXY_HOPS, HOURGLASS_CLIENT_IP_HEADER, NODE_ENV }) };
    if (!warned && NODE_ENV === "production" && !HOURGLASS_TRUSTED_PROXY_HOPS && !HOURGLASS_CLIENT_IP_HEADER) {
      warned = true;
      console.warn(
        "Hourglass: neither HOURGLASS_TRUSTED_PROXY_HOPS nor HOURGLASS_CLIENT_IP_HEADER is set, so no header names a client: " +
          "every client shares one rate-limit bucket and one stream allowance. Set the rule for your platform (docs/jobs.md).",
      );
    }
  }
  return cached.rule;
}

/** The rate-limit key of one address as a proxy wrote it ("1.2.3.4", "1.2.3.4:5678", "[2001:db8::1]:443"). */
export function addressKey(raw: string): string | undefined {
  let text = raw.trim();
  if (text.length === 0 || text.length > 64) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  if (isIP(text) === 4) return `ip:${text}`;
  const groups = ipv6Groups(text);
  if (!groups || groups.length !== 8) return undefined;
  // An IPv4-mapped address is that IPv4 client (a dual-stack socket's view of it).
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `ip:${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  }
  return `ip6:${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** The wider network of a client key made by `addressKey`: its IPv4 /24 or IPv6 /48; undefined for any other key. */
export function widerPrefix(key: string): string | undefined {
  const v4 = /^ip:(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$/.exec(key);
  if (v4) return `ip:${v4[1]}.0/24`;
  const v6 = /^ip6:([0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}):[0-9a-f]{1,4}::\/64$/.exec(key);
  return v6 ? `ip6:${v6[1]}::/48` : undefined;
}

/** The client `headers` come from under `rule`: an address key, or UNIDENTIFIED. */
export function clientIdentity(headers: Headers, rule: ClientIpRule): string {
  if (rule.kind === "none") return UNIDENTIFIED;
  if (rule.kind === "header") {
    const value = headers.get(rule.name);
    return (value !== null && !value.includes(",") && addressKey(value)) || UNIDENTIFIED;
  }
  const entries = (headers.get("x-forwarded-for") ?? "").split(",");
  if (entries.length < rule.hops) return UNIDENTIFIED;
  return addressKey(entries[entries.length - rule.hops]!) ?? UNIDENTIFIED;
}

/** The client of a request under the configured rule. */
export const clientKey = (headers: Headers): string => clientIdentity(headers, clientIpRule());
