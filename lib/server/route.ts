/** What every job route answers, and how it reads a host's answer: shared by dispatch and events. */
import "server-only";
import type { Address, PublicClient } from "viem";
import { BodyTooLarge } from "../protocol/cappedBody";
import { MAX_ANSWER_BYTES, RelayTimeout, type HostAnswer } from "./relay";
import { EndpointRefused } from "./ssrf";

export interface RouteResult {
  status: number;
  body: Record<string, unknown>;
}

export interface ChainContext {
  client: PublicClient;
  chainId: number;
  escrow: Address;
  registry: Address;
  /** Only `npm run dev` sets it: its host agents listen on loopback. */
  allowLoopback: boolean;
  /** The deadline for a whole relayed call (lib/server/relay.ts), and for an event stream's headers. */
  timeoutMs: number;
  /** How long a host's endpoint read from the registry is used before it is read again (lib/server/access.ts;
   * 15 s by default). A test that moves a host's endpoint between requests sets 0. */
  endpointTtlMs?: number;
}

export const refuse = (status: number, error: string): RouteResult => ({ status, body: { error } });

export function parseJobId(raw: string): bigint | undefined {
  return /^[1-9]\d{0,30}$/.test(raw) ? BigInt(raw) : undefined;
}

/**
 * Host `hostId`'s answer for the browser: its 2xx and 4xx pass on (they are its answer to the buyer); a 5xx,
 * a redirect or a body that is not JSON is its failure, a bad gateway with the reason.
 */
export function hostAnswer(hostId: bigint, upstream: HostAnswer): RouteResult {
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(upstream.text) as Record<string, unknown>;
  } catch {
    return refuse(502, `Host #${hostId} answered with something that is not JSON.`);
  }
  const status = upstream.status;
  const passOn = (status >= 200 && status < 300) || (status >= 400 && status < 500);
  return passOn ? { status, body: answer } : refuse(502, `Host #${hostId} failed: ${String(answer.error ?? status)}`);
}

/** The answer when relaying to host `hostId` failed: refused address, deadline passed, or no connection. */
export function unreachable(hostId: bigint, error: unknown): RouteResult {
  if (error instanceof EndpointRefused) return refuse(502, `Host #${hostId} cannot be reached: ${error.message}`);
  if (error instanceof RelayTimeout) return refuse(504, `Host #${hostId} did not answer in time.`);
  if (error instanceof BodyTooLarge)
    return refuse(502, `Host #${hostId} answered more than ${MAX_ANSWER_BYTES / 1024} KiB.`);
  return refuse(502, `Host #${hostId} cannot be reached.`);
}
