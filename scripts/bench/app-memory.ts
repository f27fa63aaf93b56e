/**
 * The app server's memory under the two attacks of issue 16, against a production build served by
 * `next start` (Next's own request handling included: the body reaches a route as Node's request stream), on
 * a throwaway anvil with the protocol deployed. Each attack gets a server of its own, started fresh; its RSS is
 * the sum over its process group, sampled every 20 ms:
 * - a 300 MiB chunked body (no Content-Length) POSTed to /api/jobs/1/dispatch, sent as fast as the server
 *   takes it: what it read before it answered, its answer, and the RSS before, at its peak and after;
 * - 27,000 requests to /api/jobs/abc/dispatch, each with its own 15 KB X-Forwarded-For (random hex, so no two
 *   share memory), eight at a time; then 27,000 with unique well-formed IPv6 addresses (short keys, many
 *   clients): the RSS before, at its peak and after, and the answers.
 * The server runs with HOURGLASS_TRUSTED_PROXY_HOPS=1 and no proxy in front: the attacker writes the hop the
 * rule trusts, the worst configuration for the rate limiter's memory (unset, no header is trusted at all).
 *
 * Usage: npm run bench:app-memory -- [--app <dir>] [--no-build] [--body-mib 300] [--keys 27000]
 * `--app` builds and serves another copy of the app instead of this checkout, for a before/after without
 * touching the working tree's .next: `mkdir /tmp/before && git archive <commit> | tar -x -C /tmp/before`.
 * The deployed chain's bindings (lib/contracts, gitignored) are copied into it, and node_modules hard-linked
 * (Turbopack refuses a node_modules symlinked from outside the project).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ensureDeployed, keepDevDeployment, LOCAL_CHAIN_ID, startAnvil, buildContracts } from "../lib/localchain.ts";
import { GENERATED_DIR, ROOT } from "../lib/paths.ts";
import { freePort, run, startService, stop, stopAll, waitFor } from "../lib/proc.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1]! : fallback;
};
const appDir = path.resolve(option("--app", ROOT));
const build = !args.includes("--no-build");
const bodyBytes = Number(option("--body-mib", "300")) * 2 ** 20;
const keyCount = Number(option("--keys", "27000"));
const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Resident memory of every process in process group `pgid` (next start and the server it runs). */
function groupRss(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue; // field 5 of stat: the process group
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, "utf8"));
      total += rss ? Number(rss[1]) * 1024 : 0;
    } catch {
      // gone between the listing and the read
    }
  }
  return total;
}

/** Samples the group's RSS every 20 ms while `work` runs: before, peak and a settled after (2 s later). */
async function measured<T>(pgid: number, work: () => Promise<T>) {
  const before = groupRss(pgid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, groupRss(pgid))), 20);
  try {
    const result = await work();
    await new Promise((r) => setTimeout(r, 2_000));
    peak = Math.max(peak, groupRss(pgid));
    return { result, before, peak, after: groupRss(pgid) };
  } finally {
    clearInterval(sampler);
  }
}

