/**
 * Calls to hosts under a deadline. A socket idle timeout is no deadline: a host that drips a byte every few
 * seconds never goes idle, and held a dispatch 40 s and a host check 45 s. So every relayed call has one
 * deadline for all of it (the lookup, connecting, sending, the answer's headers and its whole body), and an
 * event stream one until its headers arrive, then an idle timeout (the agent sends a comment every 15 s).
 */
import "server-only";
import type { IncomingMessage } from "node:http";
import { readCapped } from "../protocol/cappedBody";
import { relay, type EndpointPolicy, type RelayRequest } from "./ssrf";

/** A host took longer than its deadline. */
export class RelayTimeout extends Error {
  constructor() {
    super("the host did not answer in time");
  }
}

/** The most of a host's answer the app reads (a host is anyone on the internet). */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** A deadline: its signal aborts with a RelayTimeout after `ms`, unless cleared first. */
export function startDeadline(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new RelayTimeout()), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

export interface HostAnswer {
  status: number;
  text: string;
}

/**
 * One call and its whole answer (at most MAX_ANSWER_BYTES, else BodyTooLarge) before `deadline` aborts; a
 * caller that makes more than one call under one deadline (the host check) passes the same signal to each.
 * An answer cut short rejects.
 */
export async function relayAnswer(
  endpoint: URL,
  request: Omit<RelayRequest, "signal">,
  policy: EndpointPolicy,
  deadline: AbortSignal,
): Promise<HostAnswer> {
  const response = await relay(endpoint, { ...request, signal: deadline }, policy);
  return {
    status: response.statusCode ?? 502,
    text: Buffer.from(await readCapped(response, MAX_ANSWER_BYTES)).toString("utf8"),
  };
}

/** `relayAnswer` under a deadline of its own of `ms`. */
export async function relayAnswerWithin(
  endpoint: URL,
  request: Omit<RelayRequest, "signal">,
  policy: EndpointPolicy,
  ms: number,
): Promise<HostAnswer> {
  const deadline = startDeadline(ms);
  try {
    return await relayAnswer(endpoint, request, policy, deadline.signal);
  } finally {
    deadline.clear();
  }
}

/**
 * A stream from a host: its headers within `headersMs`, then no silence longer than `idleMs`. Aborting
 * `signal` (the browser left) destroys it at any time.
 */
export async function relayStream(
  endpoint: URL,
  request: Omit<RelayRequest, "signal">,
  policy: EndpointPolicy,
  { headersMs, idleMs, signal }: { headersMs: number; idleMs: number; signal: AbortSignal },
): Promise<IncomingMessage> {
  const deadline = startDeadline(headersMs);
  let response: IncomingMessage;
  try {
    response = await relay(endpoint, { ...request, signal: AbortSignal.any([deadline.signal, signal]) }, policy);
  } finally {
    deadline.clear();
  }
  response.setTimeout(idleMs, () => response.destroy(new RelayTimeout()));
  return response;
}
