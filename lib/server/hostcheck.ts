/**
 * POST /api/hosts/check, without Next: before a provider registers a host, the app calls the endpoint's
 * `GET /health` under the same SSRF rules as every relay (lib/server/ssrf.ts) and reports what the agent says
 * about itself: its signer (the address to register), the provider it is configured to serve, the GPUs it
 * detected, its benchmark and its runtime. Given the connected wallet as `provider`, and only when the agent
 * is configured for that very wallet, it also asks the agent's `POST /consent` for its signer key's consent to
 * serve it (what `registerHost` needs, lib/consent.ts), and passes it on only when it recovers to the agent's
 * signer for this registry and chain: the app never asks an agent to consent to another wallet.
 */
import type { IncomingMessage } from "node:http";
import { getAddress, isAddress, type Address } from "viem";
import { z } from "zod";
import { consentAnswerSchema, recoverConsentSigner } from "../consent";
import { hostHealthSchema, type HostCheck, type HostHealth, type SignerConsent } from "../provider/hostcheck";
import { AnswerTooLarge, readCapped, refuse, type RouteResult } from "./route";
import { EndpointRefused, parseEndpoint, relay, type RelayRequest } from "./ssrf";

export const hostCheckBodySchema = z
  .object({
    endpoint: z.string().min(1).max(2048),
    provider: z.string().refine((v) => isAddress(v, { strict: false }), "an address").optional(),
  })
  .strict();

/** The longest refusal of an agent's the check passes on: its words, not a page of them. */
const MAX_AGENT_ERROR_CHARS = 300;

export interface HostCheckContext {
  /** The chain and registry a consent must be for. */
  chainId: number;
  registry: Address;
  allowLoopback: boolean;
  timeoutMs: number;
}

export async function checkHost(body: unknown, ctx: HostCheckContext): Promise<RouteResult> {
  const parsed = hostCheckBodySchema.safeParse(body);
  if (!parsed.success) return refuse(400, `${parsed.error.issues[0]!.path.join(".") || "body"}: ${parsed.error.issues[0]!.message}`);
  let endpoint: URL;
  try {
    endpoint = parseEndpoint(parsed.data.endpoint, ctx.allowLoopback);
  } catch (error) {
    return refuse(400, error instanceof EndpointRefused ? error.message : "The endpoint is not a URL.");
  }
  let answer: { status: number; text: string };
  try {
    answer = await ask(endpoint, { method: "GET", path: "health", timeoutMs: ctx.timeoutMs }, ctx);
  } catch (error) {
    if (error instanceof EndpointRefused) return refuse(400, error.message);
    if (isTimeout(error)) return refuse(504, "The endpoint did not answer in time.");
    if (error instanceof AnswerTooLarge) return refuse(502, "The endpoint's /health answered more than 64 KiB: that is not an Hourglass host agent.");
    return refuse(502, "The endpoint cannot be reached: is the host agent running, and is its port open to the internet?");
  }
  if (answer.status !== 200) return refuse(502, `The endpoint's /health answered ${answer.status}: that is not a running Hourglass host agent.`);
  let health: HostHealth;
  try {
    health = hostHealthSchema.parse(JSON.parse(answer.text));
  } catch {
    return refuse(502, "The endpoint answered, but not as an Hourglass host agent's /health does.");
  }
  const check: HostCheck = { endpoint: endpoint.toString(), ...health };
  if (parsed.data.provider === undefined) return { status: 200, body: { ...check } };
  const consent = await askConsent(endpoint, health, getAddress(parsed.data.provider), ctx);
  return { status: 200, body: { ...check, ...consent } };
}

/** The agent's consent to serve `provider`, asked only when its config names that provider. */
async function askConsent(
  endpoint: URL,
  health: HostHealth,
  provider: Address,
  ctx: HostCheckContext,
): Promise<{ consent: SignerConsent } | { consentRefused: string }> {
  if (health.provider.toLowerCase() !== provider.toLowerCase()) {
    return {
      consentRefused: `The agent is configured for ${health.provider}, not this wallet: connect that wallet, or set the agent's \`provider\` to ${provider} and restart it.`,
    };
  }
  let answer: { status: number; text: string };
  try {
    answer = await ask(
      endpoint,
      { method: "POST", path: "consent", headers: { "content-type": "application/json" }, body: JSON.stringify({ provider }), timeoutMs: ctx.timeoutMs },
      ctx,
    );
  } catch (error) {
    if (isTimeout(error)) return { consentRefused: "The agent did not answer the request for its consent in time." };
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
  const recovered = await recoverConsentSigner(ctx.chainId, ctx.registry, { provider, deadline }, signature).catch(() => undefined);
  if (forProvider !== provider || signer !== health.signer || recovered !== health.signer) {
    return { consentRefused: "The agent's consent is not its signer's signature for this wallet on this registry and chain." };
  }
  return { consent: { deadline: String(deadline), signature } };
}

/** One request to the agent under the SSRF rules, its answer read up to the relay's size cap. */
async function ask(endpoint: URL, request: RelayRequest, ctx: HostCheckContext): Promise<{ status: number; text: string }> {
  const upstream: IncomingMessage = await relay(endpoint, request, ctx.allowLoopback);
  return { status: upstream.statusCode ?? 502, text: await readCapped(upstream) };
}

const isTimeout = (error: unknown) => error instanceof Error && error.message === "timeout";

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
