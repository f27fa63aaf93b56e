/**
 * Brings up what the browser tests run against, exactly as a user's machine would have it: a throwaway
 * anvil, the contracts deployed and seeded, a production build of the app served by `next start`.
 * Everything listens on free ports, and the dev chain's deployment file is put back afterwards, so a
 * running `npm run dev` keeps its chain and addresses.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { writeBindings } from "../scripts/codegen";
import { buildContracts, ensureDeployed, LOCAL_CHAIN_ID, startAnvil } from "../scripts/lib/localchain";
import { BIN, deploymentFile, ROOT } from "../scripts/lib/paths";
import { freePort, run, startService, stopAll, waitFor } from "../scripts/lib/proc";

export default async function globalSetup() {
  const file = deploymentFile(LOCAL_CHAIN_ID);
  const devDeployment = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  const teardown = async () => {
    await stopAll();
    if (devDeployment === undefined) rmSync(file, { force: true });
    else writeFileSync(file, devDeployment);
    writeBindings();
  };
  try {
    const anvil = await startAnvil({ port: await freePort() });
    await buildContracts();
    await ensureDeployed(anvil);

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
    await teardown();
    throw error;
  }
  return teardown;
}
