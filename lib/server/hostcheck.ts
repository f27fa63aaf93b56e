/**
 * POST /api/hosts/check, without Next: before a provider registers a host (or moves one), the app calls the
 * endpoint's `GET /health` under the same SSRF rules as every relay (lib/server/ssrf.ts) and reports what the
 * agent says about itself: its signer (the address to register), the provider it is configured to serve, the
 * GPUs it detected, its benchmark and its runtime. Asked to (`consent: true`), and only when the agent is
 * configured for the very wallet that signed the check, it also asks the agent's `POST /consent` for its
 * signer key's consent to serve it (what `registerHost` needs, lib/protocol/consent.ts), and passes it on only when it
 * recovers to the agent's signer for this registry and chain.
 *
 * It is no port prober: a check must be signed by a wallet (HostCheck, lib/provider/hostcheck.ts, good for at
 * most five minutes, for this endpoint, chain and registry); off the local chain only https on port 443 is
 * tried; both calls together have one deadline; and whatever goes wrong on the network (no connection, a
 * name that resolves to a private address, a slow, large or foreign answer) is one and the same answer.
 */
import "server-only";
import { getAddress, isAddress, recoverTypedDataAddress, type Address } from "viem";
import { z } from "zod";
import { consentAnswerSchema, recoverConsentSigner } from "../protocol/consent";
import { firstIssue, signatureField, unixSecondsField } from "../protocol/fields";
import { hostHealthSchema, type HostHealth } from "../protocol/health";
import {
  HOST_CHECK_LIFETIME_SECONDS,
  hostCheckTypedData,
  type HostCheck,
  type SignerConsent,
} from "../provider/hostcheck";
import { relayAnswer, RelayTimeout, startDeadline, type HostAnswer } from "./relay";
import { refuse, type RouteResult } from "./route";
import { endpointPolicy, EndpointRefused, parseEndpoint, type EndpointPolicy } from "./ssrf";

export const hostCheckBodySchema = z
  .object({
    endpoint: z.string().min(1).max(2048),
    provider: z.string().refine((v) => isAddress(v, { strict: false }), "an address"),
    expiry: unixSecondsField,
    signature: signatureField,
    consent: z.boolean().optional(),
  })
  .strict();

/** The longest refusal of an agent's the check passes on: its words, not a page of them. */
const MAX_AGENT_ERROR_CHARS = 300;

/** Every network outcome but a real agent's /health: a prober learns only that there is no agent there. */
export const NOT_AN_AGENT =
  "The endpoint did not answer as an Hourglass host agent. Check that the agent runs there (npm run host) and that its address is reachable from the internet.";

export interface HostCheckContext {
  /** The chain and registry a consent (and the check's own signature) must be for. */
  chainId: number;
  registry: Address;
  allowLoopback: boolean;
  /** One deadline for the whole check: /health and, when asked, /consent. */
  timeoutMs: number;
}

export async function checkHost(body: unknown, ctx: HostCheckContext): Promise<RouteResult> {
  const parsed = hostCheckBodySchema.safeParse(body);
  if (!parsed.success) return refuse(400, firstIssue(parsed.error));
  const { endpoint: raw, expiry, signature, consent: askConsent } = parsed.data;
  const provider = getAddress(parsed.data.provider);
  const now = Math.floor(Date.now() / 1000);
  if (expiry <= BigInt(now)) return refuse(401, "The check's signature has expired. Check again.");
  if (expiry > BigInt(now + HOST_CHECK_LIFETIME_SECONDS)) {
    return refuse(
      401,
      `A check's signature may be valid for at most ${HOST_CHECK_LIFETIME_SECONDS / 60} minutes. Is this computer's clock right?`,
    );
  }
  const signer = await recoverTypedDataAddress({
    ...hostCheckTypedData(ctx.chainId, ctx.registry, { endpoint: raw, expiry }),
    signature,
  }).catch(() => undefined);
  if (signer !== provider)
    return refuse(401, "The check is not signed by the wallet it names, for this endpoint, chain and registry.");

  const policy = endpointPolicy(ctx, { hostCheck: true });
  let endpoint: URL;
  try {
    endpoint = parseEndpoint(raw, policy);
  } catch (error) {
    return refuse(400, error instanceof EndpointRefused ? error.message : "The endpoint is not a URL.");
  }
  const deadline = startDeadline(ctx.timeoutMs);
  try {
    let health: HostHealth;
    try {
      const answer = await relayAnswer(endpoint, { method: "GET", path: "health" }, policy, deadline.signal);
      if (answer.status !== 200) return refuse(502, NOT_AN_AGENT);
      health = hostHealthSchema.parse(JSON.parse(answer.text));
    } catch {
      return refuse(502, NOT_AN_AGENT);
    }
    const check: HostCheck = { endpoint: endpoint.toString(), ...health };
    if (!askConsent) return { status: 200, body: { ...check } };
    const consent = await askForConsent(endpoint, health, provider, ctx, policy, deadline.signal);
    return { status: 200, body: { ...check, ...consent } };
  } finally {
    deadline.clear();
  }
}

/** The agent's consent to serve `provider`, asked only when its config names that provider. */
async function askForConsent(
  endpoint: URL,
  health: HostHealth,
  provider: Address,
  ctx: HostCheckContext,
  policy: EndpointPolicy,
  within: AbortSignal,
): Promise<{ consent: SignerConsent } | { consentRefused: string }> {
  if (health.provider.toLowerCase() !== provider.toLowerCase()) {
    return {
      consentRefused: `The agent is configured for ${health.provider}, not this wallet: connect that wallet, or set the agent's \`provider\` to ${provider} and restart it.`,
    };
  }
  let answer: HostAnswer;
  try {
    answer = await relayAnswer(
      endpoint,
      {
        method: "POST",
        path: "consent",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ provider }),
      },
      policy,
      within,
    );
  } catch (error) {
    if (error instanceof RelayTimeout)
      return { consentRefused: "The agent did not answer the request for its consent in time." };
    return { consentRefused: "The agent's /consent cannot be reached." };
  }
  const json = parseJson(answer.text);
  if (answer.status !== 200) {
    const said = z.object({ error: z.string() }).safeParse(json);
    return {
      consentRefused: said.success
        ? `The agent refused its consent: ${said.data.error.slice(0, MAX_AGENT_ERROR_CHARS)}`
        : `The agent's /consent answered ${answer.status}.`,
    };
  }
  const consent = consentAnswerSchema.safeParse(json);
  if (!consent.success) return { consentRefused: "The agent's /consent answered, but not with a consent." };
  const { provider: forProvider, signer, deadline, signature } = consent.data;
  // Its /health and its consent must agree, and the signature must be its signer's for this wallet, registry
  // and chain: any other consent would only make the registration revert.
  const recovered = await recoverConsentSigner(ctx.chainId, ctx.registry, { provider, deadline }, signature).catch(
    () => undefined,
  );
  if (forProvider !== provider || signer !== health.signer || recovered !== health.signer) {
    return {
      consentRefused: "The agent's consent is not its signer's signature for this wallet on this registry and chain.",
    };
  }
  return { consent: { deadline: String(deadline), signature } };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