/** POSTs `total` bytes chunked, 64 KiB at a time at the server's pace, until it answers or all is sent. */
function giantBody(url: string, total: number): Promise<{ status: number; sentBytes: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "transfer-encoding": "chunked",
        "x-forwarded-for": "198.51.100.1",
      },
      agent: false,
    });
    req.on("response", (res) => {
      answered = true;
      res.resume();
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, sentBytes: sent, ms: Date.now() - started });
      });
    });
    req.on("error", (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** `count` POSTs to the dispatch route, `concurrency` at a time, each from the X-Forwarded-For `client(i)`. */
async function manyClients(base: string, count: number, concurrency: number, client: (i: number) => string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses = new Map<number, number>();
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(`${base}/api/jobs/abc/dispatch`, {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": 2, "x-forwarded-for": client(i) },
      });
      req.on("response", (res) => {
        statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end("{}");
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await one(next++);
    }),
  );
  agent.destroy();
  return Object.fromEntries(statuses);
}

await buildContracts();
const restoreDevDeployment = keepDevDeployment();
try {
  const anvil = await startAnvil({ port: await freePort(), blockTime: 0 });
  await ensureDeployed(anvil);
  if (appDir !== ROOT) {
    // Another checkout: the generated bindings (gitignored) for this chain, and the dependencies.
    for (const file of ["abis.ts", "deployments.ts", path.join("deployments", `${LOCAL_CHAIN_ID}.json`)]) {
      copyFileSync(path.join(GENERATED_DIR, file), path.join(appDir, "lib/contracts", file));
    }
    if (!existsSync(path.join(appDir, "node_modules"))) {
      const copied = spawnSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(appDir, "node_modules")], {
        stdio: "inherit",
      });
      if (copied.status !== 0) throw new Error("Could not hard-link node_modules into the app copy.");
    }
  }
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_PUBLIC_CHAIN_ID: String(LOCAL_CHAIN_ID),
    NEXT_PUBLIC_RPC_URL: anvil.rpcUrl,
    HOURGLASS_TRUSTED_PROXY_HOPS: "1",
  };
  // The copy's own Next: one from another tree would load a second React.
  const next = path.join(appDir, "node_modules/.bin/next");
  if (build) await run("build", next, ["build"], { cwd: appDir, env });
  /** `attack` against a server of its own, started fresh and warmed up, so each starts from the same RSS. */
  const onFreshServer = async <T>(attack: (base: string) => Promise<T>) => {
    const port = await freePort();
    const server = startService("next", next, ["start", "--port", String(port)], { cwd: appDir, env });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(
        `the app on ${base}`,
        async () => (await fetch(`${base}/api/providers/nobody`)).status === 400,
        60_000,
      );
      // Warm the route up (Next loads each on first use), then let the heap settle.
      for (let i = 0; i < 20; i++)
        await fetch(`${base}/api/jobs/abc/dispatch`, {
          method: "POST",
          body: "{}",
          headers: { "x-forwarded-for": `192.0.2.${i}` },
        });
      await new Promise((r) => setTimeout(r, 3_000));
      return await measured(server.pid!, () => attack(base));
    } finally {
      await stop(server);
    }
  };

  const body = await onFreshServer((base) => giantBody(`${base}/api/jobs/1/dispatch`, bodyBytes));
  const hexKeys = await onFreshServer((base) =>
    manyClients(base, keyCount, 8, () => randomBytes(7680).toString("hex")),
  );
  const v6Keys = await onFreshServer((base) =>
    manyClients(base, keyCount, 8, (i) => `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`),
  );

  console.log(
    `\nApp server memory (RSS of next start's process group), ${appDir === ROOT ? "this checkout" : appDir}:\n`,
  );
  console.log("| attack | answer | RSS before | RSS peak | RSS after (2 s) |");
  console.log("|---|---|---:|---:|---:|");
  console.log(
    `| ${MiB(bodyBytes)} chunked body to /api/jobs/1/dispatch | ${body.result.status} after ${MiB(body.result.sentBytes)} sent, ${body.result.ms} ms | ${MiB(body.before)} | ${MiB(body.peak)} | ${MiB(body.after)} |`,
  );
  console.log(
    `| ${keyCount} unique 15 KB X-Forwarded-For | ${JSON.stringify(hexKeys.result)} | ${MiB(hexKeys.before)} | ${MiB(hexKeys.peak)} | ${MiB(hexKeys.after)} |`,
  );
  console.log(
    `| ${keyCount} unique IPv6 /64 X-Forwarded-For | ${JSON.stringify(v6Keys.result)} | ${MiB(v6Keys.before)} | ${MiB(v6Keys.peak)} | ${MiB(v6Keys.after)} |`,
  );
} finally {
  await stopAll();
  restoreDevDeployment();
}
