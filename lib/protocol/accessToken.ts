/**
 * An access token: a buyer's Access signature (lib/protocol/jobSignatures.ts) with what it signed, as one string
 * a buyer copies once and hands to a client of their own, e.g. as the API key of an OpenAI-compatible client
 * pointed at a job's service URL. It is a bearer token for one job and one scope (ACCESS_ACTIONS) until its
 * expiry (at most MAX_SIGNATURE_LIFETIME ahead): the route and the host each recover its signer and check it is
 * the job's buyer, so nothing but the buyer's key can make one, and nothing stores it.
 *
 *   hg1.<action>.<jobId>.<expiry>.<signature: 130 hex digits, no 0x>
 *
 * It travels in `Authorization: Bearer <token>` (what HTTP clients and SDKs send), or for a file download a
 * browser starts from a link in the `access_token` query parameter (RFC 6750 §2.3), where access logs may keep
 * it: only a "download" token (GET-only: list and fetch a job's files), which the app signs for an hour.
 */
import type { Hex } from "viem";
import { ACCESS_ACTIONS, type AccessAction } from "./jobSignatures";

export const ACCESS_TOKEN_VERSION = "hg1";
export const ACCESS_TOKEN_QUERY = "access_token";
/** A token's length is fixed by its parts: 4 + 8 + 79 + 21 + 130 characters at most, with the dots. */
export const MAX_ACCESS_TOKEN_CHARS = 256;

export interface AccessToken {
  action: AccessAction;
  jobId: bigint;
  expiry: bigint;
  signature: Hex;
}

const TOKEN = /^hg1\.([a-z]{1,16})\.([1-9]\d{0,77})\.(\d{1,20})\.([0-9a-f]{130})$/;

export const formatAccessToken = ({ action, jobId, expiry, signature }: AccessToken): string =>
  `${ACCESS_TOKEN_VERSION}.${action}.${jobId}.${expiry}.${signature.slice(2).toLowerCase()}`;

/** The token in `text`, or why it is not one, as a sentence. */
export function parseAccessToken(text: string): AccessToken | { error: string } {
  if (text.length > MAX_ACCESS_TOKEN_CHARS) return { error: "The access token is too long to be one." };
  const match = TOKEN.exec(text);
  if (!match) return { error: "The access token is malformed: make one on the job's page." };
  const action = match[1] as AccessAction;
  if (!ACCESS_ACTIONS.includes(action)) return { error: `The access token's scope "${action}" is not one there is.` };
  return { action, jobId: BigInt(match[2]!), expiry: BigInt(match[3]!), signature: `0x${match[4]}` as Hex };
}

/** The token of an `Authorization: Bearer …` header, if it has one. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  const match = /^Bearer ([\x21-\x7e]{1,512})$/i.exec(authorization?.trim() ?? "");
  return match?.[1];
}

/**
 * The token a request carries for `jobId` and `action` (the header first, then, where `query` is allowed, the
 * query string), checked for form, job and scope: a token for another job or scope is refused here, before
 * anyone recovers its signer. Its lifetime and signer are checked against the chain by the caller.
 */
export function tokenFor(
  jobId: bigint,
  action: AccessAction | readonly AccessAction[],
  authorization: string | null | undefined,
  query?: string | null,
): AccessToken | { status: number; error: string } {
  const actions: readonly AccessAction[] = typeof action === "string" ? [action] : action;
  const what = actions[0]!;
  const text = bearerToken(authorization) ?? query ?? undefined;
  if (text === undefined)
    return {
      status: 401,
      error: `Job #${jobId}'s ${what} needs its buyer's access token: Authorization: Bearer <token>, made on the job's page.`,
    };
  const token = parseAccessToken(text);
  if ("error" in token) return { status: 401, error: token.error };
  if (token.jobId !== jobId)
    return { status: 403, error: `The access token is for job #${token.jobId}, not #${jobId}.` };
  if (!actions.includes(token.action))
    return { status: 403, error: `The access token opens job #${jobId}'s ${token.action}, not its ${what}.` };
  return token;
}
