/**
 * `npm run dev`: the whole system on this machine. Starts anvil (state kept in .hourglass/), builds and
 * deploys the contracts when the chain lacks them, seeds demo data, regenerates the bindings and starts
 * Next. Ctrl-C stops everything; anvil writes its state on the way out.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { DEMO_PROVIDERS } from "./lib/demo.ts";
import {
  SPARE_HOST,
  SPARE_PROVIDER_ENV,
  spareProvider,
  spareSignerKey,
  startDemoHosts,
  startUnregisteredHost,
} from "./lib/hosts.ts";
import {
  anvilAccount,
  anvilKey,
  buildContracts,
  DEMO_ACCOUNTS,
  ensureDeployed,
  readDeployment,
  startAnvil,
} from "./lib/localchain.ts";
import { BIN, ROOT, STATE_DIR } from "./lib/paths.ts";
import { assertPortFree, startService, stopAll, waitFor } from "./lib/proc.ts";

const rpcPort = Number(process.env.HOURGLASS_RPC_PORT ?? 8545);
const appPort = Number(process.env.PORT ?? 3000);
const statePath = path.join(STATE_DIR, "anvil-state.json");

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping: app, then chain (anvil saves its state)…");
  await stopAll();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function main() {
  const started = Date.now();
  await assertPortFree(rpcPort, "the chain's RPC", "set HOURGLASS_RPC_PORT to another port");
  await assertPortFree(appPort, "the app", "set PORT to another port");
  const spareServes = spareProvider();
  mkdirSync(STATE_DIR, { recursive: true });

  const anvil = await startAnvil({ port: rpcPort, statePath });
  anvil.child.on("exit", (code) => !stopping && (console.error(`anvil exited (${code}); stopping.`), void shutdown(1)));
  await buildContracts();
  const deployedNow = await ensureDeployed(anvil);
  const registry = readDeployment()?.ProviderRegistry;
  if (!registry) throw new Error("the deployment has no ProviderRegistry");
  const hostsDir = path.join(STATE_DIR, "hosts");
  // The agents' journals name jobs of the contracts they served: a new deployment's jobs reuse those ids.
  if (deployedNow) rmSync(hostsDir, { recursive: true, force: true });
  const hosts = await startDemoHosts(anvil.rpcUrl, registry, { dir: hostsDir });
  await assertPortFree(SPARE_HOST.port, "the spare host agent", "change its port in scripts/lib/hosts.ts");
  const spare = await startUnregisteredHost(anvil.rpcUrl, {
    dir: hostsDir,
    port: SPARE_HOST.port,
    provider: spareServes,
    signerKey: spareSignerKey(spareServes),
    operatorKey: anvilKey(SPARE_HOST.operatorIndex),
  });

  const next = startService("next", path.join(BIN, "next"), ["dev", "--port", String(appPort)], {
    cwd: ROOT,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_PUBLIC_CHAIN_ID: "31337",
      NEXT_PUBLIC_RPC_URL: anvil.rpcUrl,
      // The demo host agents listen on loopback; the dispatch route refuses loopback everywhere else.
      HOURGLASS_ALLOW_LOOPBACK_HOSTS: "1",
    },
  });
  next.on("exit", (code) => !stopping && (console.error(`next exited (${code}); stopping.`), void shutdown(1)));
  const appUrl = `http://localhost:${appPort}`;
  // The first request compiles the page; the banner waits for it so the URL works when printed.
  await waitFor(`the app on ${appUrl}`, async () => (await fetch(appUrl)).ok, 180_000);

  const spareHost = ((await (await fetch(`${spare.url}/health`)).json()) as { hostId: number | null }).hostId;
  const spareProviderName =
    spareServes === anvilAccount(SPARE_HOST.providerAccount).address
      ? `demo ${SPARE_HOST.providerAccount}`
      : "your wallet";
  const accounts = [0, ...DEMO_ACCOUNTS]
    .map((i) => `    ${i === 0 ? "deployer" : `demo ${i}  `}  ${anvilAccount(i).address}  key ${anvilKey(i)}`)
    .join("\n");
  const providers = DEMO_PROVIDERS.map(
    (p) =>
      `    ${p.name.padEnd(14)}  ${anvilAccount(p.account).address}  key ${anvilKey(p.account)}\n` +
      `    ${"".padEnd(14)}  ${p.hosts.map((h) => `${h.gpus}× ${h.classId} (${h.region})`).join(", ")}`,
  ).join("\n");
  console.log(`
  Hourglass is up in ${((Date.now() - started) / 1000).toFixed(1)}s${deployedNow ? " (fresh chain: deployed and seeded)" : ""}

    App         ${appUrl}
    Chain       ${anvil.rpcUrl}  (anvil, chain id 31337, a block a second)
    State       ${path.relative(ROOT, statePath)}  (\`npm run reset\` starts over)
    Contracts   lib/contracts/deployments/31337.json

  Accounts (anvil's public test keys; import one into a browser wallet, or use the Burner wallet):
${accounts}

  Demo providers (hosts listed, USDC staked, SCU minted against them):
${providers}

  Host agents (\`npm run host\`, process runtime; configs and journals in .hourglass/hosts/):
${hosts.map((h) => `    #${h.hostId}  ${h.url}  ${h.classId}  (${h.provider})`).join("\n")}
    spare  ${spare.url}  signer ${spare.signer}, serves provider ${spareServes} (${spareProviderName}): ${spareHost === null ? `no host yet; register it from ${appUrl}/provider with that account` : `serves host #${spareHost}`}
           To list it from your own wallet instead: ${SPARE_PROVIDER_ENV}=0xYourAddress npm run dev

  Ctrl-C stops everything.
`);
}

main().catch((error: unknown) => {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
