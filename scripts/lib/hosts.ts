/**
 * The demo providers' host agents: one `npm run host` process per demo host, its config and journal in
 * `dir`, its signer the key the seed registered, its operator the provider's wallet. `npm run dev` runs them
 * on the ports demo.ts lists (the endpoints the seed registered); a test harness on free ports, and each
 * provider then points its host's on-chain endpoint there. And an agent no host is registered for yet, as a
 * provider starts one before listing it from the provider page.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createPublicClient, createTestClient, http, parseEther, type Address, type Hex } from "viem";
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
  }: { dir?: string; freePorts?: boolean; /** Which demo hosts to start (all by default). */ only?: (host: DemoHost) => boolean } = {},
): Promise<DemoHostProcess[]> {
  const { providerRegistryAbi } = await import("../../lib/contracts/abis.ts");
  const client = createPublicClient({ transport: http(rpcUrl) });
  mkdirSync(dir, { recursive: true });
  const started: DemoHostProcess[] = [];
  for (const provider of DEMO_PROVIDERS) {
    // The seed registered each provider's hosts in the order demo.ts lists them.
    const ids = await client.readContract({
      address: registry, abi: providerRegistryAbi, functionName: "hostsOf", args: [anvilAccount(provider.account).address],
    });
    for (const [i, host] of provider.hosts.entries()) {
      if (!only(host)) continue;
      const hostId = Number(ids[i]);
      const port = freePorts ? await freePort() : host.port;
      if (!freePorts) await assertPortFree(port, `demo host #${hostId}'s agent`, "change its port in scripts/lib/demo.ts");
      const file = path.join(dir, `host-${hostId}.json`);
      writeFileSync(file, JSON.stringify({
        signerKey: anvilKey(host.signerIndex), operatorKey: anvilKey(provider.account), rpcUrl, chainId: LOCAL_CHAIN_ID,
        hostId, runtime: "process", listen: `127.0.0.1:${port}`, maxConcurrentJobs: 2, journalDir: `journal-${hostId}`,
      }, null, 2));
      startService(`host ${hostId}`, path.join(BIN, "tsx"), ["host/main.ts", "--config", file], { cwd: ROOT });
      const url = `http://127.0.0.1:${port}`;
      if (freePorts) await localSigner(rpcUrl, anvilAccount(provider.account)).send(registry, providerRegistryAbi, "setEndpoint", [BigInt(hostId), url]);
      started.push({ hostId, url, signer: anvilAccount(host.signerIndex).address, provider: provider.name, classId: host.classId });
    }
  }
  for (const host of started) {
    await waitFor(`host agent #${host.hostId}`, async () => (await fetch(`${host.url}/health`)).ok, 60_000);
  }
  return started;
}

/** The spare agent `npm run dev` starts for trying the provider page: keys no demo host uses, a port after them. */
export const SPARE_HOST = { signerIndex: 106, operatorIndex: 107, port: 8707 } as const;

/**
 * Starts a host agent with no host id (`npm run host`, process runtime): it serves the host that gets registered
 * with its signer. Its signer (which sends `start`) and operator (which submits receipts) get gas money when
 * they have less than 1 ETH. Resolves once its /health answers.
 */
export async function startUnregisteredHost(
  rpcUrl: string,
  { dir, port, signerKey, operatorKey }: { dir: string; port: number; signerKey: Hex; operatorKey: Hex },
): Promise<{ url: string; signer: Address; process: ReturnType<typeof startService> }> {
  const chain = createTestClient({ mode: "anvil", transport: http(rpcUrl) });
  const balances = createPublicClient({ transport: http(rpcUrl) });
  for (const key of [signerKey, operatorKey]) {
    const { address } = privateKeyToAccount(key);
    if ((await balances.getBalance({ address })) < parseEther("1")) await chain.setBalance({ address, value: parseEther("10") });
  }
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `unregistered-${port}.json`);
  writeFileSync(file, JSON.stringify({
    signerKey, operatorKey, rpcUrl, chainId: LOCAL_CHAIN_ID, runtime: "process", listen: `127.0.0.1:${port}`,
    maxConcurrentJobs: 2, journalDir: `journal-unregistered-${port}`,
  }, null, 2));
  const child = startService(`host :${port}`, path.join(BIN, "tsx"), ["host/main.ts", "--config", file], { cwd: ROOT });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`the host agent on ${url}`, async () => (await fetch(`${url}/health`)).ok, 60_000);
  return { url, signer: privateKeyToAccount(signerKey).address, process: child };
}
