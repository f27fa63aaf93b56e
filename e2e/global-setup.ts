/**
 * Brings up what the browser tests run against, exactly as a user's machine would have it: a throwaway
 * anvil, the contracts deployed and seeded, a production build of the app served by `next start`.
 * Everything listens on free ports, so a running `npm run dev` is left alone.
 */
import path from "node:path";
import { buildContracts, ensureDeployed, startAnvil } from "../scripts/lib/localchain";
import { BIN, ROOT } from "../scripts/lib/paths";
import { freePort, run, startService, stopAll, waitFor } from "../scripts/lib/proc";

export default async function globalSetup() {
  try {
    const anvil = await startAnvil({ port: await freePort() });
    await buildContracts();
    await ensureDeployed(anvil.rpcUrl);

    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_PUBLIC_CHAIN_ID: "31337", NEXT_PUBLIC_RPC_URL: anvil.rpcUrl };
    await run("build", path.join(BIN, "next"), ["build"], { cwd: ROOT, env });
    const port = await freePort();
    startService("next", path.join(BIN, "next"), ["start", "--port", String(port)], { cwd: ROOT, env });
    const appUrl = `http://127.0.0.1:${port}`;
    await waitFor(`the app on ${appUrl}`, async () => (await fetch(appUrl)).ok, 60_000);

    // Workers start after global setup and inherit its environment.
    process.env.HOURGLASS_E2E_URL = appUrl;
    process.env.HOURGLASS_E2E_RPC = anvil.rpcUrl;
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
