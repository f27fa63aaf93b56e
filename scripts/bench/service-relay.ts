/**
 * What the service relay costs: a job's HTTP service called straight on its port, through its host agent
 * (`/jobs/:id/http/:port/…`, which checks the access token), and through the app's route
 * (`/api/jobs/[id]/http/[port]/…` of a production build, which checks it against the chain, then relays to the
 * agent), one request at a time and 20 at once; then a large answer and a large output file each way, in MiB/s.
 * All real and on loopback: anvil with the protocol deployed, a demo host's agent in its own process (the
 * process runtime), `next build` + `next start`.
 * Usage: npm run bench:service [-- <MiB for the large transfers, default 256>]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseUnits } from "viem";
import { formatAccessToken } from "../../lib/protocol/accessToken.ts";
import { readEvents } from "../../lib/protocol/eventStream.ts";
import {
  ACCESS_EXPIRY_HEADER,
  ACCESS_SIGNATURE_HEADER,
  accessTypedData,
  dispatchTypedData,
  type AccessAction,
} from "../../lib/protocol/jobSignatures.ts";
import { specHash, type JobSpec } from "../../lib/jobs/spec.ts";
import { startProductionApp } from "../lib/app.ts";
import { DEMO_PROVIDERS } from "../lib/demo.ts";
import { startDemoHosts } from "../lib/hosts.ts";
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
import { freePort, stopAll } from "../lib/proc.ts";

const MIB = Number(process.argv[2] ?? 256);
const REQUESTS = 500;

/** A service that answers /ping with "pong" and /blob with MIB MiB, and says its port. */
const SERVICE: JobSpec = {
  version: 1,
  image: "node:22-slim",
  command: [
    "node",
    "-e",
    [
      "const port = Number(process.env.HOURGLASS_PORT_8000);",
      "const chunk = Buffer.alloc(1 << 20, 97);",
      "require('node:http').createServer((req, res) => {",
      "  if (req.url === '/ping') return res.end('pong');",
      "  res.writeHead(200, { 'content-length': String(Number(process.env.MIB) << 20) }); let n = Number(process.env.MIB);",
      "  const w = () => { while (n > 0) { n--; if (!res.write(chunk)) return res.once('drain', w); } res.end(); }; w();",
      "}).listen(port, '0.0.0.0', () => console.log('listening on ' + port));",
    ].join("\n"),
  ],
  env: { MIB: String(MIB) },
  ports: [8000],
};

/** A job that writes one MIB MiB output file and exits. */
const OUTPUT: JobSpec = {
  version: 1,
  image: "node:22-slim",
  command: [
    "node",
    "-e",
    "require('node:fs').writeFileSync(process.env.HOURGLASS_OUTPUTS + '/big.bin', Buffer.alloc(Number(process.env.MIB) << 20, 98)); console.log('written')",
  ],
  env: { MIB: String(MIB) },
};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(Math.ceil(p * sorted.length) - 1, 0)]!;
};

/** Each request from a client of its own, as many buyers' would be (the app trusts the one proxy hop the bench
 * plays): the route's per-client rate limit is not what is measured. */
let clients = 0;
const client = () => {
  const i = clients++;
  return { "x-forwarded-for": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
};

/** `count` GETs of `url`, `concurrency` at a time, each read to its end: their times in ms. */
async function latencies(url: string, headers: Record<string, string>, count: number, concurrency: number) {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) {
        const start = performance.now();
        const response = await fetch(url, { headers: { ...headers, ...client() } });
        const text = await response.text();
        if (text !== "pong") throw new Error(`${url}: ${response.status} ${text}`);
        times.push(performance.now() - start);
      }
    }),
  );
  return times;
}

/** One GET of `url` read to its end: MiB/s. */
async function throughput(url: string, headers: Record<string, string>) {
  const start = performance.now();
  const response = await fetch(url, { headers: { ...headers, ...client() } });
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  let bytes = 0;
  const reader = response.body!.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.length;
  if (bytes !== MIB << 20) throw new Error(`${url}: ${bytes} bytes`);
  return MIB / ((performance.now() - start) / 1000);
}

