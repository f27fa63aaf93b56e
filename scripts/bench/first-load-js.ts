/**
 * First-load JS of each page: every script Chromium fetches while loading it (until the network is idle) from
 * a production build served by `next start`, summed raw and gzipped (zlib level 6, what `next start` serves).
 * The pages read the chain, so this brings up what the e2e tests run against: a throwaway anvil with the
 * contracts deployed and seeded, and the app built against it.
 * Usage: npm run bench:first-load -- [--detail] [/path ...]   (default: / and /wallet; --detail lists each script
 * with its gzip size, largest first: grep .next/static/chunks/<name> to see what it holds)
 */
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { chromiumExecutable } from "../../e2e/chromium.ts";
import { startProductionApp } from "../lib/app.ts";
import { buildContracts, ensureDeployed, keepDevDeployment, startAnvil } from "../lib/localchain.ts";
import { freePort, stopAll } from "../lib/proc.ts";

const args = process.argv.slice(2);
const detail = args.includes("--detail");
const paths = args.filter((a) => a !== "--detail").length ? args.filter((a) => a !== "--detail") : ["/", "/wallet"];
await buildContracts();
const restoreDevDeployment = keepDevDeployment();
const browser = await chromium.launch({
  executablePath: chromiumExecutable(),
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const anvil = await startAnvil({ port: await freePort() });
  await ensureDeployed(anvil);
  const base = await startProductionApp(anvil.rpcUrl);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  for (const route of paths) {
    const page = await browser.newPage();
    const scripts: Promise<{ url: string; body: Buffer }>[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") scripts.push(response.body().then((body) => ({ url: response.url(), body })));
    });
    await page.goto(base + route, { waitUntil: "networkidle" });
    const loaded = await Promise.all(scripts);
    const bodies = loaded.map((s) => s.body);
    if (detail) {
      for (const { url, body } of loaded.sort((a, b) => b.body.length - a.body.length)) {
        console.log(`  ${kb(gzipSync(body, { level: 6 }).length).padStart(9)}  ${new URL(url).pathname}`);
      }
    }
    const raw = bodies.reduce((sum, b) => sum + b.length, 0);
    const gzip = bodies.reduce((sum, b) => sum + gzipSync(b, { level: 6 }).length, 0);
    console.log(`${route.padEnd(12)} ${String(bodies.length).padStart(3)} scripts  ${kb(raw).padStart(10)} raw  ${kb(gzip).padStart(9)} gzip`);
    await page.close();
  }
} finally {
  await browser.close();
  await stopAll();
  restoreDevDeployment();
}
