/**
 * The host agent's configuration file (JSON). Every field is checked, and a bad one is named in the error:
 * `npm run host -- --config hosts/h1.json` fails with "hosts/h1.json: operatorKey: …" rather than later.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";
import { z } from "zod";

const privateKey = z.string().refine((v) => isHex(v) && v.length === 66, "a 32-byte hex private key (0x + 64 hex digits)");
const address = z.string().refine((v) => isAddress(v), "an address");

export const hostConfigSchema = z
  .object({
    /** Signs usage receipts and sends `start`; its address is the host's signer in the registry. */
    signerKey: privateKey,
    /** Pays gas to submit receipts and record price readings; any funded account. */
    operatorKey: privateKey,
    /** The provider this agent serves: it signs consent to register its signer for this account only, and
     * serves a host only if this account registered it. */
    provider: address,
    rpcUrl: z.url({ protocol: /^https?$/ }),
    chainId: z.number().int().positive(),
    /** The host's id in the ProviderRegistry. Left out, the agent serves the host registered with its signer,
     * found when it appears: a provider can check the agent from the app before registering it. */
    hostId: z.number().int().positive().optional(),
    /** The escrow and registry; by default from lib/contracts/deployments/<chainId>.json. */
    contracts: z.object({ JobEscrow: address, ProviderRegistry: address }).optional(),
    runtime: z.enum(["process", "docker"]),
    /** host:port to listen on. */
    listen: z.string().regex(/^[\w.\-[\]:]+:\d{1,5}$/, "host:port, e.g. 127.0.0.1:8701"),
    maxConcurrentJobs: z.number().int().min(1).max(1024).default(4),
    /** Where the journal lives; relative paths are from the config file's folder. */
    journalDir: z.string().min(1),
    /** How often a running job's journal entry is touched: after a crash it is billed to the last touch. */
    heartbeatSeconds: z.number().int().min(1).max(300).default(15),
    /** Output a job may write before it is stopped, in bytes. */
    outputCapBytes: z.number().int().min(1024).max(1 << 30).default(16 << 20),
    /** How often (seconds) to check the registry's price readings and record one when due (lib/oracle.ts);
     * 0 leaves the duty to others. */
    observeEverySeconds: z.number().int().min(0).max(86_400).default(60),
    /** How often (seconds) to cancel this host's jobs that nobody started once anyone may (two start timeouts
     * after they were booked), freeing their GPUs and collecting the reservation fee (host/reaper.ts); 0 never. */
    reapEverySeconds: z.number().int().min(0).max(86_400).default(60),
  })
  .strict();

export type HostConfig = Omit<z.infer<typeof hostConfigSchema>, "signerKey" | "operatorKey" | "provider" | "contracts"> & {
  signerKey: Hex;
  operatorKey: Hex;
  provider: Address;
  contracts: { JobEscrow: Address; ProviderRegistry: Address };
};

/** Reads and checks a config file; `deployments` supplies contract addresses the file does not name. */
export function loadHostConfig(
  file: string,
  deployments: (chainId: number) => { JobEscrow?: Address; ProviderRegistry?: Address } | undefined,
): HostConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = hostConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  const config = parsed.data;
  const contracts = config.contracts ?? deployments(config.chainId);
  if (!contracts?.JobEscrow || !contracts.ProviderRegistry) {
    throw new Error(`${file}: contracts: none given and no deployment is known for chain ${config.chainId}`);
  }
  return {
    ...config,
    signerKey: config.signerKey as Hex,
    operatorKey: config.operatorKey as Hex,
    provider: getAddress(config.provider),
    contracts: { JobEscrow: contracts.JobEscrow, ProviderRegistry: contracts.ProviderRegistry },
    journalDir: path.resolve(path.dirname(file), config.journalDir),
  };
}