await buildContracts();
const restoreDevDeployment = keepDevDeployment();
try {
  const anvil = await startAnvil({ port: await freePort(), blockTime: 0 });
  await ensureDeployed(anvil);
  const { computeCreditAbi, jobEscrowAbi } = await import("../../lib/contracts/abis.ts");
  const deployment = readDeployment()!;
  const [escrow, registry, scu] = [deployment.JobEscrow!, deployment.ProviderRegistry!, deployment.ComputeCredit!];
  const [host] = await startDemoHosts(anvil.rpcUrl, registry, {
    dir: mkdtempSync(path.join(tmpdir(), "bench-service-")),
    freePorts: true,
    only: (h) => h === DEMO_PROVIDERS[0]!.hosts[0],
  });
  const [hostId, hostUrl] = [BigInt(host!.hostId), host!.url];
  const buyerAccount = anvilAccount(1);
  const buyer = localSigner(anvil.rpcUrl, buyerAccount);
  await localSigner(anvil.rpcUrl, anvilAccount(DEMO_PROVIDERS[1]!.account)).send(scu, computeCreditAbi, "transfer", [
    buyer.address,
    parseUnits("50", 18),
  ]);
  await buyer.send(scu, computeCreditAbi, "approve", [escrow, parseUnits("50", 18)]);
  const expiry = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const sign = (jobId: bigint, action: AccessAction) =>
    buyerAccount.signTypedData(accessTypedData(LOCAL_CHAIN_ID, escrow, { jobId, action, expiry }));
  const token = async (jobId: bigint, action: AccessAction) =>
    formatAccessToken({ action, jobId, expiry, signature: await sign(jobId, action) });

  /** Creates and dispatches a job of `spec`; resolves once its log has a line matching `ready` ("end": once the
   * job's stream has ended, its outputs kept and its receipt in). */
  async function launch(spec: JobSpec, ready: RegExp | "end"): Promise<{ jobId: bigint; line: string }> {
    await buyer.send(escrow, jobEscrowAbi, "createJob", [
      { hostId, gpus: 1, maxDuration: 1800, specHash: specHash(spec) },
    ]);
    const jobId = (await buyer.client.readContract({
      address: escrow,
      abi: jobEscrowAbi,
      functionName: "jobCount",
    })) as bigint;
    const signature = await buyerAccount.signTypedData(
      dispatchTypedData(LOCAL_CHAIN_ID, escrow, { jobId, specHash: specHash(spec), expiry }),
    );
    const answer = await fetch(`${hostUrl}/jobs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jobId: String(jobId), spec, expiry: String(expiry), signature }),
    });
    if (answer.status !== 202) throw new Error(`dispatch: ${answer.status} ${await answer.text()}`);
    const events = await fetch(`${hostUrl}/jobs/${jobId}/events`, {
      headers: { [ACCESS_EXPIRY_HEADER]: String(expiry), [ACCESS_SIGNATURE_HEADER]: await sign(jobId, "events") },
    });
    let line = "";
    const found = new Error("found");
    await readEvents(events.body!, (event) => {
      const text = String(event.data.text ?? "");
      if (event.type === "log" && ready !== "end" && ready.test(text)) {
        line = text;
        throw found;
      }
    }).catch((error: unknown) => {
      if (error !== found) throw error;
    });
    return { jobId, line };
  }

  const appUrl = await startProductionApp(anvil.rpcUrl, {
    HOURGLASS_ALLOW_LOOPBACK_HOSTS: "1",
    HOURGLASS_TRUSTED_PROXY_HOPS: "1",
  });

  const service = await launch(SERVICE, /listening on \d+/);
  const port = Number(/listening on (\d+)/.exec(service.line)![1]);
  const auth = { authorization: `Bearer ${await token(service.jobId, "service")}` };
  const urls = {
    "the job's port": [`http://127.0.0.1:${port}`, {}],
    "through the agent": [`${hostUrl}/jobs/${service.jobId}/http/8000`, auth],
    "through the route": [`${appUrl}/api/jobs/${service.jobId}/http/8000`, auth],
  } as const;
  const ms = (v: number) => v.toFixed(2);
  console.log(`\nGET /ping, ${REQUESTS} requests each, ms:\n`);
  console.log("| path | concurrent | p50 | p99 |\n|---|---:|---:|---:|");
  for (const concurrency of [1, 20]) {
    for (const [name, [base, headers]] of Object.entries(urls)) {
      await latencies(`${base}/ping`, headers, 50, concurrency); // warm-up
      const times = await latencies(`${base}/ping`, headers, REQUESTS, concurrency);
      console.log(`| ${name} | ${concurrency} | ${ms(percentile(times, 0.5))} | ${ms(percentile(times, 0.99))} |`);
    }
  }

  console.log(`\n${MIB} MiB, one request, MiB/s:\n`);
  console.log("| what | direct | through the agent | through the route |\n|---|---:|---:|---:|");
  const rates = [];
  for (const [, [base, headers]] of Object.entries(urls)) rates.push(await throughput(`${base}/blob`, headers));
  console.log(`| a service's answer | ${rates.map((r) => r.toFixed(0)).join(" | ")} |`);

  const output = await launch(OUTPUT, "end");
  const files = { authorization: `Bearer ${await token(output.jobId, "files")}` };
  const viaAgent = await throughput(`${hostUrl}/jobs/${output.jobId}/files/outputs/big.bin`, files);
  const viaRoute = await throughput(`${appUrl}/api/jobs/${output.jobId}/files/outputs/big.bin`, files);
  console.log(`| an output file | (none) | ${viaAgent.toFixed(0)} | ${viaRoute.toFixed(0)} |`);
} finally {
  await stopAll();
  restoreDevDeployment();
}
