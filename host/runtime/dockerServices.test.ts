/**
 * Services and files in real containers (a Docker engine, root for the firewall rules and the outputs' tmpfs;
 * on CI, `CI=true`, they must be there). A job that declares a port runs on the agent's internal services bridge:
 * the agent reaches its port at the container's address, and what the job can reach is proven from the network's
 * and the firewall's configuration, never by trying. A job's outputs folder is a tmpfs of the cap's size, so it
 * cannot write past it, and the agent keeps what it wrote once it ended. Traffic goes only to loopback and to the
 * containers this test starts.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { JobSpec } from "../../lib/jobs/spec";
import { nodeImage } from "../../scripts/lib/node-image";
import { waitFor } from "../../scripts/lib/proc";
import { dockerConfigSchema } from "../config";
import { JobFiles } from "../files";
import { DockerRuntime, dockerAvailable } from "./docker";
import {
  checkNetwork,
  prepareNetwork,
  removeNetwork,
  SERVICE_BRIDGE,
  SERVICE_NETWORK,
  SERVICES_BRIDGE,
} from "./network";
import type { RunRequest } from "./types";

const engine = dockerAvailable();
const root = process.getuid?.() === 0;
const iptables = spawnSync("iptables", ["-w", "5", "-S", "INPUT"]).status === 0;
const ready = engine.ok && root && iptables;
if (!ready && process.env.CI === "true") {
  describe("services in containers on CI", () => {
    it("has a Docker engine, root and iptables (.ci/run runs as root and installs docker.io)", () => {
      throw new Error(`CI=true, yet engine: ${engine.ok ? "ok" : engine.reason}, root: ${root}, iptables: ${iptables}`);
    });
  });
}

const scratch = mkdtempSync(path.join(tmpdir(), "docker-services-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const runtime = () =>
  new DockerRuntime({
    config: dockerConfigSchema.parse({ pull: "missing", memoryMiBPerGpu: 256, tmpMiB: 32, shmMiB: 16 }),
    owner: `test-services-${process.pid}`,
    devices: [],
    services: true,
    cliConfigDir: mkdtempSync(path.join(scratch, "cli-")),
  });
let lastJobId = BigInt(Date.now()) * 1000n + 500n;
const request = (spec: Partial<JobSpec>, overrides: Partial<RunRequest> = {}): RunRequest => ({
  jobId: ++lastJobId,
  spec: { version: 1, image: nodeImage(), command: ["node"], env: {}, ...spec },
  gpus: 0,
  timeLimitMs: 60_000,
  outputCapBytes: 1 << 20,
  onLog: () => undefined,
  ...overrides,
});

describe.runIf(ready)("a job that serves a port, in a container", () => {
  it("is reached by the agent on the internal services bridge, and reaches nothing (from the configuration)", async () => {
    const docker = runtime();
    const ours = (await docker.docker(["network", "inspect", SERVICE_NETWORK])).code !== 0;
    await prepareNetwork(docker.docker, SERVICES_BRIDGE);
    try {
      expect(await checkNetwork(docker.docker, SERVICES_BRIDGE)).toEqual([]);
      const network = JSON.parse((await docker.docker(["network", "inspect", SERVICE_NETWORK])).stdout)[0];
      expect(network).toMatchObject({
        Driver: "bridge",
        Internal: true,
        EnableIPv6: false,
        Options: { "com.docker.network.bridge.name": SERVICE_BRIDGE, "com.docker.network.bridge.enable_icc": "false" },
      });
      const leading = (binary: string, chain: string) =>
        execFileSync(binary, ["-w", "5", "-S", chain], { encoding: "utf8" })
          .split("\n")
          .filter((l) => l.startsWith("-A "));
      // To the host only answers to the agent's own connections; nothing forwarded off the bridge.
      expect(leading("iptables", "INPUT")).toContain(
        `-A INPUT -i ${SERVICE_BRIDGE} -m conntrack ! --ctstate RELATED,ESTABLISHED -j DROP`,
      );
      expect(leading("iptables", "DOCKER-USER")).toContain(`-A DOCKER-USER -i ${SERVICE_BRIDGE} -j DROP`);
      expect(leading("ip6tables", "INPUT")).toContain(`-A INPUT -i ${SERVICE_BRIDGE} -j DROP`);

      const req = request({
        ports: [8000],
        command: [
          "node",
          "-e",
          "require('node:http').createServer((q, s) => s.end(`hello ${q.url} on ${process.env.HOURGLASS_PORT_8000}`)).listen(Number(process.env.HOURGLASS_PORT_8000), '0.0.0.0')",
        ],
      });
      const job = docker.run(req);
      expect(await job.serviceAddress!(9000)).toBeUndefined();
      let address: Awaited<ReturnType<NonNullable<typeof job.serviceAddress>>>;
      await waitFor(
        "the container's address",
        async () => (address = await job.serviceAddress!(8000)) !== undefined,
        20_000,
      );
      const container = JSON.parse(
        (await docker.docker(["container", "inspect", docker.containerName(req.jobId)])).stdout,
      )[0];
      expect(container.HostConfig.NetworkMode).toBe(SERVICE_NETWORK);
      expect(Object.keys(container.NetworkSettings.Networks)).toEqual([SERVICE_NETWORK]);
      expect(container.NetworkSettings.Networks[SERVICE_NETWORK].IPAddress).toBe(address!.host);
      // The agent's own connection to the container it started (the one address this test sends to).
      let text = "";
      await waitFor(
        "the service to answer",
        async () => {
          text = await fetch(`http://${address!.host}:8000/x?y=1`).then(
            (r) => r.text(),
            () => "",
          );
          return text !== "";
        },
        20_000,
      );
      expect(text).toBe("hello /x?y=1 on 8000");
      job.stop();
      await job.done;
      expect(await job.serviceAddress!(8000)).toBeUndefined();
    } finally {
      if (ours) await removeNetwork(docker.docker, SERVICES_BRIDGE);
    }
  }, 90_000);

  it("is refused on a host that does not allow services", async () => {
    const plain = new DockerRuntime({
      config: dockerConfigSchema.parse({ pull: "missing" }),
      owner: `test-services-${process.pid}`,
      devices: [],
      cliConfigDir: mkdtempSync(path.join(scratch, "cli-")),
    });
    expect(await plain.run(request({ ports: [8000] })).done).toMatchObject({
      reason: "failed-to-start",
      error: expect.stringMatching(/does not serve them/),
    });
  });
});

describe.runIf(ready)("a job's files, in a container", () => {
  it("reads its inputs read-only, writes outputs into a tmpfs of the cap's size, and the agent keeps them", async () => {
    const files = await JobFiles.open(
      mkdtempSync(path.join(scratch, "files-")),
      { maxInputBytes: 1 << 20, maxOutputBytes: 1 << 20, maxStoredBytes: 1 << 30, retentionDays: 1 },
      { mountOutputs: true },
    );
    const docker = runtime();
    const req = request({
      command: [
        "node",
        "-e",
        [
          "const fs = require('node:fs');",
          "const input = fs.readFileSync(process.env.HOURGLASS_INPUTS + '/in.txt', 'utf8');",
          "try { fs.writeFileSync('/inputs/in.txt', 'changed'); console.log('inputs writable'); } catch { console.log('inputs read-only'); }",
          "fs.writeFileSync(process.env.HOURGLASS_OUTPUTS + '/out.txt', input + '!');",
          // Past the cap (1 MiB): the tmpfs refuses it.
          "try { fs.writeFileSync('/outputs/huge.bin', Buffer.alloc(2 << 20)); console.log('wrote past the cap'); } catch (e) { console.log(e.code); }",
        ].join("\n"),
      ],
    });
    async function* body() {
      yield new TextEncoder().encode("in");
    }
    await files.putInput(req.jobId, "in.txt", body());
    const staged = await files.stage(req.jobId);
    expect(staged.sized).toBe(true);
    // No link inside it is ever followed, by the job or by the agent (root) keeping its outputs.
    const mount = execFileSync("cat", ["/proc/self/mounts"], { encoding: "utf8" })
      .split("\n")
      .find((line) => line.split(" ")[1] === staged.outputsDir);
    expect(mount).toMatch(/^tmpfs \S+ tmpfs \S*nosymfollow/);
    expect(mount).toMatch(/size=1024k/);
    let output = "";
    const result = await docker.run({ ...req, files: staged, onLog: (_, t) => (output += t) }).done;
    expect(result).toMatchObject({ reason: "exited", exitCode: 0 });
    expect(output).toBe("inputs read-only\nENOSPC\n");
    const manifest = await files.finish(req.jobId);
    const sha = (data: string) => `0x${createHash("sha256").update(data).digest("hex")}`;
    expect(manifest.outputs.find((e) => e.path === "out.txt")).toEqual({
      path: "out.txt",
      size: 3,
      sha256: sha("in!"),
    });
    // The tmpfs is gone once its outputs are kept.
    expect(execFileSync("cat", ["/proc/self/mounts"], { encoding: "utf8" })).not.toContain(staged.outputsDir);
  }, 90_000);
});
