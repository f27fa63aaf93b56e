/**
 * The host agent's configuration file (JSON). Every field is checked, and a bad one is named in the error:
 * `npm run host -- --config hosts/h1.json` fails with "hosts/h1.json: operatorKey: …" rather than later.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";
import { z } from "zod";
import { LOCAL_CHAIN_ID } from "../lib/chain";

const privateKey = z
  .string()
  .refine((v) => isHex(v) && v.length === 66, "a 32-byte hex private key (0x + 64 hex digits)");
const address = z.string().refine((v) => isAddress(v), "an address");
/** A registry as docker names it in an image reference: a host name or address with an optional port. */
const registry = z
  .string()
  .max(260)
  .regex(
    /^(?:localhost|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)(?::\d{1,5})?$/,
    'a registry host like "docker.io" or "registry.example.com:5000"',
  );

/** The docker runtime's rules and limits (host/runtime/docker.ts); every field has a default. */
export const dockerConfigSchema = z
  .object({
    /** "none": jobs have no network at all. "public": jobs reach the internet through the agent's own bridge, where
     * the firewall rules it applies drop every private, shared, link-local, multicast and host address
     * (host/runtime/network.ts). */
    network: z.enum(["none", "public"]).default("none"),
    /** Memory (MiB, no swap) and CPUs a job gets per GPU it rented: a 2-GPU job gets twice the share. */
    memoryMiBPerGpu: z
      .number()
      .int()
      .min(64)
      .max(4 << 20)
      .default(16_384),
    cpusPerGpu: z.number().min(0.01).max(1024).default(4),
    /** Processes and threads a job may have at once. */
    pidsLimit: z
      .number()
      .int()
      .min(16)
      .max(1 << 20)
      .default(4096),
    /** Sizes (MiB) of the job's /tmp, the only writable place in its container, and of its /dev/shm; what a job
     * writes there is memory, counted against its memory limit. */
    tmpMiB: z
      .number()
      .int()
      .min(16)
      .max(1 << 20)
      .default(4096),
    shmMiB: z
      .number()
      .int()
      .min(16)
      .max(1 << 20)
      .default(1024),
    /** Registries a job's image may come from ("docker.io" is Docker Hub): any other is refused before anything
     * is pulled. Pulls are anonymous whatever logins the machine's docker has. */
    allowedRegistries: z.array(registry).min(1).max(64).default(["docker.io", "ghcr.io", "nvcr.io", "quay.io"]),
    /** "always" pulls a job's image afresh (anonymously) for every run, so no image already on the machine (the
     * provider's own, pulled with its login) runs under a name a buyer gives; "missing" reuses an image the
     * engine has, saving a registry round trip and its rate limit, and lets a job run any image on the machine. */
    pull: z.enum(["always", "missing"]).default("always"),
    /** The GPUs jobs are given, as `nvidia-smi` and docker name them (indices or UUIDs); by default every GPU
     * `nvidia-smi` lists, by UUID. Each is given to one job at a time. */
    gpuDevices: z
      .array(z.string().regex(/^[A-Za-z0-9-]{1,80}$/, "a GPU index or UUID"))
      .max(256)
      .refine((devices) => new Set(devices).size === devices.length, "each GPU once")
      .optional(),
  })
  .strict();
export type DockerConfig = z.infer<typeof dockerConfigSchema>;

/** Services (docs/jobs.md): whether jobs may declare ports, and the limits on what the agent forwards to them. */
export const servicesConfigSchema = z
  .object({
    /** Jobs whose spec declares ports run here only when this is true: the agent then forwards their buyer's
     * requests to them (docker: over an internal bridge of the agent's, host/runtime/network.ts). */
    allow: z.boolean().default(false),
    /** The largest request body forwarded to a job's service, in bytes. */
    maxRequestBytes: z
      .number()
      .int()
      .min(1024)
      .max(2 ** 32)
      .default(64 << 20),
    /** Requests forwarded to one job at once (each holds two sockets). */
    maxConcurrentPerJob: z.number().int().min(1).max(1024).default(32),
    /** The longest one request may take, answer included (a streamed completion, a download). */
    requestTimeoutSeconds: z.number().int().min(1).max(3600).default(600),
  })
  .strict();
export type ServicesConfig = z.infer<typeof servicesConfigSchema>;
export const SERVICES_DEFAULTS: ServicesConfig = servicesConfigSchema.parse({});

