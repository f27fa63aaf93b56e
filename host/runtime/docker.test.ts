/**
 * The docker runtime, against a real Docker engine where one answers (on CI, `CI=true`, it must: the tests
 * fail rather than skip). Images are built here from this machine's own node (scripts/lib/node-image.ts): no
 * registry is reachable. There is no GPU here, so GPU jobs never reach the engine: the devices they get are
 * proven on what the docker CLI sends a stand-in engine on a unix socket, and real containers run with 0 GPUs.
 * Traffic goes only to loopback and to what the tests themselves start; that jobs cannot reach private,
 * link-local or host addresses is proven from the network's and firewall's configuration, never by trying.
 * The tests named "attack:" play the attacker.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobSpecSchema, parseSpecJson, type JobSpec } from "../../lib/jobs/spec";
import { nodeImage } from "../../scripts/lib/node-image";
import { waitFor } from "../../scripts/lib/proc";
import { dockerConfigSchema, type DockerConfig } from "../config";
import { AGENT_LABEL, DockerRuntime, dockerAvailable, dockerRunArgs, JOB_USER, type RunPlan } from "./docker";
import { GpuAllocator } from "./gpus";
import { allowedImage, inspectedImage, MAX_IMAGE_VOLUMES, parseImage, type InspectedImage } from "./image";
import {
  BLOCKED_IPV4,
  checkJobNetwork,
  FIREWALL_CHAIN,
  JOB_BRIDGE,
  JOB_NETWORK,
  prepareJobNetwork,
  removeJobNetwork,
} from "./network";
import type { RunRequest } from "./types";

const MiB = 1 << 20;
/** Small limits, so that inspecting them proves they came from here and not from docker's defaults. */
const LIMITS: DockerConfig = dockerConfigSchema.parse({
  pull: "missing",
  memoryMiBPerGpu: 256,
  cpusPerGpu: 0.5,
  pidsLimit: 64,
  tmpMiB: 32,
  shmMiB: 16,
});
const owner = `test-${process.pid}-${Date.now()}`;
const scratch = mkdtempSync(path.join(tmpdir(), "docker-runtime-test-"));
const runtimeWith = (config: Partial<DockerConfig> = {}, devices: string[] = [], who = owner) =>
  new DockerRuntime({
    config: { ...LIMITS, ...config },
    owner: who,
    devices,
    cliConfigDir: mkdtempSync(path.join(scratch, "cli-")),
  });

let lastJobId = BigInt(Date.now()) * 1000n;
const request = (spec: Partial<JobSpec>, overrides: Partial<RunRequest> = {}): RunRequest => ({
  jobId: ++lastJobId,
  spec: { version: 1, image: "node:22-slim", command: ["node"], env: {}, ...spec },
  gpus: 0,
  timeLimitMs: 60_000,
  outputCapBytes: 1 << 20,
  onLog: () => undefined,
  ...overrides,
});
const plan = (overrides: Partial<RunPlan> = {}): RunPlan => ({
  name: "hourglass-job-7-abc",
  owner: "0xowner",
  image: "docker.io/library/node:22-slim",
  devices: [],
  network: "none",
  ...overrides,
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
/** The value after `flag`, each time it appears. */
const values = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));

describe("the host config's docker rules", () => {
  it("default to no network, a GPU's share of 16 GiB and 4 CPUs, pulls afresh from public registries only", () => {
    expect(dockerConfigSchema.parse({})).toEqual({
      network: "none",
      memoryMiBPerGpu: 16_384,
      cpusPerGpu: 4,
      pidsLimit: 4096,
      tmpMiB: 4096,
      shmMiB: 1024,
      allowedRegistries: ["docker.io", "ghcr.io", "nvcr.io", "quay.io"],
      pull: "always",
    });
  });

  it("are bounded, and name what is wrong", () => {
    const wrong = (config: unknown) => dockerConfigSchema.safeParse(config).error?.issues[0]?.path.join(".");
    expect(wrong({ network: "bridge" })).toBe("network");
    expect(wrong({ network: "host" })).toBe("network");
    expect(wrong({ memoryMiBPerGpu: 0 })).toBe("memoryMiBPerGpu");
    expect(wrong({ cpusPerGpu: 0 })).toBe("cpusPerGpu");
    expect(wrong({ pidsLimit: 1e9 })).toBe("pidsLimit");
    expect(wrong({ allowedRegistries: [] })).toBe("allowedRegistries");
    expect(wrong({ allowedRegistries: ["https://docker.io"] })).toBe("allowedRegistries.0");
    expect(wrong({ allowedRegistries: Array(65).fill("docker.io") })).toBe("allowedRegistries");
    expect(wrong({ gpuDevices: ["0", "0"] })).toBe("gpuDevices");
    expect(wrong({ privileged: true })).toBe("");
    expect(
      dockerConfigSchema.parse({ allowedRegistries: ["registry.example.com:5000", "localhost"] }).allowedRegistries,
    ).toHaveLength(2);
  });
});

