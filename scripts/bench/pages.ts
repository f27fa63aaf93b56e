/**
 * The pages as a user's browser meets them, from a production build served by `next start` against a
 * throwaway anvil with the contracts deployed and seeded (the pages read the chain):
 * - First-load JS: every script Chromium fetches while loading a page (until the network is idle), summed raw
 *   and gzipped (zlib level 6, what `next start` serves). `--detail` lists each script with its gzip size,
 *   largest first (grep .next/static/chunks/<name> to see what it holds).
 * - Lighthouse (12.2, in the same Chromium): performance, accessibility and best-practices scores of / and
 *   /compute, mobile (the default: simulated slow 4G, 4× CPU slowdown) and desktop, median of three runs.
 * - Quote recompute on /compute: the time from a keystroke in the hours field to the quote on screen (the
 *   input event dispatched, React's synchronous render and commit), over 200 keystrokes.
 * Usage: npm run bench:pages -- [--detail] [--no-lighthouse] [/path ...]   (first-load default: /, /compute, /wallet)
 */
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";
import lighthouse, { desktopConfig } from "lighthouse";
import { chromiumExecutable } from "../lib/chromium.ts";
import { startProductionApp } from "../lib/app.ts";
import { buildContracts, ensureDeployed, keepDevDeployment, startAnvil } from "../lib/localchain.ts";
import { freePort, stopAll } from "../lib/proc.ts";

const args = process.argv.slice(2);
const detail = args.includes("--detail");
const withLighthouse = !args.includes("--no-lighthouse");
const given = args.filter((a) => a.startsWith("/"));
const paths = given.length ? given : ["/", "/compute", "/wallet"];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(Math.ceil(p * values.length) - 1, values.length - 1)]!;

async function firstLoad(page: Page, url: string) {
  const scripts: Promise<{ url: string; body: Buffer }>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script")
      scripts.push(response.body().then((body) => ({ url: response.url(), body })));
  });
  await page.goto(url, { waitUntil: "networkidle" });
  return Promise.all(scripts);
}

/** Milliseconds from each keystroke to the quote in the DOM: React handles an input event synchronously. */
async function quoteRecompute(page: Page, url: string, keystrokes: number) {
  await page.goto(url, { waitUntil: "networkidle" });
  return page.evaluate((n) => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="input-hours"]')!;
    const quote = document.querySelector('[data-testid="quote-scu"]')!;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const before = quote.textContent;
      const start = performance.now();
      setValue.call(input, String(1 + (i % 48) / 4));
      input.dispatchEvent(new Event("input", { bubbles: true }));
      const elapsed = performance.now() - start;
      if (quote.textContent === before && i % 48 !== 0) throw new Error(`keystroke ${i} did not change the quote`);
      times.push(elapsed);
    }
    return times;
  }, keystrokes);
}

await buildContracts();
const restoreDevDeployment = keepDevDeployment();
// Lighthouse drives the same Chromium through its DevTools port.
const DEBUG_PORT = await freePort();
const browser = await chromium.launch({
  executablePath: chromiumExecutable(),
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", `--remote-debugging-port=${DEBUG_PORT}`],
});
try {
  const anvil = await startAnvil({ port: await freePort() });
  await ensureDeployed(anvil);
  const base = await startProductionApp(anvil.rpcUrl);
  for (const route of paths) {
    const page = await browser.newPage();
    const loaded = await firstLoad(page, base + route);
    if (detail) {
      for (const { url, body } of loaded.sort((a, b) => b.body.length - a.body.length)) {
        console.log(`  ${kb(gzipSync(body, { level: 6 }).length).padStart(9)}  ${new URL(url).pathname}`);
      }
    }
    const raw = loaded.reduce((sum, s) => sum + s.body.length, 0);
    const gzip = loaded.reduce((sum, s) => sum + gzipSync(s.body, { level: 6 }).length, 0);
    console.log(
      `first-load  ${route.padEnd(10)} ${String(loaded.length).padStart(3)} scripts  ${kb(raw).padStart(10)} raw  ${kb(gzip).padStart(9)} gzip`,
    );
    await page.close();
  }

  const quotePage = await browser.newPage();
  const times = await quoteRecompute(quotePage, `${base}/compute`, 200);
  console.log(
    `quote recompute on /compute: p50 ${median(times).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms (${times.length} keystrokes)`,
  );
  await quotePage.close();

  if (withLighthouse) {
    for (const route of ["/", "/compute"]) {
      for (const [formFactor, config] of [
        ["mobile", undefined],
        ["desktop", desktopConfig],
      ] as const) {
        const runs: Record<string, number>[] = [];
        for (let i = 0; i < 3; i++) {
          const result = await lighthouse(
            base + route,
            {
              port: DEBUG_PORT,
              output: "json",
              logLevel: "error",
              onlyCategories: ["performance", "accessibility", "best-practices"],
            },
            config,
          );
          const categories = result!.lhr.categories;
          const audits = result!.lhr.audits;
          runs.push({
            performance: categories.performance!.score! * 100,
            accessibility: categories.accessibility!.score! * 100,
            bestPractices: categories["best-practices"]!.score! * 100,
            lcp: audits["largest-contentful-paint"]!.numericValue!,
            tbt: audits["total-blocking-time"]!.numericValue!,
            cls: audits["cumulative-layout-shift"]!.numericValue!,
          });
        }
        const m = (key: string) => median(runs.map((r) => r[key]!));
        console.log(
          `lighthouse  ${route.padEnd(10)} ${formFactor.padEnd(8)} performance ${m("performance")}  accessibility ${m("accessibility")}  ` +
            `best-practices ${m("bestPractices")}  LCP ${(m("lcp") / 1000).toFixed(2)} s  TBT ${m("tbt").toFixed(0)} ms  CLS ${m("cls").toFixed(3)}` +
            `  (median of ${runs.length}; performance runs: ${runs.map((r) => r.performance).join(", ")})`,
        );
      }
    }
  }
} finally {
  await browser.close();
  await stopAll();
  restoreDevDeployment();
}
