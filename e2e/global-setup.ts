/**
 * Brings up what the browser tests run against, exactly as a user's machine would have it: a throwaway
 * anvil, the contracts deployed and seeded, a production build of the app served by `next start`.
 * Everything listens on free ports, and the dev chain's deployment file is put back afterwards, so a
 * running `npm run dev` keeps its chain and addresses.
 */
import { startProductionApp } from "../scripts/lib/app";
import { buildContracts, ensureDeployed, keepDevDeployment, startAnvil } from "../scripts/lib/localchain";
import { freePort, stopAll } from "../scripts/lib/proc";

export default async function globalSetup() {
  const restoreDevDeployment = keepDevDeployment();
  const teardown = async () => {
    await stopAll();
    restoreDevDeployment();
  };
  try {
    const anvil = await startAnvil({ port: await freePort() });
    await buildContracts();
    await ensureDeployed(anvil);

    const appUrl = await startProductionApp(anvil.rpcUrl);

    // Workers start after global setup and inherit its environment.
    process.env.HOURGLASS_E2E_URL = appUrl;
    process.env.HOURGLASS_E2E_RPC = anvil.rpcUrl;
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