describe("image references and the registry allow-list", () => {
  it("read the registry as docker does, and hand docker the fully qualified reference", () => {
    const cases: [string, string, string][] = [
      ["node:22-slim", "docker.io", "docker.io/library/node:22-slim"],
      [
        "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime",
        "docker.io",
        "docker.io/pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime",
      ],
      ["index.docker.io/library/ubuntu", "docker.io", "docker.io/library/ubuntu"],
      ["ghcr.io/org/img@sha256:" + "a".repeat(64), "ghcr.io", "ghcr.io/org/img@sha256:" + "a".repeat(64)],
      ["nvcr.io/nvidia/pytorch:24.01-py3", "nvcr.io", "nvcr.io/nvidia/pytorch:24.01-py3"],
      ["localhost/img", "localhost", "localhost/img"],
      ["internal:5000/img:1", "internal:5000", "internal:5000/img:1"],
      ["10.0.0.5/img", "10.0.0.5", "10.0.0.5/img"],
      ["docker.io.evil.example/library/node", "docker.io.evil.example", "docker.io.evil.example/library/node"],
    ];
    for (const [image, registry, qualified] of cases) expect(parseImage(image), image).toEqual({ registry, qualified });
    for (const bad of [
      "",
      "a//b",
      "-x",
      "x:",
      "x:-tag",
      "x@sha256:abc",
      "reg:port/x",
      "x/Y",
      "a:1/b:2:3",
      "x".repeat(256),
    ]) {
      expect(() => parseImage(bad), bad).toThrow(/not a valid image reference/);
    }
  });

  it("attack: an image from a registry not on the list (an internal one, or one named to look like Docker Hub) is refused", () => {
    const allowed = LIMITS.allowedRegistries;
    expect(allowed).toEqual(["docker.io", "ghcr.io", "nvcr.io", "quay.io"]);
    expect(allowedImage("node:22-slim", allowed).qualified).toBe("docker.io/library/node:22-slim");
    for (const image of [
      "registry.corp.internal/ml/secret-model:latest",
      "10.0.0.5:5000/x",
      "localhost/x",
      "docker.io.evil.example/x",
      "gcr.io/p/x",
    ]) {
      expect(() => allowedImage(image, allowed), image).toThrow(/which this host does not pull from/);
    }
  });
});

describe("reserved environment variables", () => {
  const spec = (env: Record<string, string>) => ({ version: 1, image: "node:22-slim", command: ["node"], env });
  const attacks = [
    "NVIDIA_VISIBLE_DEVICES",
    "NVIDIA_DRIVER_CAPABILITIES",
    "CUDA_VISIBLE_DEVICES",
    "CUDA_MPS_PIPE_DIRECTORY",
    "HOURGLASS_GPUS",
    "HOURGLASS_JOB_ID",
    "PATH",
    "HOME",
    "LD_PRELOAD",
  ];

  it("attack: a spec asking for every GPU, or to change what the host sets, is refused by the app's schema", () => {
    for (const name of attacks) {
      expect(jobSpecSchema.safeParse(spec({ [name]: "all" })).success, name).toBe(false);
      expect(parseSpecJson(JSON.stringify(spec({ [name]: "all" })))).toHaveProperty(
        "error",
        expect.stringMatching(new RegExp(`env\\.${name} is wrong: reserved for the host`)),
      );
    }
    expect(jobSpecSchema.safeParse(spec({ BATCH_SIZE: "64", NVIDIAX: "1", MY_CUDA_FLAG: "1" })).success).toBe(true);
  });

  it("attack: and by the runtime again, for a spec that did not come through the schema, before anything runs", async () => {
    const runtime = runtimeWith();
    for (const name of attacks) {
      const result = await runtime.run(request({ env: { [name]: "all" } })).done;
      expect(result, name).toMatchObject({
        reason: "failed-to-start",
        error: `The job's environment sets ${name}, which the host reserves.`,
      });
    }
  });
});