/** Files (docs/jobs.md): the inputs buyers upload and the outputs the agent keeps (host/files.ts). */
export const filesConfigSchema = z
  .object({
    /** Where they are kept; relative to the config file's folder. By default beside the journal ("<journal>-files"). */
    dir: z.string().min(1).optional(),
    maxInputBytes: z
      .number()
      .int()
      .min(0)
      .max(2 ** 40)
      .default(1 << 30),
    /** The docker runtime gives each job a tmpfs of this size for its outputs (memory, counted against the job's
     * memory limit): a job cannot write more. */
    maxOutputBytes: z
      .number()
      .int()
      .min(0)
      .max(2 ** 40)
      .default(2 ** 31),
    /** All the files kept at once; an upload or an output that would pass it is refused or left out. */
    maxStoredBytes: z
      .number()
      .int()
      .min(0)
      .max(2 ** 50)
      .default(2 ** 37),
    /** Days a job's files are kept after it ended: at least the escrow's dispute window. */
    retentionDays: z.number().int().min(1).max(365).default(7),
  })
  .strict();
export type FilesConfig = z.infer<typeof filesConfigSchema>;
export const FILES_DEFAULTS: FilesConfig = filesConfigSchema.parse({});

/** How the agent proves its throughput to the SupplyVerifier (host/verifier/) and checks other hosts' proofs. */
export const verificationConfigSchema = z
  .object({
    /** Computes a challenge's work: "cpu" in this process (lib/verification/cpuRunner.ts; local-chain shapes only,
     * a real chain's shape would miss its deadline), "torch" through host/verifier/throughput.py on the GPUs. */
    runner: z.enum(["cpu", "torch"]).default("cpu"),
    /** The Python interpreter with torch that runs throughput.py (the torch runner; default "python3"). */
    python: z.string().min(1).max(4096).optional(),
    /** Instead of `python`: a command that ends in such an interpreter, run with the script on its stdin, e.g. a
     * container with torch and the host's GPUs: ["docker", "run", "--rm", "-i", "--network", "none", "--gpus",
     * "all", "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime", "python"]. */
    torchCommand: z.array(z.string().min(1).max(4096)).min(1).max(64).optional(),
    /** Check every reveal on the chain (host/verifier/watcher.ts) and prove fraud where a tile is wrong. */
    watch: z.boolean().default(true),
    /** The watcher recomputes a tile on the CPU: it skips challenges whose tiles cost more multiply-adds than this
     * (tileRows·cols·inner). The default is a real chain's tile (16·256·65536 = 2^28), some seconds of CPU. */
    watchMaxTileMacs: z
      .number()
      .int()
      .min(1)
      .max(2 ** 34)
      .default(2 ** 28),
  })
  .strict()
  .refine((v) => v.runner === "torch" || (v.python === undefined && v.torchCommand === undefined), {
    message: 'python and torchCommand are the torch runner\'s: set runner to "torch" or leave them out',
  })
  .refine((v) => v.python === undefined || v.torchCommand === undefined, {
    message: "python or torchCommand, not both: a torchCommand ends in its own interpreter",
  });
export type VerificationConfig = z.infer<typeof verificationConfigSchema>;
/** What a config that leaves `verification` out gets. */
export const VERIFICATION_DEFAULTS: VerificationConfig = { runner: "cpu", watch: true, watchMaxTileMacs: 2 ** 28 };

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
    /** The escrow and registry (and the supply verifier: by default the one the registry names); by default from
     * lib/contracts/deployments/<chainId>.json. */
    contracts: z
      .object({ JobEscrow: address, ProviderRegistry: address, SupplyVerifier: address.optional() })
      .optional(),
    runtime: z.enum(["process", "docker"]),
    /** The process runtime runs a buyer's code on this machine with no container around it (host/runtime/process.ts):
     * it is refused on every chain but the local one unless this is true. Never set it where real money pays. */
    UNSAFE_processRuntimeOffTheLocalChain: z.literal(true).optional(),
    /** The docker runtime's rules and limits; left out, their defaults. */
    docker: dockerConfigSchema.optional(),
    /** host:port to listen on. */
    listen: z.string().regex(/^[\w.\-[\]:]+:\d{1,5}$/, "host:port, e.g. 127.0.0.1:8701"),
    maxConcurrentJobs: z.number().int().min(1).max(1024).default(4),
    /** Where the journal lives; relative paths are from the config file's folder. */
    journalDir: z.string().min(1),
    /** How often a running job's journal entry is touched: after a crash it is billed to the last touch. */
    heartbeatSeconds: z.number().int().min(1).max(300).default(15),
    /** Output a job may write before it is stopped, in bytes. Its log on disk is at most about six times this
     * (JSON escapes a control byte as six characters). */
    outputCapBytes: z
      .number()
      .int()
      .min(1024)
      .max(1 << 30)
      .default(16 << 20),
    /** Days a finished job's journal entry and log are kept (its buyer can read the stream again until then):
     * at least the escrow's dispute window. */
    logRetentionDays: z.number().int().min(1).max(3650).default(14),
    /** How often (seconds) to check the registry's price readings and record one when due (lib/oracle.ts);
     * 0 leaves the duty to others. */
    observeEverySeconds: z.number().int().min(0).max(86_400).default(60),
    /** How often (seconds) to cancel this host's jobs that nobody started once anyone may (two start timeouts
     * after they were booked), freeing their GPUs and collecting the reservation fee (host/reaper.ts); 0 never. */
    reapEverySeconds: z.number().int().min(0).max(86_400).default(60),
    /** Proving this host's throughput and checking others'; left out, the CPU runner and the watcher on. */
    verification: verificationConfigSchema.default(VERIFICATION_DEFAULTS),
    /** Jobs' ports; left out, none are allowed. */
    services: servicesConfigSchema.default(SERVICES_DEFAULTS),
    /** Jobs' inputs and outputs; left out, the defaults. */
    files: filesConfigSchema.default(FILES_DEFAULTS),
  })
  .strict();

