/**
 * First-load JS of each page: every script Chromium fetches while loading it from a production build
 * (`npm run build` first), summed raw and gzipped (zlib level 6, what `next start` serves).
 * Usage: npm run bench:first-load -- [/path ...]   (default: /)
 */
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { chromiumExecutable } from "../../e2e/chromium.ts";
import { BIN, ROOT } from "../lib/paths.ts";
import { freePort, startService, stopAll, waitFor } from "../lib/proc.ts";

const paths = process.argv.slice(2).length ? process.argv.slice(2) : ["/"];
const port = await freePort();
startService("next", path.join(BIN, "next"), ["start", "--port", String(port)], { cwd: ROOT });
const base = `http://127.0.0.1:${port}`;
const browser = await chromium.launch({
  executablePath: chromiumExecutable(),
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  await waitFor(`next start on ${base}`, async () => (await fetch(base)).ok);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  for (const route of paths) {
    const page = await browser.newPage();
    const scripts: Promise<Buffer>[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") scripts.push(response.body());
    });
    await page.goto(base + route, { waitUntil: "networkidle" });
    const bodies = await Promise.all(scripts);
    const raw = bodies.reduce((sum, b) => sum + b.length, 0);
    const gzip = bodies.reduce((sum, b) => sum + gzipSync(b, { level: 6 }).length, 0);
    console.log(`${route.padEnd(12)} ${String(bodies.length).padStart(3)} scripts  ${kb(raw).padStart(10)} raw  ${kb(gzip).padStart(9)} gzip`);
    await page.close();
  }
} finally {
  await browser.close();
  await stopAll();
}
