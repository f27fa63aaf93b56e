/**
 * POST /api/hosts/check, without Next: before a provider registers a host, the app calls the endpoint's
 * `GET /health` under the same SSRF rules as every relay (lib/server/ssrf.ts) and reports what the agent says
 * about itself: its signer (the address to register), the GPUs it detected, its benchmark and its runtime.
 */
import { isAddress } from "viem";
import { z } from "zod";
import { refuse, type RouteResult } from "./route";
import { EndpointRefused, parseEndpoint, relay } from "./ssrf";

export const hostCheckBodySchema = z.object({ endpoint: z.string().min(1).max(2048) }).strict();

/** What a host agent's /health answers (host/server.ts); unknown fields are dropped. */
const healthSchema = z.object({
  version: z.string(),
  signer: z.string().refine((v) => isAddress(v), "an address"),
  runtime: z.string(),
  gpus: z.array(z.object({ name: z.string(), memoryMiB: z.number().optional() })),
  benchmark: z.record(z.string(), z.unknown()).optional(),
  hostId: z.number().int().positive().nullable().optional(),
  slots: z.object({ max: z.number(), free: z.number() }),
});

export type HostHealth = z.infer<typeof healthSchema>;

const MAX_HEALTH_BYTES = 64 * 1024;

export async function checkHost(body: unknown, ctx: { allowLoopback: boolean; timeoutMs: number }): Promise<RouteResult> {
  const parsed = hostCheckBodySchema.safeParse(body);
  if (!parsed.success) return refuse(400, `${parsed.error.issues[0]!.path.join(".") || "body"}: ${parsed.error.issues[0]!.message}`);
  let endpoint: URL;
  try {
    endpoint = parseEndpoint(parsed.data.endpoint, ctx.allowLoopback);
  } catch (error) {
    return refuse(400, error instanceof EndpointRefused ? error.message : "The endpoint is not a URL.");
  }
  let text: string;
  let status: number;
  try {
    const upstream = await relay(endpoint, { method: "GET", path: "health", timeoutMs: ctx.timeoutMs }, ctx.allowLoopback);
    status = upstream.statusCode ?? 502;
    text = await new Promise<string>((resolve, reject) => {
      let size = 0;
      const chunks: Buffer[] = [];
      upstream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_HEALTH_BYTES) upstream.destroy(new Error("too large"));
        else chunks.push(chunk);
      });
      upstream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      upstream.on("error", reject);
    });
  } catch (error) {
    if (error instanceof EndpointRefused) return refuse(400, error.message);
    if (error instanceof Error && error.message === "timeout") return refuse(504, "The endpoint did not answer in time.");
    return refuse(502, "The endpoint cannot be reached: is the host agent running, and is its port open to the internet?");
  }
  if (status !== 200) return refuse(502, `The endpoint's /health answered ${status}: that is not a running Hourglass host agent.`);
  let health: HostHealth;
  try {
    health = healthSchema.parse(JSON.parse(text));
  } catch {
    return refuse(502, "The endpoint answered, but not as an Hourglass host agent's /health does.");
  }
  return { status: 200, body: { endpoint: endpoint.toString(), ...health } };
}
