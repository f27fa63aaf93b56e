/**
 * Reaching a host endpoint that came from the chain, where anyone can register any URL. Only public unicast
 * addresses; every address a name resolves to is checked at connect time (the socket connects to the address
 * that was checked, so DNS rebinding cannot swap it), and redirects are never followed. What else is allowed
 * depends on the chain (`endpointPolicy`): off the local chain only https, since a buyer's spec, its Access
 * signatures and its job's output would otherwise cross the internet in clear. Loopback is allowed only when
 * the caller says so (`npm run dev` sets HOURGLASS_ALLOW_LOOPBACK_HOSTS=1 for its local host agents;
 * production never does). Deadlines are lib/server/relay.ts's.
 */
import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import type { Readable } from "node:stream";
import { isLocalChain } from "../chain";

export class EndpointRefused extends Error {}

/** Ranges no relay may reach: RFC 6890 special-purpose space, cloud metadata, multicast. */
function blockedRanges(allowLoopback: boolean): BlockList {
  const list = new BlockList();
  const v4: [string, number][] = [
    ["0.0.0.0", 8], // "this network"
    ["10.0.0.0", 8], // private
    ["100.64.0.0", 10], // carrier-grade NAT
    ["169.254.0.0", 16], // link-local, including 169.254.169.254 cloud metadata
    ["172.16.0.0", 12], // private
    ["192.0.0.0", 24], // IETF protocol assignments
    ["192.0.2.0", 24], // documentation
    ["192.88.99.0", 24], // 6to4 relay anycast
    ["192.168.0.0", 16], // private
    ["198.18.0.0", 15], // benchmarking
    ["198.51.100.0", 24], // documentation
    ["203.0.113.0", 24], // documentation
    ["224.0.0.0", 4], // multicast
    ["240.0.0.0", 4], // reserved, and 255.255.255.255 broadcast
  ];
  const v6: [string, number][] = [
    ["::", 128], // unspecified
    ["64:ff9b::", 96], // NAT64: embeds an IPv4 address
    ["64:ff9b:1::", 48], // local-use NAT64
    ["100::", 64], // discard
    ["2001::", 23], // IETF protocol assignments (Teredo, ORCHID…)
    ["2001:db8::", 32], // documentation
    ["2002::", 16], // 6to4: embeds an IPv4 address
    ["fc00::", 7], // unique local
    ["fe80::", 10], // link-local
    ["fec0::", 10], // site-local (deprecated by RFC 3879, still routed inside some networks)
    ["ff00::", 8], // multicast
  ];
  if (!allowLoopback) {
    v4.push(["127.0.0.0", 8]);
    v6.push(["::1", 128]);
  }
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, "ipv4");
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, "ipv6");
  return list;
}

