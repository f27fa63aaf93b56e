/**
 * What the app's relay costs: a job's event stream read straight from its host agent against the same stream
 * through `GET /api/jobs/[id]/events` of a production build (`next build` + `next start`), one at a time and
 * at 200 concurrent requests, on loopback. Everything is real: anvil with the protocol deployed and seeded, the six
 * demo hosts' agents in their own processes, JOBS finished jobs of BUYERS buyers whose streams both paths serve in
 * full (request i reads job i mod JOBS, so no single job, buyer or host meets a cap). Both sides check the buyer's
 * signature against the job on every request; the route remembers what cannot change (lib/server/access.ts).
 * Usage: npm run bench:route
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseUnits, type PublicClient } from "viem";
import {
  ACCESS_EXPIRY_HEADER,
  ACCESS_SIGNATURE_HEADER,
  accessTypedData,
  dispatchTypedData,
} from "../../lib/protocol/jobSignatures.ts";
import { specHash } from "../../lib/jobs/spec.ts";
import { JOB_TEMPLATES } from "../../lib/jobs/templates.ts";
import { readEvents } from "../../lib/protocol/eventStream.ts";
import { startProductionApp } from "../lib/app.ts";
import { DEMO_PROVIDERS } from "../lib/demo.ts";
import {
  anvilAccount,
  buildContracts,
  ensureDeployed,
  keepDevDeployment,
  LOCAL_CHAIN_ID,
  localSigner,
  readDeployment,
  startAnvil,
} from "../lib/localchain.ts";
import { startDemoHosts } from "../lib/hosts.ts";
import { freePort, stopAll } from "../lib/proc.ts";

/** The load: 200 concurrent requests (2,000 of them), p99 overhead at most 20 ms. */
const CONCURRENCY = 200;
const REQUESTS = 2000;
/** Jobs the requests spread over: 200 in flight are about 2 per job, under both sides' caps of one job's streams. */
const JOBS = 100;
/** Buyers the jobs belong to: 200 streams at once are 10 per buyer, under the agent's 16. */
const BUYERS = 20;
const TARGET_P99_OVERHEAD_MS = 20;
/** Issue 20's target: the route's p99 at most 1.3 times the host's own at 200 concurrent. */
const TARGET_P99_RATIO = 1.3;

interface Sample {
  firstByteMs: number;
  totalMs: number;
}

/** One GET, read to its end: time to the first byte of the body (the SSE first byte) and to the last. */
async function timed(
  url: string,
  headers: Record<string, string>,
  expectedBytes?: number,
): Promise<Sample & { bytes: number }> {
  const start = performance.now();
  const response = await fetch(url, { headers });
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  const reader = response.body!.getReader();
  let firstByte: number | undefined;
  let bytes = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    firstByte ??= performance.now();
    bytes += chunk.value.length;
  }
  if (expectedBytes !== undefined && bytes !== expectedBytes)
    throw new Error(`${url}: ${bytes} bytes, expected ${expectedBytes}`);
  return { firstByteMs: firstByte! - start, totalMs: performance.now() - start, bytes };
}

/** Runs `count` requests, `concurrency` in flight at a time. */
async function load(count: number, concurrency: number, request: (i: number) => Promise<Sample>): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) samples.push(await request(next++));
    }),
  );
  return samples;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(Math.ceil(p * sorted.length) - 1, 0)]!;
};

