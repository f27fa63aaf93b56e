/**
 * The demo providers' host agents: one `npm run host` process per demo host, its config and journal in
 * `dir`, its signer the key the seed registered, its operator the provider's wallet. `npm run dev` runs them
 * on the ports demo.ts lists (the endpoints the seed registered); a test harness on free ports, and each
 * provider then points its host's on-chain endpoint there.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createPublicClient, http, type Address } from "viem";
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
