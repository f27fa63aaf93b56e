/**
 * The demo providers' host agents: one `npm run host` process per demo host, its config and journal in
 * `dir`, its signer the key the seed registered, its provider and operator the provider's wallet. `npm run dev`
 * runs them on the ports demo.ts lists (the endpoints the seed registered); a test harness on free ports, and
 * each provider then points its host's on-chain endpoint there. And an agent no host is registered for yet, as
 * a provider starts one before listing it from the provider page.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  createPublicClient,
  createTestClient,
  getAddress,
  http,
  isAddress,
  parseEther,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEMO_PROVIDERS, type DemoHost } from "./demo.ts";
import { anvilAccount, anvilKey, LOCAL_CHAIN_ID, localSigner } from "./localchain.ts";
import { BIN, ROOT, STATE_DIR } from "./paths.ts";
import { assertPortFree, freePort, startService, waitFor } from "./proc.ts";

export interface DemoHostProcess {
  hostId: number;
  url: string;
  /** The address its receipts are signed with, as registered. */
  signer: Address;
  provider: string;
  classId: string;
}

export async function startDemoHosts(
  rpcUrl: string,
  registry: Address,
  {
    dir = path.join(STATE_DIR, "hosts"),
    freePorts = false,
    only = () => true,
    observeEverySeconds,
  }: {
    dir?: string;
    freePorts?: boolean;
    /** Which demo hosts to start (all by default). */
    only?: (host: DemoHost) => boolean;
    /** The agents' price-reading duty (host/config.ts; its default when left out, 0 turns it off). */
    observeEverySeconds?: number;
  } = {},
): Promise<DemoHostProcess[]> {
  const { providerRegistryAbi } = await import("../../lib/contracts/abis.ts");
  const client = createPublicClient({ transport: http(rpcUrl) });
  mkdirSync(dir, { recursive: true });
  const started: DemoHostProcess[] = [];
  for (const provider of DEMO_PROVIDERS) {
    // The seed registered each provider's hosts in the order demo.ts lists them.
    const ids = await client.readContract({
      address: registry,
      abi: providerRegistryAbi,
      functionName: "hostsOf",
      args: [anvilAccount(provider.account).address],
    });
    for (const [i, host] of provider.hosts.entries()) {
      if (!only(host)) continue;
      const hostId = Number(ids[i]);
      const port = freePorts ? await freePort() : host.port;
      if (!freePorts)
        await assertPortFree(port, `demo host #${hostId}'s agent`, "change its port in scripts/lib/demo.ts");
      const file = path.join(dir, `host-${hostId}.json`);
      writeFileSync(
        file,
        JSON.stringify(
          {
            signerKey: anvilKey(host.signerIndex),
            operatorKey: anvilKey(provider.account),
            provider: anvilAccount(provider.account).address,
            rpcUrl,
            chainId: LOCAL_CHAIN_ID,
            hostId,
            runtime: "process",
            listen: `127.0.0.1:${port}`,
            maxConcurrentJobs: 2,
            journalDir: `journal-${hostId}`,
            // The demo's hosts serve jobs' ports (their runtime is the local process one, on loopback).
            services: { allow: true },
            ...(observeEverySeconds === undefined ? {} : { observeEverySeconds }),
          },
          null,
          2,
        ),
      );
      startService(`host ${hostId}`, path.join(BIN, "tsx"), ["host/main.ts", "--config", file], { cwd: ROOT });
      const url = `http://127.0.0.1:${port}`;
      if (freePorts)
        await localSigner(rpcUrl, anvilAccount(provider.account)).send(registry, providerRegistryAbi, "setEndpoint", [
          BigInt(hostId),
          url,
        ]);
      started.push({
        hostId,
        url,
        signer: anvilAccount(host.signerIndex).address,
        provider: provider.name,
        classId: host.classId,
      });
    }
  }
  for (const host of started) {
    await waitFor(`host agent #${host.hostId}`, async () => (await fetch(`${host.url}/health`)).ok, 60_000);
  }
  return started;
}

/** The spare agent `npm run dev` starts for trying the provider page: keys no demo host uses, a port after them,
 * and by default demo account 1 as the provider it serves (HOURGLASS_SPARE_PROVIDER names another). */
export const SPARE_HOST = { firstSignerIndex: 1000, operatorIndex: 107, port: 8707, providerAccount: 1 } as const;
export const SPARE_PROVIDER_ENV = "HOURGLASS_SPARE_PROVIDER";

/** The spare agent's signer key when it serves `provider`: a key of its own per provider, since a key is bound to
 * the first host registered with it for good, and pointing the agent at another wallet must not find it taken. */
export const spareSignerKey = (provider: Address) =>
  anvilKey(SPARE_HOST.firstSignerIndex + Number(BigInt(provider) % 1_000_000n));

/** The provider the spare agent serves: $HOURGLASS_SPARE_PROVIDER, or demo account 1. */
export function spareProvider(env: NodeJS.ProcessEnv = process.env): Address {
  const chosen = env[SPARE_PROVIDER_ENV]?.trim();
  if (!chosen) return anvilAccount(SPARE_HOST.providerAccount).address;
  if (!isAddress(chosen, { strict: false }))
    throw new Error(`${SPARE_PROVIDER_ENV}: "${chosen}" is not an address (0x and 40 hex digits).`);
  return getAddress(chosen);
}

/**
 * Starts a host agent with no host id (`npm run host`, process runtime) serving `provider`: it consents to be
 * registered by that account only, and serves the host that account registers with its signer. Its signer
 * (which sends `start`) and operator (which submits receipts) get gas money when they have less than 1 ETH.
 * Resolves once its /health answers.
 */
export async function startUnregisteredHost(
  rpcUrl: string,
  {
    dir,
    port,
    signerKey,
    operatorKey,
    provider,
    observeEverySeconds,
  }: {
    dir: string;
    port: number;
    signerKey: Hex;
    operatorKey: Hex;
    provider: Address;
    /** As for startDemoHosts. */
    observeEverySeconds?: number;
  },
): Promise<{ url: string; signer: Address; process: ReturnType<typeof startService> }> {
  const chain = createTestClient({ mode: "anvil", transport: http(rpcUrl) });
  const balances = createPublicClient({ transport: http(rpcUrl) });
  for (const key of [signerKey, operatorKey]) {
    const { address } = privateKeyToAccount(key);
    if ((await balances.getBalance({ address })) < parseEther("1"))
      await chain.setBalance({ address, value: parseEther("10") });
  }
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `unregistered-${port}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        signerKey,
        operatorKey,
        provider,
        rpcUrl,
        chainId: LOCAL_CHAIN_ID,
        runtime: "process",
        listen: `127.0.0.1:${port}`,
        maxConcurrentJobs: 2,
        journalDir: `journal-unregistered-${port}`,
        ...(observeEverySeconds === undefined ? {} : { observeEverySeconds }),
      },
      null,
      2,
    ),
  );
  const child = startService(`host :${port}`, path.join(BIN, "tsx"), ["host/main.ts", "--config", file], { cwd: ROOT });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`the host agent on ${url}`, async () => (await fetch(`${url}/health`)).ok, 60_000);
  return { url, signer: privateKeyToAccount(signerKey).address, process: child };
}