describe("docker run arguments", () => {
  const imageId = `sha256:${"c".repeat(64)}`;
  const inspected = (overrides: Partial<InspectedImage> = {}): InspectedImage => ({
    id: imageId,
    volumes: [],
    envNames: ["PATH"],
    ...overrides,
  });
  const args = dockerRunArgs(
    request({ command: ["node", "-e", "console.log(1)"], env: { SIZE: "64" } }, { gpus: 2 }),
    plan({ devices: ["GPU-a", "GPU-b"] }),
    inspected(),
    LIMITS,
    16,
  );

  it("give the job its own devices as one quoted CSV field, and nothing of the host's", () => {
    expect(values(args, "--gpus")).toEqual(['"device=GPU-a,GPU-b"']);
    expect(values(args, "--env")).toEqual(
      expect.arrayContaining([
        "NVIDIA_VISIBLE_DEVICES=GPU-a,GPU-b",
        "NVIDIA_DRIVER_CAPABILITIES=compute,utility",
        "HOURGLASS_GPUS=2",
        "HOURGLASS_GPU_DEVICES=GPU-a,GPU-b",
      ]),
    );
    expect(args).not.toContain("--privileged");
    expect(args.join(" ")).not.toMatch(
      /--network (host|bridge)|--pid |--ipc host|--userns|-v |--volume|--mount|--device |docker\.sock|--cap-add/,
    );
    expect(args).toEqual(
      expect.arrayContaining([
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "--read-only",
        "--user",
        JOB_USER,
      ]),
    );
    expect(values(args, "--network")).toEqual(["none"]);
    expect(values(args, "--pull")).toEqual(["never"]); // the runtime pulled and inspected it already
  });

  it("mount a tmpfs of the job's /tmp size over each volume the image declares, and clear the toolkit's variables it sets", () => {
    const hostile = inspected({
      volumes: ["/data", "/tmp", "/var/cache/x"],
      envNames: [
        "PATH",
        "LD_LIBRARY_PATH",
        "NVIDIA_VISIBLE_DEVICES",
        "NVIDIA_IMEX_CHANNELS",
        "NVIDIA_MOFED",
        "CUDA_MPS_PIPE_DIRECTORY",
        "CUDA_VERSION",
        "HOURGLASS_GPUS",
        "NV_CUDA_LIB_VERSION",
        "BATCH",
      ],
    });
    const hostileArgs = dockerRunArgs(request({}), plan(), hostile, LIMITS, 16);
    expect(values(hostileArgs, "--mount")).toEqual([
      `type=tmpfs,destination=/data,tmpfs-size=${32 * MiB},tmpfs-mode=1777`,
      `type=tmpfs,destination=/var/cache/x,tmpfs-size=${32 * MiB},tmpfs-mode=1777`,
    ]);
    const env = values(hostileArgs, "--env");
    expect(env).toEqual(
      expect.arrayContaining([
        "NVIDIA_IMEX_CHANNELS=",
        "NVIDIA_MOFED=",
        "CUDA_MPS_PIPE_DIRECTORY=",
        "CUDA_VERSION=",
        "NVIDIA_VISIBLE_DEVICES=void",
      ]),
    );
    // The runtime's own values are set once; what only acts inside the container is the image's.
    expect(env.filter((e) => /^(NVIDIA_VISIBLE_DEVICES|HOURGLASS_GPUS)=/.test(e))).toEqual([
      "NVIDIA_VISIBLE_DEVICES=void",
      "HOURGLASS_GPUS=0",
    ]);
    expect(env.filter((e) => /^(PATH|LD_LIBRARY_PATH|NV_CUDA_LIB_VERSION|BATCH)=/.test(e))).toEqual([]);
    expect(hostileArgs.slice(hostileArgs.indexOf("--"))).toEqual(["--", imageId, "node"]);
  });

  it("attack: an image's volume path that would add options to --mount's value is refused, as are too many", () => {
    const read = (volumes: string[]) =>
      inspectedImage(
        JSON.stringify({
          Id: imageId,
          Config: { Env: null, Volumes: Object.fromEntries(volumes.map((v) => [v, {}])) },
        }),
        "x",
      );
    expect(read(["/data/", "/data", "//cache//x"]).volumes).toEqual(["/data", "/cache/x"]);
    for (const bad of [
      "/x,type=bind,source=/",
      "/x,readonly=false",
      '/"x',
      "x",
      "/",
      "/a/../b",
      "/a b",
      "/a:b",
      "/a=b",
      "/a\nb",
    ]) {
      expect(() => read([bad]), bad).toThrow(/declares a volume at .*, a path this host does not mount over/);
    }
    expect(() => read(Array.from({ length: MAX_IMAGE_VOLUMES + 1 }, (_, i) => `/v${i}`))).toThrow(
      /declares 33 volumes; this host mounts at most 32/,
    );
    expect(() => inspectedImage(JSON.stringify({ Id: "nginx", Config: null }), "x")).toThrow(/no image ID/);
  });

  it("scale memory and CPUs with the GPUs rented, CPUs no more than the machine has, and never a GPU flag without devices", () => {
    expect(values(args, "--memory")).toEqual(["512m"]);
    expect(values(args, "--memory-swap")).toEqual(["512m"]);
    expect(values(args, "--cpus")).toEqual(["1.000000000"]);
    const big = dockerRunArgs(request({}, { gpus: 8 }), plan(), inspected(), { ...LIMITS, cpusPerGpu: 3.3 }, 16);
    expect(values(big, "--cpus")).toEqual(["16.000000000"]);
    const none = dockerRunArgs(request({}, { gpus: 0 }), plan(), inspected(), { ...LIMITS, cpusPerGpu: 0.1 }, 16);
    expect(values(none, "--gpus")).toEqual([]);
    expect(values(none, "--env")).toContain("NVIDIA_VISIBLE_DEVICES=void");
    expect(values(none, "--cpus")).toEqual(["0.100000000"]);
    expect(values(none, "--memory")).toEqual(["256m"]);
  });

  it("pass the spec's env and command as argv after the image, never through a shell", () => {
    expect(values(args, "--env")).toContain("SIZE=64");
    expect(args.slice(args.indexOf("--"))).toEqual(["--", imageId, "node", "-e", "console.log(1)"]);
  });
});

