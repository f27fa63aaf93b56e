/** The app as users get it: a production build (`next build`) served by `next start` on a free port. */
import path from "node:path";
import { LOCAL_CHAIN_ID } from "./localchain.ts";
import { BIN, ROOT } from "./paths.ts";
import { freePort, run, startService, waitFor } from "./proc.ts";

/** Builds the app against the local chain at `rpcUrl` and serves it; returns its URL. */
export async function startProductionApp(rpcUrl: string, extraEnv: Record<string, string> = {}): Promise<string> {
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_PUBLIC_CHAIN_ID: String(LOCAL_CHAIN_ID),
    NEXT_PUBLIC_RPC_URL: rpcUrl,
    ...extraEnv,
  };
  await run("build", path.join(BIN, "next"), ["build"], { cwd: ROOT, env });
  const port = await freePort();
  startService("next", path.join(BIN, "next"), ["start", "--port", String(port)], { cwd: ROOT, env });
  const appUrl = `http://127.0.0.1:${port}`;
  await waitFor(`the app on ${appUrl}`, async () => (await fetch(appUrl)).ok, 60_000);
  return appUrl;
}
