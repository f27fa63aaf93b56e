/**
 * The host agent's memory under clients that open a job's event stream and never read it: a job prints
 * MIB MiB of control bytes (JSON escapes each as six characters, so its log is 6× that), then STREAMS raw
 * sockets ask for its stream and read nothing. Prints the agent process's RSS before and with them open.
 * Usage: npm run bench:host-streams [-- MIB STREAMS]   (defaults 8 and 8; the contracts must be built)
 */
import { mkdtempSync } from "node:fs";
import { connect, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { HostAgent } from "../../host/agent.ts";
import { hostChain } from "../../host/hostChain.ts";
import type { HostConfig } from "../../host/config.ts";
import { ProcessRuntime } from "../../host/runtime/process.ts";
import { hostServer } from "../../host/server.ts";
import { ACCESS_EXPIRY_HEADER, ACCESS_SIGNATURE_HEADER } from "../../lib/protocol/jobSignatures.ts";
import type { JobSpec } from "../../lib/jobs/spec.ts";
import { processHostHealth, startHostBed, stopHostBed } from "../lib/hostbed.ts";
import { waitFor } from "../lib/proc.ts";

const [mib = 8, streams = 8] = process.argv.slice(2).map(Number);
const spec: JobSpec = {
  version: 1,
  image: "node:22-slim",
  command: [
    "node",
    "-e",
    `const b = Buffer.alloc(1 << 16, 1); let n = ${mib * 16}; const w = () => { while (n > 0) { n--; if (!process.stdout.write(b)) return process.stdout.once("drain", w); } }; w();`,
  ],
  env: {},
};
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

const bed = await startHostBed();
const sockets: Socket[] = [];
try {
  const config: HostConfig = {
    ...bed.config,
    outputCapBytes: (mib + 1) << 20,
    journalDir: mkdtempSync(path.join(tmpdir(), "bench-journal-")),
  };
  const agent = new HostAgent(config, hostChain(config), new ProcessRuntime());
  const server = hostServer(agent, processHostHealth(config, bed.chain.signer));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const jobId = await bed.createJob(spec);
  const body = await bed.dispatchBody(jobId, spec);
  await agent.dispatch({ jobId, spec, expiry: BigInt(body.expiry), signature: body.signature });
  const cursor = agent.events(jobId).cursor(0);
  let ended = false;
  await waitFor(
    "the job's end",
    async () => {
      for (let events = await cursor.read(); events.length > 0; events = await cursor.read())
        ended ||= events.some((e) => e.data.final === true);
      return ended;
    },
    120_000,
  );
  await cursor.close();

  const before = process.memoryUsage().rss;
  const { expiry, signature } = await bed.access(jobId, "events");
  let started = 0;
  for (let i = 0; i < streams; i++) {
    const socket = connect(port, "127.0.0.1");
    socket.once("data", () => {
      started++;
      socket.pause(); // and never read again
    });
    socket.on("error", () => undefined);
    socket.write(
      `GET /jobs/${jobId}/events HTTP/1.1\r\nhost: agent\r\n${ACCESS_EXPIRY_HEADER}: ${expiry}\r\n${ACCESS_SIGNATURE_HEADER}: ${signature}\r\n\r\n`,
    );
    sockets.push(socket);
  }
  await waitFor("every stream to start", async () => started === streams, 30_000);
  await new Promise((r) => setTimeout(r, 3_000));
  const during = process.memoryUsage().rss;
  console.log(`${streams} streams that never read, on a job that printed ${mib} MiB (a ${mb(6 * mib * 2 ** 20)} log):`);
  console.log(`  agent RSS ${mb(before)} before, ${mb(during)} with them open (+${mb(during - before)})`);
  for (const s of sockets) s.destroy();
  server.closeAllConnections();
  server.close();
} finally {
  for (const s of sockets) s.destroy();
  await stopHostBed(bed);
}