await buildContracts();
const restoreDevDeployment = keepDevDeployment();
try {
  const anvil = await startAnvil({ port: await freePort(), blockTime: 0 });
  await ensureDeployed(anvil);
  const { computeCreditAbi, jobEscrowAbi } = await import("../../lib/contracts/abis.ts");
  const deployment = readDeployment()!;
  const [escrow, registry, scu] = [deployment.JobEscrow!, deployment.ProviderRegistry!, deployment.ComputeCredit!];

  // All six demo hosts and twenty buyers, so that 200 streams at once stay within every cap a single party meets
  // (the route: 64 per host, 64 per buyer, 4 per job; the agent: 16 per buyer, 8 per job), with room for how
  // unevenly they finish: request i reads job i mod JOBS, job j runs on host j mod 6 for buyer j mod 20.
  const ridgeline = DEMO_PROVIDERS[1]!;
  const hosts = await startDemoHosts(anvil.rpcUrl, registry, {
    dir: mkdtempSync(path.join(tmpdir(), "bench-host-")),
    freePorts: true,
  });
  const provider = localSigner(anvil.rpcUrl, anvilAccount(ridgeline.account));
  const buyers = Array.from({ length: BUYERS }, (_, i) => anvilAccount(20 + i));
  for (const account of buyers) {
    await provider.client.request({
      method: "anvil_setBalance" as never,
      params: [account.address, "0x56BC75E2D63100000"] as never, // 100 ETH for gas
    });
    await provider.send(scu, computeCreditAbi, "transfer", [account.address, parseUnits("20", 18)]);
    await localSigner(anvil.rpcUrl, account).send(scu, computeCreditAbi, "approve", [escrow, parseUnits("20", 18)]);
  }
  // Each runs the hello-GPU template to the end (each locks the shortest job's price: two start timeouts of one GPU).
  const spec = JOB_TEMPLATES.find((t) => t.id === "hello-gpu")!.spec;
  const expiry = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const firstJob =
    ((await provider.client.readContract({ address: escrow, abi: jobEscrowAbi, functionName: "jobCount" })) as bigint) +
    1n;
  const jobs: { id: bigint; hostUrl: string; headers: Record<string, string>; bytes: number }[] = [];
  for (let j = 0; j < JOBS; j++) {
    const jobId = firstJob + BigInt(j);
    const host = hosts[j % hosts.length]!;
    const buyerAccount = buyers[j % BUYERS]!;
    await localSigner(anvil.rpcUrl, buyerAccount).send(escrow, jobEscrowAbi, "createJob", [
      { hostId: BigInt(host.hostId), gpus: 1, maxDuration: 1800, specHash: specHash(spec) },
    ]);
    const body = {
      jobId: String(jobId),
      spec,
      expiry: String(expiry),
      signature: await buyerAccount.signTypedData(
        dispatchTypedData(LOCAL_CHAIN_ID, escrow, { jobId, specHash: specHash(spec), expiry }),
      ),
    };
    // A host takes two at once: a dispatch it has no slot for is sent again.
    for (let dispatched = 503; dispatched === 503;) {
      const answer = await fetch(`${host.url}/jobs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      dispatched = answer.status;
      if (dispatched === 503) await new Promise((r) => setTimeout(r, 200));
      else if (dispatched !== 202) throw new Error(`dispatch: ${dispatched} ${await answer.text()}`);
    }
    const signature = await buyerAccount.signTypedData(
      accessTypedData(LOCAL_CHAIN_ID, escrow, { jobId, action: "events", expiry }),
    );
    jobs.push({
      id: jobId,
      hostUrl: host.url,
      headers: { [ACCESS_EXPIRY_HEADER]: String(expiry), [ACCESS_SIGNATURE_HEADER]: signature },
      bytes: 0,
    });
  }
  // Each read to its end: the receipt is signed and submitted as soon as the run ends.
  for (const job of jobs) {
    const response = await fetch(`${job.hostUrl}/jobs/${job.id}/events`, { headers: job.headers });
    await readEvents(response.body!, () => {});
  }
  console.log(`${JOBS} jobs run to their end`);

  // Each request comes from its own client, as 200 buyers would (the app trusts the one proxy hop the bench
  // plays): the route's per-client limits do not apply to one of them.
  const appUrl = await startProductionApp(anvil.rpcUrl, {
    HOURGLASS_ALLOW_LOOPBACK_HOSTS: "1",
    HOURGLASS_TRUSTED_PROXY_HOPS: "1",
  });
  const direct = (job: (typeof jobs)[number]) => `${job.hostUrl}/jobs/${job.id}/events`;
  const route = (job: (typeof jobs)[number]) => `${appUrl}/api/jobs/${job.id}/events`;
  for (const job of jobs) job.bytes = (await timed(direct(job), job.headers)).bytes;
  const client = (i: number) => ({ "x-forwarded-for": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
  let clients = 0;
  const paths = {
    direct: (i: number) => timed(direct(jobs[i % JOBS]!), jobs[i % JOBS]!.headers, jobs[i % JOBS]!.bytes),
    route: (i: number) =>
      timed(route(jobs[i % JOBS]!), { ...jobs[i % JOBS]!.headers, ...client(clients++) }, jobs[i % JOBS]!.bytes),
  };

  // Requests per concurrency level, run in blocks that alternate direct and route so drift on a busy machine
  // hits both alike, after a warm-up of each.
  const levels = [
    { concurrency: 1, requests: 200 },
    { concurrency: 10, requests: 500 },
    { concurrency: 50, requests: 1000 },
    { concurrency: CONCURRENCY, requests: REQUESTS },
  ];
  for (const request of Object.values(paths)) await load(CONCURRENCY, CONCURRENCY, request);
  const ms = (v: number) => v.toFixed(1);
  const rows: string[] = [];
  let overheadAtTarget = Infinity;
  let ratioAtTarget = Infinity;
  for (const { concurrency, requests } of levels) {
    const samples: Record<keyof typeof paths, Sample[]> = { direct: [], route: [] };
    const block = Math.max(requests / 4, concurrency);
    for (let done = 0; done < requests; done += block) {
      for (const name of ["direct", "route"] as const)
        samples[name].push(...(await load(block, concurrency, paths[name])));
    }
    for (const [label, pick] of [
      ["whole stream", (s: Sample) => s.totalMs],
      ["SSE first byte", (s: Sample) => s.firstByteMs],
    ] as const) {
      const [d, r] = [samples.direct.map(pick), samples.route.map(pick)];
      const [d50, r50, d99, r99] = [percentile(d, 0.5), percentile(r, 0.5), percentile(d, 0.99), percentile(r, 0.99)];
      rows.push(
        `| ${concurrency} | ${label} | ${ms(d50)} | ${ms(r50)} | ${ms(r50 - d50)} | ${ms(d99)} | ${ms(r99)} | ${ms(r99 - d99)} | ${(r99 / d99).toFixed(2)} |`,
      );
      if (concurrency === CONCURRENCY && label === "whole stream") {
        overheadAtTarget = r99 - d99;
        ratioAtTarget = r99 / d99;
      }
    }
    console.log(`${concurrency} concurrent: ${requests} requests each way`);
  }
  console.log(
    `\nA finished job's event stream (about ${jobs[0]!.bytes} bytes), host direct vs through the route, ms:\n`,
  );
  console.log(
    "| concurrent | measure | direct p50 | route p50 | overhead p50 | direct p99 | route p99 | overhead p99 | route ÷ direct p99 |",
  );
  console.log("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const row of rows) console.log(row);

  // Where the route's own time goes, in this process, one call at a time.
  const { checkAccess } = await import("../../lib/server/access.ts");
  const { recoverAccessSigner } = await import("../../lib/protocol/jobSignatures.ts");
  const ctx = {
    client: provider.client as PublicClient,
    chainId: LOCAL_CHAIN_ID,
    escrow,
    registry,
    allowLoopback: true,
    timeoutMs: 10_000,
  };
  const each = async (f: () => Promise<unknown>) => {
    for (let i = 0; i < 50; i++) await f();
    const started = performance.now();
    for (let i = 0; i < 200; i++) await f();
    return ms((performance.now() - started) / 200);
  };
  console.log("\n| the route's check, one at a time | ms |\n|---|---:|");
  const [{ id: jobId, headers }] = jobs as [(typeof jobs)[number]];
  const signature = headers[ACCESS_SIGNATURE_HEADER] as `0x${string}`;
  console.log(
    `| recover the Access signature | ${await each(() => recoverAccessSigner(LOCAL_CHAIN_ID, escrow, { jobId, action: "events", expiry }, signature))} |`,
  );
  console.log(
    `| read the job (one eth_call) | ${await each(() => provider.client.readContract({ address: escrow, abi: jobEscrowAbi, functionName: "job", args: [jobId] }))} |`,
  );
  console.log(
    `| the whole check (checkAccess: both, then the host's endpoint) | ${await each(() => checkAccess(String(jobId), { expiry: String(expiry), signature }, ctx))} |`,
  );

  console.log(
    `\np99 overhead at ${CONCURRENCY} concurrent: ${ms(overheadAtTarget)} ms (target ≤ ${TARGET_P99_OVERHEAD_MS} ms): ${overheadAtTarget <= TARGET_P99_OVERHEAD_MS ? "met" : "NOT met"}`,
  );
  console.log(
    `route p99 ÷ direct p99 at ${CONCURRENCY} concurrent: ${ratioAtTarget.toFixed(2)} (target ≤ ${TARGET_P99_RATIO}): ${ratioAtTarget <= TARGET_P99_RATIO ? "met" : "NOT met"}`,
  );
} finally {
  await stopAll();
  restoreDevDeployment();
}
