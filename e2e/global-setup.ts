/**
 * Brings up what the browser tests run against, exactly as a user's machine would have it: a throwaway
 * anvil, the contracts deployed and seeded, the host agents of the class the buyer tests rent (E2E_GPU_CLASS),
 * and a production build of the app served by `next start`. Everything listens on free ports, and the dev
 * chain's deployment file is put back afterwards, so a running `npm run dev` keeps its chain and addresses.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startProductionApp } from "../scripts/lib/app";
import { startDemoHosts } from "../scripts/lib/hosts";
import {
  buildContracts,
  ensureDeployed,
  keepDevDeployment,
  readDeployment,
  startAnvil,
} from "../scripts/lib/localchain";
import { freePort, stopAll } from "../scripts/lib/proc";
import { E2E_GPU_CLASS } from "./anvil";

export default async function globalSetup() {
  const restoreDevDeployment = keepDevDeployment();
  const hostsDir = mkdtempSync(path.join(tmpdir(), "hourglass-e2e-hosts-"));
  const teardown = async () => {
    await stopAll();
    rmSync(hostsDir, { recursive: true, force: true });
    restoreDevDeployment();
  };
  try {
    const anvil = await startAnvil({ port: await freePort() });
    await buildContracts();
    await ensureDeployed(anvil);
    const hosts = await startDemoHosts(anvil.rpcUrl, readDeployment()!.ProviderRegistry!, {
      dir: hostsDir,
      freePorts: true,
      only: (host) => host.classId === E2E_GPU_CLASS,
      // The tests keep the price in their own hands: the seed leaves it fresh for an hour of chain time, more
      // than the tests move it, and the provider's test records a reading from its page after its nine-day jump.
      // With the agents recording too, which of them got there first would decide what that page shows.
      observeEverySeconds: 0,
    });

    // The agents listen on loopback, which the routes refuse unless told (as `npm run dev` tells them). The tests
    // stand in for one trusted proxy: the last X-Forwarded-For hop names the client (Next adds the socket's
    // address when a request has none), so a test can be its own client.
    const appUrl = await startProductionApp(anvil.rpcUrl, {
      HOURGLASS_ALLOW_LOOPBACK_HOSTS: "1",
      HOURGLASS_TRUSTED_PROXY_HOPS: "1",
    });

    // Workers start after global setup and inherit its environment.
    process.env.HOURGLASS_E2E_URL = appUrl;
    process.env.HOURGLASS_E2E_RPC = anvil.rpcUrl;
    process.env.HOURGLASS_E2E_HOSTS = JSON.stringify(hosts);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