export type HostConfig = Omit<
  z.infer<typeof hostConfigSchema>,
  "signerKey" | "operatorKey" | "provider" | "contracts" | "verification" | "services" | "files"
> & {
  /** Always there from a file (their defaults); a config built in code (a test bed) may leave them out. */
  verification?: VerificationConfig;
  services?: ServicesConfig;
  files?: FilesConfig;
  signerKey: Hex;
  operatorKey: Hex;
  provider: Address;
  contracts: { JobEscrow: Address; ProviderRegistry: Address; SupplyVerifier?: Address };
};

/** Reads and checks a config file; `deployments` supplies contract addresses the file does not name. */
export function loadHostConfig(
  file: string,
  deployments: (
    chainId: number,
  ) => { JobEscrow?: Address; ProviderRegistry?: Address; SupplyVerifier?: Address } | undefined,
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
  if (
    config.runtime === "process" &&
    config.chainId !== LOCAL_CHAIN_ID &&
    config.UNSAFE_processRuntimeOffTheLocalChain !== true
  ) {
    throw new Error(
      `${file}: runtime: "process" runs buyers' code unisolated on this machine, so it serves only the local chain (${LOCAL_CHAIN_ID}), ` +
        `not chain ${config.chainId}: use "docker"`,
    );
  }
  // The CPU runner does the local chain's CPU-sized work; a real chain's challenge sizes the work to the host's
  // GPUs, which the CPU cannot finish by the deadline: the challenge would fail and the stake be slashed.
  if (config.chainId !== LOCAL_CHAIN_ID && config.verification.runner === "cpu") {
    throw new Error(
      `${file}: verification.runner "cpu" proves only the local chain's work; on chain ${config.chainId} a challenge ` +
        `is sized to the host's GPUs: use "torch"`,
    );
  }
  // The file holds the keys: on a chain where they hold money, no other user of this machine may read it.
  if (config.chainId !== LOCAL_CHAIN_ID && (statSync(file).mode & 0o077) !== 0) {
    throw new Error(
      `${file}: it holds the signer and operator keys, yet other users of this machine may read it: chmod 600 it`,
    );
  }
  const contracts = config.contracts ?? deployments(config.chainId);
  if (!contracts?.JobEscrow || !contracts.ProviderRegistry) {
    throw new Error(`${file}: contracts: none given and no deployment is known for chain ${config.chainId}`);
  }
  return {
    ...config,
    signerKey: config.signerKey as Hex,
    operatorKey: config.operatorKey as Hex,
    provider: getAddress(config.provider),
    contracts: {
      JobEscrow: contracts.JobEscrow,
      ProviderRegistry: contracts.ProviderRegistry,
      ...(contracts.SupplyVerifier ? { SupplyVerifier: getAddress(contracts.SupplyVerifier) } : {}),
    },
    journalDir: path.resolve(path.dirname(file), config.journalDir),
    files: {
      ...config.files,
      ...(config.files.dir ? { dir: path.resolve(path.dirname(file), config.files.dir) } : {}),
    },
  };
}
