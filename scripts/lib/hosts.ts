/**
 * The demo providers' host agents for `npm run dev`: one `npm run host` process per demo host, its config
 * written to .hourglass/hosts/, its signer the key the seed registered, its operator the provider's wallet.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createPublicClient, http, type Address } from "viem";
import { DEMO_PROVIDERS } from "./demo.ts";
import { anvilAccount, anvilKey, LOCAL_CHAIN_ID } from "./localchain.ts";
import { BIN, ROOT, STATE_DIR } from "./paths.ts";
import { assertPortFree, startService, waitFor } from "./proc.ts";

export interface DemoHostProcess {
  hostId: number;
  url: string;
  provider: string;
  classId: string;
}

export async function startDemoHosts(rpcUrl: string, registry: Address): Promise<DemoHostProcess[]> {
  const { providerRegistryAbi } = await import("../../lib/contracts/abis.ts");
  const client = createPublicClient({ transport: http(rpcUrl) });
  const dir = path.join(STATE_DIR, "hosts");
  mkdirSync(dir, { recursive: true });
  const started: DemoHostProcess[] = [];
  for (const provider of DEMO_PROVIDERS) {
    // The seed registered each provider's hosts in the order demo.ts lists them.
    const ids = await client.readContract({
      address: registry, abi: providerRegistryAbi, functionName: "hostsOf", args: [anvilAccount(provider.account).address],
    });
    for (const [i, host] of provider.hosts.entries()) {
      const hostId = Number(ids[i]);
      await assertPortFree(host.port, `demo host #${hostId}'s agent`, "change its port in scripts/lib/demo.ts");
      const file = path.join(dir, `host-${hostId}.json`);
      writeFileSync(file, JSON.stringify({
        signerKey: anvilKey(host.signerIndex), operatorKey: anvilKey(provider.account), rpcUrl, chainId: LOCAL_CHAIN_ID,
        hostId, runtime: "process", listen: `127.0.0.1:${host.port}`, maxConcurrentJobs: 2, journalDir: `journal-${hostId}`,
      }, null, 2));
      startService(`host ${hostId}`, path.join(BIN, "tsx"), ["host/main.ts", "--config", file], { cwd: ROOT });
      started.push({ hostId, url: `http://127.0.0.1:${host.port}`, provider: provider.name, classId: host.classId });
    }
  }
  for (const host of started) {
    await waitFor(`host agent #${host.hostId}`, async () => (await fetch(`${host.url}/health`)).ok, 60_000);
  }
  return started;
}