describe("GPU allocation", () => {
  it("attack: concurrent jobs never share a device, and a job that does not fit takes none", () => {
    // Any interleaving of takes and releases on an 8-GPU stand-in list.
    const op = fc.oneof(fc.record({ take: fc.integer({ min: 0, max: 9 }) }), fc.record({ release: fc.nat(20) }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const devices = ["0", "1", "2", "3", "4", "5", "6", "7"];
        const gpus = new GpuAllocator(devices);
        const held: string[][] = [];
        for (const o of ops) {
          if ("take" in o) {
            const free = gpus.free.length;
            if (o.take > free) expect(() => gpus.take("job", o.take)).toThrow(/GPUs free/);
            else held.push(gpus.take("job", o.take));
            expect(gpus.free.length).toBe(o.take > free ? free : free - o.take);
          } else if (held.length > 0) {
            gpus.release(held.splice(o.release % held.length, 1)[0]!);
          }
          const all = held.flat();
          expect(new Set(all).size).toBe(all.length);
          expect([...all, ...gpus.free].sort()).toEqual(devices);
        }
      }),
    );
  });

  it("refuses device names docker's --gpus value could misread", () => {
    for (const bad of ["0,1", '"0"', "0 1", ""])
      expect(() => new GpuAllocator([bad])).toThrow(/not a GPU index or UUID/);
    expect(() => new GpuAllocator(["0", "0"])).toThrow(/twice/);
    expect(dockerConfigSchema.safeParse({ gpuDevices: ["0,1"] }).success).toBe(false);
  });
});

/**
 * A stand-in Docker engine on a unix socket: it answers `docker image inspect` with an empty image, records the
 * container each `docker run` asks for (as the docker CLI parsed our arguments) and holds its answer until
 * released, then refuses it. Never a real engine: no GPU.
 */
