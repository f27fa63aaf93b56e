/**
 * Reaching a host endpoint that came from the chain, where anyone can register any URL. Only http(s) on
 * public unicast addresses; every address a name resolves to is checked at connect time (the socket connects
 * to the address that was checked, so DNS rebinding cannot swap it), and redirects are never followed.
 * Loopback is allowed only when the caller says so (`npm run dev` sets HOURGLASS_ALLOW_LOOPBACK_HOSTS=1 for
 * its local host agents; production never does).
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

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

/** IPv4-mapped and -compatible IPv6 (::ffff:a.b.c.d, ::a.b.c.d) are checked as the IPv4 they carry. */
function unmap(address: string): { address: string; family: "ipv4" | "ipv6" } {
  const mapped = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: "ipv4" };
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1]!, 16);
    const lo = parseInt(hexMapped[2]!, 16);
    return { address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, family: "ipv4" };
  }
  return { address, family: isIP(address) === 6 ? "ipv6" : "ipv4" };
}

export function isBlockedAddress(address: string, allowLoopback = false): boolean {
  const { address: plain, family } = unmap(address.replace(/^\[|\]$/g, ""));
  if (isIP(plain) === 0) return true;
  return (allowLoopback ? BLOCKED_EXCEPT_LOOPBACK : BLOCKED).check(plain, family);
}

/**
 * Parses an endpoint URL and refuses what cannot be a public host agent. The WHATWG parser has already turned
 * decimal, octal, hex and short IPv4 forms ("2130706433", "0177.1", "0x7f.1", "127.1") into dotted quads.
 */
export function parseEndpoint(raw: string, allowLoopback = false): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointRefused("The host's endpoint is not a URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new EndpointRefused("The host's endpoint is not http(s).");
  if (url.username || url.password) throw new EndpointRefused("The host's endpoint carries credentials.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0 && isBlockedAddress(host, allowLoopback)) {
    throw new EndpointRefused("The host's endpoint is a private or reserved address.");
  }
  if (isIP(host) === 0 && !/^[a-z0-9.-]+$/i.test(host)) throw new EndpointRefused("The host's endpoint has an invalid name.");
  if (!allowLoopback && (host === "localhost" || host.endsWith(".localhost"))) {
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
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface RelayRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One request to `endpoint` + `path` under the rules above. Resolves with the upstream response (a 3xx is
 * returned as is, never followed); rejects with EndpointRefused for a refused address.
 */
export function relay(endpoint: URL, request: RelayRequest, allowLoopback = false): Promise<http.IncomingMessage> {
  const target = new URL(request.path, endpoint);
  const client = target.protocol === "https:" ? https : http;
  // An address literal is connected to without a lookup: check it here too.
  const literal = target.hostname.replace(/^\[|\]$/g, "");
  if (isIP(literal) !== 0 && isBlockedAddress(literal, allowLoopback)) {
    return Promise.reject(new EndpointRefused("The host's endpoint is a private or reserved address."));
  }
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: request.method,
        headers: { ...request.headers, ...(request.body !== undefined ? { "content-length": Buffer.byteLength(request.body) } : {}) },
        lookup: guardedLookup(allowLoopback),
        timeout: request.timeoutMs,
        signal: request.signal,
        agent: false,
      },
      resolve,
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(request.body);
  });
}
