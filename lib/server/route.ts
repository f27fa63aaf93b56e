/** What every job route answers, and how it reads a host's answer: shared by dispatch, events and stop. */
import type { IncomingMessage } from "node:http";
import type { Address, PublicClient } from "viem";
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
  timeoutMs: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

export const refuse = (status: number, error: string): RouteResult => ({ status, body: { error } });

export function parseJobId(raw: string): bigint | undefined {
  return /^[1-9]\d{0,30}$/.test(raw) ? BigInt(raw) : undefined;
}

/**
 * Host `hostId`'s answer for the browser: its 2xx and 4xx pass on (they are its answer to the buyer); a 5xx,
 * a redirect or a body that is not JSON is its failure, a bad gateway with the reason.
 */
export async function hostAnswer(hostId: bigint, upstream: IncomingMessage): Promise<RouteResult> {
  const text = await readCapped(upstream);
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return refuse(502, `Host #${hostId} answered with something that is not JSON.`);
  }
  const status = upstream.statusCode ?? 502;
  const passOn = (status >= 200 && status < 300) || (status >= 400 && status < 500);
  return passOn ? { status, body: answer } : refuse(502, `Host #${hostId} failed: ${String(answer.error ?? status)}`);
}

/** The answer when relaying to host `hostId` failed: refused address, timeout, or no connection. */
export function unreachable(hostId: bigint, error: unknown): RouteResult {
  if (error instanceof EndpointRefused) return refuse(502, `Host #${hostId} cannot be reached: ${error.message}`);
  if (error instanceof Error && error.message === "timeout") return refuse(504, `Host #${hostId} did not answer in time.`);
  return refuse(502, `Host #${hostId} cannot be reached.`);
}

/** A host answered more than MAX_RESPONSE_BYTES. */
export class AnswerTooLarge extends Error {
  constructor() {
    super("the host's answer is too large");
  }
}

/** A host's answer as text, refused past 64 KiB (a host is anyone on the internet). */
export function readCapped(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        response.destroy();
        reject(new AnswerTooLarge());
      } else chunks.push(chunk);
    });
    response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    response.on("error", reject);
  });
}