const BLOCKED = blockedRanges(false);
const BLOCKED_EXCEPT_LOOPBACK = blockedRanges(true);

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included), or undefined if it is not one. */
export function ipv6Groups(address: string): number[] | undefined {
  // A zone index ("fe80::1%eth0") names an interface: never a public host.
  if (isIP(address) !== 6 || address.includes("%")) return undefined;
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const [head, tail] = text.split("::") as [string, string | undefined];
  if (tail === undefined) return groups(head);
  const [h, t] = [groups(head), groups(tail)];
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/**
 * What an address is for the blocklists. IPv4-mapped IPv6 (::ffff:a.b.c.d, in dotted or hex form) is what a
 * dual-stack socket connects to as IPv4, so it is checked as the IPv4 it carries. The other forms that carry
 * IPv4 in the low 32 bits, IPv4-compatible (::a.b.c.d, ::7f00:1; deprecated by RFC 4291) and IPv4-translated
 * (::ffff:0:a.b.c.d, RFC 2765), are never how a public host is reached, so they are refused whatever they
 * carry; of ::/96 only ::1 (loopback) is a real address.
 */
function classify(address: string): { address: string; family: "ipv4" | "ipv6" } | "refused" {
  if (isIP(address) === 4) return { address, family: "ipv4" };
  const g = ipv6Groups(address);
  if (!g || g.length !== 8) return "refused";
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const low32 = `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  if (zero(0, 5) && g[5] === 0xffff) return { address: low32, family: "ipv4" };
  if (zero(0, 6)) return g[6] === 0 && g[7] === 1 ? { address: "::1", family: "ipv6" } : "refused";
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return "refused";
  return { address, family: "ipv6" };
}

export function isBlockedAddress(address: string, allowLoopback = false): boolean {
  const found = classify(address.replace(/^\[|\]$/g, ""));
  if (found === "refused") return true;
  return (allowLoopback ? BLOCKED_EXCEPT_LOOPBACK : BLOCKED).check(found.address, found.family);
}

/** What a relay may reach, by chain. */
export interface EndpointPolicy {
  /** Loopback hosts: `npm run dev`, the e2e harness and tests, whose agents listen on loopback. */
  allowLoopback: boolean;
  /** Plain http: the local chain only. */
  allowHttp: boolean;
  /** Only the scheme's standard port (the host check's rule off the local chain: it is no port scanner). */
  standardPortOnly: boolean;
}

/** The policy for a chain: http and any port on the local chain; https (on 443 for the host check) elsewhere. */
export function endpointPolicy(
  ctx: { chainId: number; allowLoopback: boolean },
  { hostCheck = false } = {},
): EndpointPolicy {
  const local = isLocalChain(ctx.chainId);
  return { allowLoopback: ctx.allowLoopback, allowHttp: local, standardPortOnly: hostCheck && !local };
}

export const HTTPS_REQUIRED = "Off the local chain a host's endpoint must be https.";
export const STANDARD_PORT_REQUIRED = "Off the local chain a host's endpoint must be https on the standard port (443).";

/**
 * Parses an endpoint URL and refuses what cannot be a public host agent under `policy`. The WHATWG parser has
 * already turned decimal, octal, hex and short IPv4 forms ("2130706433", "0177.1", "0x7f.1", "127.1") into
 * dotted quads, and IPv6 into its compressed hex form.
 */
export function parseEndpoint(raw: string, policy: EndpointPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointRefused("The host's endpoint is not a URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new EndpointRefused("The host's endpoint is not http(s).");
  if (url.username || url.password) throw new EndpointRefused("The host's endpoint carries credentials.");
  // The URL parser leaves the port empty when it is the scheme's default.
  if (policy.standardPortOnly && (url.protocol !== "https:" || url.port !== ""))
    throw new EndpointRefused(STANDARD_PORT_REQUIRED);
  if (url.protocol === "http:" && !policy.allowHttp) throw new EndpointRefused(HTTPS_REQUIRED);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0 && isBlockedAddress(host, policy.allowLoopback)) {
    throw new EndpointRefused("The host's endpoint is a private or reserved address.");
  }
  if (isIP(host) === 0 && !/^[a-z0-9.-]+$/i.test(host))
    throw new EndpointRefused("The host's endpoint has an invalid name.");
  if (!policy.allowLoopback && (host === "localhost" || host.endsWith(".localhost"))) {
    throw new EndpointRefused("The host's endpoint is a private or reserved address.");
  }
  return url;
}

/** A DNS lookup that fails unless every address the name resolves to is public. */
export function guardedLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 4);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => isBlockedAddress(a.address, allowLoopback));
      if (bad || list.length === 0) {
        return callback(new EndpointRefused("The host's endpoint resolves to a private or reserved address."), "", 4);
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface RelayRequest {
  method: string;
  path: string;
  headers?: Record<string, string | string[]>;
  /** A string is sent with its length; a stream as it comes (chunked, unless the headers give its length). */
  body?: string | Readable;
  /** Aborting it destroys the request, and the response once there is one, with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * One request to `endpoint` + `path` under the rules above. Resolves with the upstream response as soon as its
 * headers arrive (a 3xx is returned as is, never followed); rejects with EndpointRefused for a refused address.
 * It has no timeout of its own: lib/server/relay.ts puts every call under a deadline through `signal`.
 */
export function relay(endpoint: URL, request: RelayRequest, policy: EndpointPolicy): Promise<http.IncomingMessage> {
  const target = new URL(request.path, endpoint);
  const client = target.protocol === "https:" ? https : http;
  // An address literal is connected to without a lookup: check it here too.
  const literal = target.hostname.replace(/^\[|\]$/g, "");
  if (isIP(literal) !== 0 && isBlockedAddress(literal, policy.allowLoopback)) {
    return Promise.reject(new EndpointRefused("The host's endpoint is a private or reserved address."));
  }
  const { signal } = request;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let response: http.IncomingMessage | undefined;
    const abort = () => {
      req.destroy(signal!.reason as Error);
      response?.destroy(signal!.reason as Error);
    };
    const req = client.request(
      target,
      {
        method: request.method,
        headers: {
          ...request.headers,
          ...(typeof request.body === "string" ? { "content-length": Buffer.byteLength(request.body) } : {}),
          // A streamed body of unknown length is chunked whatever the method (node sends a DELETE's or an
          // OPTIONS' body bare by default, which the host would read as the next request).
          ...(request.body !== undefined && typeof request.body !== "string" && !request.headers?.["content-length"]
            ? { "transfer-encoding": "chunked" }
            : {}),
        },
        lookup: guardedLookup(policy.allowLoopback),
        agent: false,
      },
      (res) => {
        response = res;
        res.once("close", () => signal?.removeEventListener("abort", abort));
        resolve(res);
      },
    );
    signal?.addEventListener("abort", abort, { once: true });
    req.on("error", (error) => {
      if (!response) signal?.removeEventListener("abort", abort);
      reject(error);
    });
    const { body } = request;
    if (body === undefined || typeof body === "string") return void req.end(body);
    // A body that fails (past its cap, the browser gone) ends the request with its error.
    body.once("error", (error) => req.destroy(error));
    body.pipe(req);
  });
}