async function standInEngine() {
  const socket = path.join(mkdtempSync(path.join(scratch, "engine-")), "docker.sock");
  const creates: {
    Env: string[];
    HostConfig: { DeviceRequests: { DeviceIDs: string[] | null; Count: number }[] | null };
  }[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const body = (q: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = "";
      q.on("data", (chunk: Buffer) => (text += chunk.toString()));
      q.on("end", () => resolve(text));
    });
  const server: Server = createServer(async (q, s) => {
    const text = await body(q);
    if (q.url!.endsWith("/_ping")) {
      s.writeHead(200, { "api-version": "1.41", ostype: "linux", "content-type": "text/plain" }).end("OK");
      return;
    }
    if (q.method === "GET" && /\/images\/.+\/json$/.test(q.url!)) {
      // `docker image inspect`: an image the engine has, declaring nothing, so the runtime goes on to run it.
      s.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({ Id: `sha256:${"e".repeat(64)}`, Config: { Env: ["PATH=/bin"], Volumes: null } }),
      );
      return;
    }
    if (/\/containers\/create/.test(q.url!)) {
      creates.push(JSON.parse(text));
      await released;
    }
    s.writeHead(404, { "content-type": "application/json" }).end(
      JSON.stringify({ message: "a stand-in engine: nothing runs here" }),
    );
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    host: `unix://${socket}`,
    creates,
    release,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const dockerCli = spawnSync("docker", ["--version"]).status === 0;
describe.runIf(dockerCli || process.env.CI === "true")("GPU devices as the engine receives them", () => {
  it("attack: concurrent jobs on a stand-in 4-GPU list each get their own devices; one more waits for none", async () => {
    const engine = await standInEngine();
    const before = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = engine.host; // the runtime's docker commands all go to the stand-in
    const runtime = runtimeWith({}, ["GPU-a", "GPU-b", "GPU-c", "GPU-d"]);
    if (before === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = before;
    try {
      const jobs = [1, 2, 1].map((gpus) => runtime.run(request({ image: "node:22-slim" }, { gpus })));
      await waitFor("three containers asked for", async () => engine.creates.length === 3, 20_000);
      const asked = engine.creates.map((c) => c.HostConfig.DeviceRequests![0]!.DeviceIDs!);
      expect(asked.map((d) => d.length).sort()).toEqual([1, 1, 2]);
      expect(asked.flat().sort()).toEqual(["GPU-a", "GPU-b", "GPU-c", "GPU-d"]);
      for (const [i, create] of engine.creates.entries()) {
        expect(create.HostConfig.DeviceRequests).toHaveLength(1);
        expect(create.HostConfig.DeviceRequests![0]!.Count).toBe(0); // these devices, not "any N"
        expect(create.Env).toContain(`NVIDIA_VISIBLE_DEVICES=${asked[i]!.join(",")}`);
      }
      expect(runtime.freeDevices).toEqual([]);
      const fourth = await runtime.run(request({}, { gpus: 1 })).done;
      expect(fourth).toMatchObject({
        reason: "failed-to-start",
        error: expect.stringMatching(/0 of its 4 GPUs free for jobs and the job needs 1/),
      });
      expect(engine.creates).toHaveLength(3);

      engine.release();
      for (const job of jobs) expect((await job.done).reason).toBe("failed-to-start");
      expect(runtime.freeDevices).toEqual(["GPU-a", "GPU-b", "GPU-c", "GPU-d"]);
    } finally {
      engine.release();
      await engine.close();
    }
  }, 60_000);
});

const engine = dockerAvailable();
if (!engine.ok) {
  if (process.env.CI === "true") {
    describe("docker runtime on CI", () => {
      it("has a Docker engine to test against (.ci/run installs and starts one)", () => {
        throw new Error(`CI=true, yet ${engine.reason}`);
      });
    });
  } else {
    console.warn(`docker runtime: engine tests not run here: ${engine.reason}`);
  }
}

describe.runIf(engine.ok)("docker runtime with an engine", () => {
  let image: string;
  const runtime = runtimeWith();
  const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();
  const exists = (name: string) => spawnSync("docker", ["container", "inspect", name]).status === 0;
  const inspect = (name: string) =>
    JSON.parse(docker("container", "inspect", name))[0] as {
      Config: { User: string; Env: string[]; Labels: Record<string, string>; Image: string };
      HostConfig: Record<string, unknown> & { Sysctls?: Record<string, string> };
      Mounts: { Type: string; Name?: string; Destination: string }[];
      NetworkSettings: { Networks: Record<string, { GlobalIPv6Address: string }> };
    };

  /** Starts `code` in node in a container; `until` waits for some output. */
  const start = (code: string, overrides: Partial<RunRequest> = {}, on = runtime, spec: Partial<JobSpec> = {}) => {
    let output = "";
    const req = request(
      { image, command: ["node", "-e", code], ...spec },
      { onLog: (_, text) => (output += text), ...overrides },
    );
    const job = on.run(req);
    return {
      job,
      name: on.containerName(req.jobId),
      output: () => output,
      until: (text: string) => waitFor(`"${text}" in the job's output`, async () => output.includes(text), 20_000),
    };
  };

  /** An image that declares a volume writable by nobody and sets the NVIDIA toolkit's switches in its own ENV. */
  let hostile: string;
  const volumeExists = (name: string) => spawnSync("docker", ["volume", "inspect", name]).status === 0;

  beforeAll(() => {
    image = nodeImage();
    hostile = nodeImage({
      name: "hostile",
      directories: ["/data"],
      changes: [
        "VOLUME /data",
        "ENV NVIDIA_IMEX_CHANNELS=all",
        "ENV NVIDIA_MOFED=enabled",
        "ENV NVIDIA_GDRCOPY=enabled",
        "ENV CUDA_MPS_PIPE_DIRECTORY=/tmp/mps",
        "ENV CUDA_VERSION=12.4.1",
        "ENV NVIDIA_REQUIRE_CUDA=cuda>=12.4",
        "ENV NV_CUDA_LIB_VERSION=12.4.1-1",
        "ENV HOURGLASS_GPUS=8",
      ],
    });
  }, 120_000);
  afterAll(() => runtime.killLeftovers([]));

  it("runs a node job as nobody in a read-only container, streams its output and removes its container", async () => {
    const job = start(
      "console.log(process.getuid(), process.env.HOME, process.cwd(), process.env.SIZE); console.error('warn'); " +
        "try { require('fs').writeFileSync('/etc/x', '1') } catch (e) { console.log(e.code) } process.exit(3)",
      {},
      runtime,
      { env: { SIZE: "64" } },
    );
    const result = await job.job.done;
    expect(result).toMatchObject({ reason: "exited", exitCode: 3 });
    expect(job.output()).toContain("65534 /tmp /tmp 64\n");
    expect(job.output()).toContain("warn\n");
    expect(job.output()).toMatch(/EROFS/);
    expect(exists(job.name)).toBe(false);
  }, 60_000);

  it("stops a job at its output cap, keeping exactly the cap", async () => {
    const job = start(
      "const line = 'x'.repeat(1023) + '\\n'; setInterval(() => { for (let i = 0; i < 64; i++) process.stdout.write(line) }, 1)",
      { outputCapBytes: 100_000 },
    );
    const result = await job.job.done;
    expect(result.reason).toBe("output-cap");
    expect(result.outputBytes).toBeGreaterThan(100_000);
    expect(job.output().length).toBe(100_000);
    expect(exists(job.name)).toBe(false);
  }, 60_000);

  it("stops a job at its time limit", async () => {
    const job = start("console.log('up'); setInterval(() => {}, 1000)", { timeLimitMs: 2_000 });
    const result = await job.job.done;
    expect(result.reason).toBe("time-limit");
    expect(result.endedAt - result.startedAt).toBeLessThan(6_000);
    expect(exists(job.name)).toBe(false);
  }, 60_000);

  it("stops a job on request, with SIGTERM first", async () => {
    const job = start(
      "process.on('SIGTERM', () => { console.log('saving'); process.exit(0) }); console.log('up'); setInterval(() => {}, 1000)",
    );
    await job.until("up");
    job.job.stop();
    const result = await job.job.done;
    expect(result.reason).toBe("stopped");
    expect(job.output()).toBe("up\nsaving\n");
    expect(exists(job.name)).toBe(false);
  }, 60_000);

  it("attack: a job stopped before its container exists never runs on", async () => {
    const started = Date.now();
    const job = start("console.log('ran'); setTimeout(() => console.log('ran on'), 15000)");
    job.job.stop();
    const result = await job.job.done;
    expect(result.reason).toBe("stopped");
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(job.output()).not.toContain("ran on");
    expect(exists(job.name)).toBe(false);
  }, 60_000);

  it("attack: a job has no network at all by default: no interface but loopback", async () => {
    const job = start("console.log(JSON.stringify(require('os').networkInterfaces())); setInterval(() => {}, 1000)");
    await job.until("}");
    const container = inspect(job.name);
    expect(container.HostConfig.NetworkMode).toBe("none");
    expect(Object.keys(container.NetworkSettings.Networks)).toEqual(["none"]);
    expect(Object.keys(JSON.parse(job.output()) as object)).toEqual(["lo"]);
    job.job.stop();
    await job.job.done;
  }, 60_000);

  it("applies the config's memory, CPU and process limits, as docker inspect reports them", async () => {
    const job = start("console.log('up'); setInterval(() => {}, 1000)");
    await job.until("up");
    const { HostConfig: host, Config: config } = inspect(job.name);
    expect(host).toMatchObject({
      Memory: 256 * MiB,
      MemorySwap: 256 * MiB,
      NanoCpus: 500_000_000,
      PidsLimit: 64,
      ShmSize: 16 * MiB,
      ReadonlyRootfs: true,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Privileged: false,
      Init: true,
      IpcMode: "private",
      OomScoreAdj: 1000,
      NetworkMode: "none",
      LogConfig: { Type: "none" },
      Tmpfs: { "/tmp": "rw,nosuid,nodev,size=32m,mode=1777" },
      Binds: null,
    });
    expect(host.Devices).toEqual([]);
    expect(host.DeviceRequests).toBeNull();
    expect(config.User).toBe(JOB_USER);
    expect(config.Labels).toMatchObject({ [AGENT_LABEL]: owner, "hourglass.job": expect.stringMatching(/^\d+$/) });
    expect(config.Env).toContain("NVIDIA_VISIBLE_DEVICES=void");
    expect(config.Image).toBe(docker("image", "inspect", "--format", "{{.Id}}", image)); // the ID inspected, not a tag
    job.job.stop();
    await job.job.done;
  }, 60_000);

  it("attack: a job that allocates past its memory limit is killed, and told why", async () => {
    const job = start("const b = Buffer.alloc(512 << 20, 1); console.log('survived', b.length)");
    const result = await job.job.done;
    expect(job.output()).not.toContain("survived");
    expect(result).toMatchObject({
      reason: "exited",
      exitCode: 137,
      error: "The job was killed for using more than its 256 MiB of memory.",
    });
  }, 60_000);

  it("attack: an image whose own ENV asks for every GPU gets none", async () => {
    const greedy = `hourglass-test/all-gpus:${image.split(":")[1]}`;
    if (spawnSync("docker", ["image", "inspect", greedy]).status !== 0) {
      const base = docker("create", image, "node");
      docker(
        "commit",
        "--change",
        "ENV NVIDIA_VISIBLE_DEVICES=all",
        "--change",
        "ENV NVIDIA_DRIVER_CAPABILITIES=all",
        base,
        greedy,
      );
      docker("rm", base);
    }
    const job = start(
      "console.log(process.env.NVIDIA_VISIBLE_DEVICES, process.env.NVIDIA_DRIVER_CAPABILITIES)",
      {},
      runtime,
      { image: greedy },
    );
    expect((await job.job.done).exitCode).toBe(0);
    expect(job.output()).toBe("void compute,utility\n");
  }, 60_000);

  it("attack: an image's VOLUME gives the job no host disk: a tmpfs of its /tmp size (memory) instead, and nothing left after", async () => {
    const job = start(
      "const fs = require('fs'); const mib = Buffer.alloc(1 << 20, 1); let n = 0; " +
        "try { for (; n < 64; n++) fs.appendFileSync('/data/fill', mib) } catch (e) { console.log(e.code) } console.log('wrote', n); setInterval(() => {}, 1000)",
      {},
      runtime,
      { image: hostile },
    );
    await job.until("wrote");
    const { Mounts: mounts } = inspect(job.name);
    const volumes = mounts.filter((m) => m.Type === "volume").map((m) => m.Name!);
    job.job.stop();
    await job.job.done;
    try {
      expect(volumes.filter(volumeExists)).toEqual([]); // no volume on the host's disk outlives the job
      expect(mounts.map((m) => [m.Type, m.Destination])).toEqual([["tmpfs", "/data"]]);
      expect(job.output()).toMatch(/^ENOSPC\nwrote (29|30|31|32)\n$/); // the config's 32 MiB, not the 64 asked
    } finally {
      for (const volume of volumes) spawnSync("docker", ["volume", "rm", "--force", volume]);
    }
  }, 60_000);

  it("attack: an image's own ENV cannot switch on the NVIDIA toolkit's features: every reserved name it sets is emptied", async () => {
    const job = start(
      "console.log(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(NVIDIA_|CUDA_|NV_|HOURGLASS_GPUS|PATH)/.test(k))))); " +
        "setInterval(() => {}, 1000)",
      {},
      runtime,
      { image: hostile },
    );
    await job.until("}");
    const { Config: config } = inspect(job.name);
    job.job.stop();
    await job.job.done;
    const expected = {
      NVIDIA_IMEX_CHANNELS: "",
      NVIDIA_MOFED: "",
      NVIDIA_GDRCOPY: "",
      CUDA_MPS_PIPE_DIRECTORY: "",
      CUDA_VERSION: "",
      NVIDIA_REQUIRE_CUDA: "",
      NVIDIA_VISIBLE_DEVICES: "void",
      NVIDIA_DRIVER_CAPABILITIES: "compute,utility",
      HOURGLASS_GPUS: "0",
      // Not reserved, or acting only inside the container: the image's own.
      NV_CUDA_LIB_VERSION: "12.4.1-1",
      PATH: "/usr/local/bin:/usr/bin:/bin",
    };
    // What the toolkit's hook reads (the container's configuration) and what the job sees.
    expect(config.Env.filter((e) => /^(NVIDIA_|CUDA_|NV_|HOURGLASS_GPUS|PATH)/.test(e)).sort()).toEqual(
      Object.entries(expected)
        .map(([k, v]) => `${k}=${v}`)
        .sort(),
    );
    expect(JSON.parse(job.output())).toEqual(expected);
  }, 60_000);

  describe("registries (stand-in registries on loopback)", () => {
    /** An HTTP registry that asks for a login, recording every request and the credentials it came with. */
    const registry = async () => {
      const seen: { url: string; authorization: string | undefined }[] = [];
      const server = createServer((q, s) => {
        seen.push({ url: q.url!, authorization: q.headers.authorization });
        s.writeHead(401, {
          "www-authenticate": 'Basic realm="stand-in"',
          "docker-distribution-api-version": "registry/2.0",
        }).end();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return {
        host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        close: () => new Promise<void>((r) => server.close(() => r())),
      };
    };

    it("attack: an image from a registry not on the list is refused before anything is pulled, and the provider's login never leaves", async () => {
      const internal = await registry();
      const allowed = await registry();
      // The provider is logged in to both (its own docker config, which the agent inherits).
      const login = mkdtempSync(path.join(scratch, "provider-docker-"));
      const auth = Buffer.from("provider:s3cret").toString("base64");
      writeFileSync(
        path.join(login, "config.json"),
        JSON.stringify({ auths: { [internal.host]: { auth }, [allowed.host]: { auth } } }),
      );
      const before = process.env.DOCKER_CONFIG;
      process.env.DOCKER_CONFIG = login;
      try {
        const guarded = runtimeWith({ pull: "always", allowedRegistries: ["docker.io", allowed.host] });
        const refused = start("1", {}, guarded, { image: `${internal.host}/ml/secret-model:latest` });
        expect(await refused.job.done).toMatchObject({
          reason: "failed-to-start",
          error: `The image "${internal.host}/ml/secret-model:latest" comes from the registry ${internal.host}, which this host does not pull from: it takes images from docker.io, ${allowed.host}.`,
        });
        expect(internal.seen).toEqual([]);
        expect(exists(refused.name)).toBe(false);

        // From an allowed registry, the pull goes out anonymously: the stand-in refuses it.
        const pulled = start("1", {}, guarded, { image: `${allowed.host}/team/private:1` });
        expect(await pulled.job.done).toMatchObject({
          reason: "failed-to-start",
          error: expect.stringMatching(/did not start: .*no basic auth credentials/),
        });
        expect(allowed.seen.length).toBeGreaterThan(0);
        expect(allowed.seen.filter((r) => r.authorization !== undefined)).toEqual([]);
      } finally {
        if (before === undefined) delete process.env.DOCKER_CONFIG;
        else process.env.DOCKER_CONFIG = before;
        await internal.close();
        await allowed.close();
      }
    }, 60_000);
  });

  it("attack: after a crash, a restarted agent kills its leftovers by name and its unjournaled strays, never another agent's", async () => {
    const leftover = (name: string, label: string, jobId: string) =>
      docker(
        "run",
        "-d",
        "--name",
        name,
        "--label",
        `${AGENT_LABEL}=${label}`,
        "--label",
        `hourglass.job=${jobId}`,
        "--network",
        "none",
        image,
        "node",
        "-e",
        "setInterval(() => {}, 1000)",
      );
    const crashed = runtimeWith({}, [], `${owner}-crashed`);
    const other = runtimeWith({}, [], `${owner}-other`);
    const journaled = ++lastJobId;
    const unjournaled = ++lastJobId;
    // What the engine holds after the agent died: its journaled job's container, one it started just before
    // the crash (never journaled), and another agent's on the same engine.
    // The journaled one's image declares a volume: docker gave it an anonymous one, which must go with it.
    docker(
      "run",
      "-d",
      "--name",
      crashed.containerName(journaled),
      "--label",
      `${AGENT_LABEL}=${crashed.owner}`,
      "--label",
      `hourglass.job=${journaled}`,
      "--network",
      "none",
      hostile,
      "node",
      "-e",
      "setInterval(() => {}, 1000)",
    );
    const volume = inspect(crashed.containerName(journaled)).Mounts.find((m) => m.Type === "volume")!.Name!;
    leftover(crashed.containerName(unjournaled), crashed.owner, String(unjournaled));
    leftover(other.containerName(journaled), other.owner, String(journaled));
    try {
      const restarted = runtimeWith({}, [], `${owner}-crashed`);
      expect((await restarted.killLeftovers([journaled])).sort()).toEqual(
        [crashed.containerName(journaled), crashed.containerName(unjournaled)].sort(),
      );
      expect(exists(crashed.containerName(journaled))).toBe(false);
      expect(exists(crashed.containerName(unjournaled))).toBe(false);
      expect(volumeExists(volume)).toBe(false);
      expect(inspect(other.containerName(journaled)).Config.Labels[AGENT_LABEL]).toBe(other.owner);
      expect(await restarted.killLeftovers([journaled])).toEqual([]);
    } finally {
      spawnSync("docker", ["volume", "rm", "--force", volume]);
      await other.killLeftovers([]);
    }
  }, 60_000);
});

const root = process.getuid?.() === 0;
const iptables =
  spawnSync("iptables", ["-w", "5", "-S", "INPUT"]).status === 0 &&
  spawnSync("ip6tables", ["-w", "5", "-S", "INPUT"]).status === 0;
describe.runIf(engine.ok && ((root && iptables) || process.env.CI === "true"))(
  "a host that allows jobs a network",
  () => {
    it("gives them only the public internet: the bridge, its firewall rules, and no IPv6 (from their configuration)", async () => {
      const runtime = runtimeWith({ network: "public" });
      const docker = runtime.docker;
      const ours = (await docker(["network", "inspect", JOB_NETWORK])).code !== 0; // leave a provider's network as found
      await prepareJobNetwork(docker);
      try {
        expect(await checkJobNetwork(docker)).toEqual([]);
        const network = JSON.parse((await docker(["network", "inspect", JOB_NETWORK])).stdout)[0];
        expect(network).toMatchObject({
          Driver: "bridge",
          EnableIPv6: false,
          Internal: false,
          Options: { "com.docker.network.bridge.name": JOB_BRIDGE, "com.docker.network.bridge.enable_icc": "false" },
        });
        const rules = execFileSync("iptables", ["-w", "5", "-S", FIREWALL_CHAIN], { encoding: "utf8" });
        for (const range of [
          "10.0.0.0/8",
          "172.16.0.0/12",
          "192.168.0.0/16",
          "169.254.0.0/16",
          "100.64.0.0/10",
          "127.0.0.0/8",
        ]) {
          expect(rules).toContain(`-A ${FIREWALL_CHAIN} -d ${range} -j DROP`);
        }
        expect(rules.trim().split("\n")).toHaveLength(BLOCKED_IPV4.length + 2);
        const first = (binary: string, chain: string) =>
          execFileSync(binary, ["-w", "5", "-S", chain], { encoding: "utf8" })
            .split("\n")
            .find((l) => l.startsWith("-A "));
        expect(first("iptables", "DOCKER-USER")).toBe(`-A DOCKER-USER -i ${JOB_BRIDGE} -j ${FIREWALL_CHAIN}`);
        expect(first("iptables", "FORWARD")).toBe("-A FORWARD -j DOCKER-USER");
        // To the host only answers to the agent's own connections (how it reaches a job's service).
        const input = execFileSync("iptables", ["-w", "5", "-S", "INPUT"], { encoding: "utf8" });
        expect(input).toContain(`-A INPUT -i ${JOB_BRIDGE} -m conntrack ! --ctstate RELATED,ESTABLISHED -j DROP`);
        expect(input).not.toContain(`-A INPUT -i ${JOB_BRIDGE} -j DROP`);
        expect(first("ip6tables", "INPUT")).toBe(`-A INPUT -i ${JOB_BRIDGE} -j DROP`);
        expect(first("ip6tables", "FORWARD")).toBe(`-A FORWARD -i ${JOB_BRIDGE} -j DROP`);

        const image = nodeImage();
        let output = "";
        const req = request(
          {
            image,
            command: [
              "node",
              "-e",
              "console.log(JSON.stringify(require('os').networkInterfaces())); setInterval(() => {}, 1000)",
            ],
          },
          { onLog: (_, t) => (output += t) },
        );
        const job = runtime.run(req);
        await waitFor("the job's interfaces", async () => output.includes("}"), 20_000);
        const container = JSON.parse(
          (await docker(["container", "inspect", runtime.containerName(req.jobId)])).stdout,
        )[0];
        expect(container.HostConfig.NetworkMode).toBe(JOB_NETWORK);
        expect(container.HostConfig.Sysctls).toEqual({ "net.ipv6.conf.all.disable_ipv6": "1" });
        expect(Object.keys(container.NetworkSettings.Networks)).toEqual([JOB_NETWORK]);
        expect(container.NetworkSettings.Networks[JOB_NETWORK].GlobalIPv6Address).toBe("");
        const interfaces = JSON.parse(output) as Record<string, { family: string; address: string }[]>;
        expect(Object.keys(interfaces).sort()).toEqual(["eth0", "lo"]);
        expect(
          Object.values(interfaces)
            .flat()
            .every((a) => a.family === "IPv4"),
        ).toBe(true);
        job.stop();
        await job.done;

        // Rules gone (a reboot, a firewall reload): the next job is refused rather than run unguarded.
        execFileSync("iptables", [
          "-w",
          "5",
          "-D",
          "INPUT",
          "-i",
          JOB_BRIDGE,
          "-m",
          "conntrack",
          "!",
          "--ctstate",
          "RELATED,ESTABLISHED",
          "-j",
          "DROP",
        ]);
        const refused = await runtime.run(request({ image, command: ["node", "-e", "1"] })).done;
        expect(refused).toMatchObject({
          reason: "failed-to-start",
          error: expect.stringMatching(
            /not safe to use: .*INPUT -i hg-jobs0 -m conntrack .* is not ahead of the other rules of INPUT/,
          ),
        });
        await prepareJobNetwork(docker);
        expect(await checkJobNetwork(docker)).toEqual([]);
      } finally {
        if (ours) await removeJobNetwork(docker);
      }
    }, 120_000);
  },
);
