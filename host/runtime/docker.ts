/**
 * The docker runtime, for real GPU hosts: each job in its own container, never privileged, as nobody, with all
 * capabilities dropped and no privilege escalation, a read-only root with a RAM-backed /tmp (and a RAM-backed
 * tmpfs over each volume its image declares, so nothing it writes reaches the host's disk), memory, CPU and
 * process limits from the host's config (host/config.ts `docker`), the GPU devices allocated to it alone, every
 * GPU-toolkit variable the image's ENV sets cleared, no network unless the host allows one (then only the public
 * internet: host/runtime/network.ts), an image only from an allowed registry, pulled anonymously, then run by the
 * ID that was inspected, and the same wall-clock limit, output cap and stop as the process runtime. Every container is named after its job and labelled with its agent, so a restarted agent
 * kills what its predecessor left running. Needs a Docker engine (with the NVIDIA container toolkit for GPUs).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import { isReservedEnvName } from "../../lib/jobs/spec";
import { dockerConfigSchema, type DockerConfig, type HostConfig } from "../config";
import { detectGpuDevices, GpuAllocator } from "./gpus";
import { allowedImage, inspectedImage, type InspectedImage } from "./image";
import {
  checkNetwork,
  command,
  JOB_NETWORK,
  JOBS_BRIDGE,
  prepareNetwork,
  SERVICE_NETWORK,
  SERVICES_BRIDGE,
} from "./network";
import { supervise } from "./supervise";
import type { RunRequest, RunResult, RunningJob, Runtime, ServiceAddress } from "./types";

/** Jobs run as nobody: root in a container is root on the host should anything let it out. */
export const JOB_USER = "65534:65534";
/** Labels on every job container: whose it is (a restarted agent removes its own leftovers, nobody else's). */
export const AGENT_LABEL = "hourglass.agent";
export const JOB_LABEL = "hourglass.job";
/** A stopped job gets this long to exit on SIGTERM; then it is killed, again each KILL_RETRY_MS (a kill sent
 * before docker created the container finds nothing), and after KILL_ATTEMPTS the docker CLI itself. */
const STOP_GRACE_MS = 2_000;
const KILL_RETRY_MS = 1_000;
const KILL_ATTEMPTS = 10;
/** docker's own output kept to say why a run failed to start. */
const ERROR_TAIL_CHARS = 2_000;
/** Time given to `docker rm -f` (the engine kills and removes the container). */
const REMOVE_TIMEOUT_MS = 60_000;
/** Time given to `docker image inspect`, and at most to a pull (which the job's time limit also bounds). */
const INSPECT_TIMEOUT_MS = 30_000;
const PULL_TIMEOUT_MS = 30 * 60_000;
const MiB = 1 << 20;
/** Reserved names (lib/jobs/spec.ts) an image's ENV keeps: they act only inside the container, which the image
 * fills anyway, and clearing them (PATH) would break the image. Every other reserved name it sets (NVIDIA_*,
 * CUDA_*, HOURGLASS_*) is cleared: the NVIDIA toolkit's hook reads its switches from the container's
 * environment and acts on the host (devices, IMEX channels, driver files), and HOURGLASS_* is the runtime's. */
const IMAGE_MAY_SET = new Set(["PATH", "LD_LIBRARY_PATH", "LD_PRELOAD", "NODE_OPTIONS"]);

/** What one run is given: decided before anything is started, so a refusal costs nothing. */
export interface RunPlan {
  name: string;
  owner: string;
  /** The fully qualified reference (host/runtime/image.ts). */
  image: string;
  devices: readonly string[];
  /** The internet (JOB_NETWORK) where the host allows it; else the services bridge for a job that serves ports,
   * and no network at all for one that does not. */
  network: "none" | typeof JOB_NETWORK | typeof SERVICE_NETWORK;
}

/** Where a job finds its files in its container. */
export const INPUTS_MOUNT = "/inputs";
export const OUTPUTS_MOUNT = "/outputs";

/** CPUs as docker's --cpus takes them: at most nine decimals, or it refuses the value as too precise. */
const cpusArg = (nanoCpus: number) => `${Math.floor(nanoCpus / 1e9)}.${String(nanoCpus % 1e9).padStart(9, "0")}`;

/** A job's memory (MiB) and CPUs (in billionths, as docker counts them): its GPUs' share, one GPU's at least,
 * CPUs no more than the machine has (docker refuses more). */
export function jobLimits(gpus: number, config: DockerConfig, machineCpus = availableParallelism()) {
  const share = Math.max(1, gpus);
  return {
    memoryMiB: config.memoryMiBPerGpu * share,
    nanoCpus: Math.round(Math.min(config.cpusPerGpu * share, machineCpus) * 1e9),
  };
}

/** `docker run` arguments for a job, given its image as inspected after the pull: pure, so its isolation is
 * unit-tested without an engine. */
export function dockerRunArgs(
  request: RunRequest,
  plan: RunPlan,
  image: InspectedImage,
  config: DockerConfig,
  machineCpus?: number,
): string[] {
  const { memoryMiB, nanoCpus } = jobLimits(request.gpus, config, machineCpus);
  const own: [string, string][] = [
    // Set whatever the image's own ENV says: the NVIDIA toolkit reads these to choose devices and driver features.
    ["NVIDIA_VISIBLE_DEVICES", plan.devices.length > 0 ? plan.devices.join(",") : "void"],
    ["NVIDIA_DRIVER_CAPABILITIES", "compute,utility"],
    ["HOME", "/tmp"],
    ["HOURGLASS_JOB_ID", String(request.jobId)],
    ["HOURGLASS_GPUS", String(request.gpus)],
    // Which of the host's GPUs it was given (indices or UUIDs, as nvidia-smi names them): exactly as many as it paid for.
    ["HOURGLASS_GPU_DEVICES", plan.devices.join(",")],
    // In its own network namespace a job serves each port it declared as it is.
    ...(request.spec.ports ?? []).map((port): [string, string] => [`HOURGLASS_PORT_${port}`, String(port)]),
    ...(request.files ? [["HOURGLASS_INPUTS", INPUTS_MOUNT] as [string, string]] : []),
    ...(request.files?.sized ? [["HOURGLASS_OUTPUTS", OUTPUTS_MOUNT] as [string, string]] : []),
  ];
  const ownNames = new Set(own.map(([name]) => name));
  // Empty, not unset: docker cannot unset an image's variable, and an empty value is what the toolkit treats as
  // off. Its feature switches (NVIDIA_MOFED, NVIDIA_GDS, NVIDIA_NVSWITCH, NVIDIA_GDRCOPY) act only on the value
  // "enabled"; device lists (NVIDIA_IMEX_CHANNELS, NVIDIA_MIG_*_DEVICES) read empty as none (and unset, on a
  // legacy CUDA image, as all); NVIDIA_REQUIRE_* empty require nothing, NVIDIA_DISABLE_REQUIRE empty is false.
  // That is the toolkit's source as read (v1.14-1.17), not run here: there is no GPU to run it on.
  const cleared = image.envNames.filter(
    (name) => isReservedEnvName(name) && !ownNames.has(name) && !IMAGE_MAY_SET.has(name),
  );
  const args = [
    "run",
    "--name",
    plan.name,
    "--label",
    `${AGENT_LABEL}=${plan.owner}`,
    "--label",
    `${JOB_LABEL}=${request.jobId}`,
    // The runtime pulled and inspected the image already; the container is created from that image's ID.
    "--pull",
    "never",
    // The agent reads the output as it comes and keeps at most the cap: nothing is written to the host's disk.
    "--log-driver",
    "none",
    "--user",
    JOB_USER,
    "--cap-drop",
    "ALL",
    "--security-opt",
    "no-new-privileges",
    // A small init as PID 1 passes SIGTERM on to the job and reaps what it leaves behind.
    "--init",
    "--ipc",
    "private",
    "--network",
    plan.network,
    ...(plan.network === "none" ? [] : ["--sysctl", "net.ipv6.conf.all.disable_ipv6=1"]),
    "--memory",
    `${memoryMiB}m`,
    "--memory-swap",
    `${memoryMiB}m`,
    "--cpus",
    cpusArg(nanoCpus),
    "--pids-limit",
    String(config.pidsLimit),
    "--shm-size",
    `${config.shmMiB}m`,
    // When the machine runs out of memory, the job goes first, not the agent.
    "--oom-score-adj",
    "1000",
    "--read-only",
    "--tmpfs",
    `/tmp:rw,nosuid,nodev,size=${config.tmpMiB}m,mode=1777`,
    "--workdir",
    "/tmp",
    // A tmpfs like /tmp (its pages count against the memory limit) over each volume the image declares, which
    // docker would otherwise back with an anonymous volume on the host's disk, writable past --read-only.
    ...image.volumes
      .filter((volume) => volume !== "/tmp")
      .flatMap((volume) => [
        "--mount",
        `type=tmpfs,destination=${volume},tmpfs-size=${config.tmpMiB * MiB},tmpfs-mode=1777`,
      ]),
    // The buyer's uploads, read-only; the outputs folder only when it is a tmpfs of the cap's size (host/files.ts):
    // a plain folder would let the job fill the host's disk.
    ...(request.files
      ? ["--mount", `type=bind,source=${request.files.inputsDir},destination=${INPUTS_MOUNT},readonly`]
      : []),
    ...(request.files?.sized
      ? ["--mount", `type=bind,source=${request.files.outputsDir},destination=${OUTPUTS_MOUNT}`]
      : []),
    // Docker's --gpus value is CSV: a list of devices must be one quoted field.
    ...(plan.devices.length > 0 ? ["--gpus", `"device=${plan.devices.join(",")}"`] : []),
    ...own.flatMap(([name, value]) => ["--env", `${name}=${value}`]),
    ...cleared.flatMap((name) => ["--env", `${name}=`]),
  ];
  for (const [key, value] of Object.entries(request.spec.env)) args.push("--env", `${key}=${value}`);
  args.push("--", image.id, ...request.spec.command);
  return args;
}

/** The last non-empty line of a command's output. */
const lastLine = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1) ?? "";

/** Whether a Docker engine answers here, and if not, why. */
export function dockerAvailable(): { ok: true } | { ok: false; reason: string } {
  const result = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8", timeout: 10_000 });
  if (result.error) return { ok: false, reason: `docker is not installed (${result.error.message})` };
  if (result.status !== 0)
    return { ok: false, reason: `no Docker engine answers: ${result.stderr.trim() || `exit ${result.status}`}` };
  return { ok: true };
}

export interface DockerRuntimeOptions {
  /** The host config's `docker` rules and limits, defaults filled in. */
  config: DockerConfig;
  /** Whose containers these are (the agent's signer): the label a restarted agent finds its leftovers by. */
  owner: string;
  /** The GPU devices jobs are given, each to one job at a time. */
  devices: readonly string[];
  /** Whether jobs may serve ports (host config `services.allow`): they run on the services bridge. */
  services?: boolean;
  /** DOCKER_CONFIG for every docker command: a folder of the agent's holding no login, so images are pulled
   * anonymously whatever `docker login` or credential helper the machine's user has (a buyer's image must not
   * be fetched with the provider's account, from any registry). */
  cliConfigDir: string;
}

export class DockerRuntime implements Runtime {
  readonly name = "docker" as const;
  readonly config: DockerConfig;
  readonly owner: string;
  readonly services: boolean;
  private readonly gpus: GpuAllocator;
  private readonly env: NodeJS.ProcessEnv;
  private readonly ownerTag: string;

  constructor(options: DockerRuntimeOptions) {
    this.config = options.config;
    this.owner = options.owner;
    this.services = options.services ?? false;
    this.gpus = new GpuAllocator(options.devices);
    mkdirSync(options.cliConfigDir, { recursive: true, mode: 0o700 });
    writeFileSync(path.join(options.cliConfigDir, "config.json"), "{}\n", { mode: 0o600 });
    this.env = { ...process.env, DOCKER_CONFIG: options.cliConfigDir };
    this.ownerTag = createHash("sha256").update(options.owner).digest("hex").slice(0, 12);
  }

  /** The container of job `jobId` on this agent: derived, never journaled, so it is known before it exists. */
  containerName(jobId: bigint): string {
    return `hourglass-job-${jobId}-${this.ownerTag}`;
  }

  /** GPU devices no running job holds. */
  get freeDevices(): string[] {
    return this.gpus.free;
  }

  readonly docker = (args: string[], timeoutMs?: number) => command("docker", args, this.env, timeoutMs);

  run(request: RunRequest): RunningJob {
    const startedAt = Date.now();
    const failure = (error: string): RunResult => ({
      reason: "failed-to-start",
      exitCode: null,
      signal: null,
      outputBytes: 0,
      startedAt,
      endedAt: Date.now(),
      error,
    });
    const refused = (error: string): RunningJob => ({ done: Promise.resolve(failure(error)), stop: () => undefined });
    // Everything that can refuse a job does, before anything is pulled or started.
    const reserved = Object.keys(request.spec.env).filter(isReservedEnvName);
    if (reserved.length > 0)
      return refused(`The job's environment sets ${reserved.join(", ")}, which the host reserves.`);
    const ports = request.spec.ports ?? [];
    if (ports.length > 0 && !this.services)
      return refused("The job declares ports, and this host does not serve them (its config's services.allow).");
    let plan: RunPlan;
    try {
      const image = allowedImage(request.spec.image, this.config.allowedRegistries).qualified;
      const name = this.containerName(request.jobId);
      plan = {
        name,
        owner: this.owner,
        image,
        devices: this.gpus.take(name, request.gpus),
        network: this.config.network === "public" ? JOB_NETWORK : ports.length > 0 ? SERVICE_NETWORK : "none",
      };
    } catch (error) {
      return refused((error as Error).message);
    }

    let stopped = false;
    let job: RunningJob | undefined;
    // Ends a pull or inspection under way when the job is stopped.
    const abort = new AbortController();
    const ended = (reason: "stopped" | "time-limit"): RunResult => ({
      reason,
      exitCode: null,
      signal: null,
      outputBytes: 0,
      startedAt,
      endedAt: Date.now(),
    });
    const done = (async (): Promise<RunResult> => {
      try {
        if (plan.network !== "none") {
          const problems = await checkNetwork(
            this.docker,
            plan.network === JOB_NETWORK ? JOBS_BRIDGE : SERVICES_BRIDGE,
          );
          if (problems.length > 0)
            return failure(`This host's job network is not safe to use: ${problems.join("; ")}.`);
        }
        if (stopped) return ended("stopped");
        // The job's time limit runs from here, as it did when `docker run` pulled: the pull counts against it.
        const pulled = await this.image(plan.image, startedAt + request.timeLimitMs, abort.signal);
        if (stopped) return ended("stopped");
        if ("timeLimit" in pulled) return ended("time-limit");
        if ("error" in pulled) return failure(pulled.error);
        const { image } = pulled;
        const left = startedAt + request.timeLimitMs - Date.now();
        if (left <= 0) return ended("time-limit");
        const child = spawn("docker", dockerRunArgs(request, plan, image, this.config), {
          stdio: ["ignore", "pipe", "pipe"],
          shell: false,
          env: this.env,
        });
        let stderr = "";
        child.stderr.on(
          "data",
          (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-ERROR_TAIL_CHARS)),
        );
        job = supervise(child, { ...request, timeLimitMs: left }, { kill: () => this.kill(plan.name, child) });
        return { ...(await this.settle(plan, await job.done, () => stderr, request)), startedAt };
      } finally {
        // The container, and any volume docker made for it, are gone before its devices are free again (and
        // before the agent records the end).
        await this.docker(["rm", "--force", "--volumes", plan.name], REMOVE_TIMEOUT_MS);
        this.gpus.release(plan.devices);
      }
    })();
    let address: Promise<string | undefined> | undefined;
    let finished = false;
    void done.finally(() => (finished = true));
    return {
      done,
      stop: () => {
        stopped = true;
        abort.abort();
        job?.stop();
      },
      // The container's address on its bridge, read once it runs.
      serviceAddress: async (port: number): Promise<ServiceAddress | undefined> => {
        if (!ports.includes(port) || plan.network === "none" || finished || job === undefined) return undefined;
        address ??= this.containerAddress(plan.name, plan.network).then((found) => {
          if (found === undefined) address = undefined; // not up yet: read again next time
          return found;
        });
        const host = await address;
        return host === undefined || finished ? undefined : { host, port };
      },
    };
  }

  /** The IPv4 address of container `name` on `network`, once it has one. */
  private async containerAddress(name: string, network: string): Promise<string | undefined> {
    const inspected = await this.docker([
      "container",
      "inspect",
      "--format",
      "{{json .NetworkSettings.Networks}}",
      name,
    ]);
    if (inspected.code !== 0) return undefined;
    try {
      const networks = JSON.parse(inspected.stdout) as Record<string, { IPAddress?: string }>;
      return networks[network]?.IPAddress || undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The image to run, as the engine holds it once pulled per the config (anonymously: the agent's empty
   * DOCKER_CONFIG), read by `docker image inspect`; a sentence when it cannot be run; `timeLimit` when the
   * pull outlasted the job's time limit (`deadline`, unix ms). The container is then created from the ID read
   * here with `--pull never`, so the image whose volumes and ENV were read is the one that runs.
   */
  private async image(
    reference: string,
    deadline: number,
    signal: AbortSignal,
  ): Promise<{ image: InspectedImage } | { error: string } | { timeLimit: true }> {
    const inspect = () =>
      this.exec(["image", "inspect", "--format", "{{json .}}", reference], INSPECT_TIMEOUT_MS, signal);
    let inspected = this.config.pull === "always" ? undefined : await inspect();
    if (inspected === undefined || inspected.code !== 0) {
      const pulled = await this.exec(
        ["pull", "--quiet", reference],
        Math.max(1, Math.min(PULL_TIMEOUT_MS, deadline - Date.now())),
        signal,
      );
      if (pulled.code !== 0) {
        if (Date.now() >= deadline) return { timeLimit: true };
        const why =
          lastLine(pulled.stderr) ||
          (pulled.timedOut
            ? `the pull took over ${PULL_TIMEOUT_MS / 60_000} minutes`
            : `docker pull exited with ${pulled.code}`);
        return {
          error: `The job's container did not start: its image was not pulled: ${why.replace(/^Error response from daemon: /, "")}`,
        };
      }
      inspected = await inspect();
    }
    if (inspected.code !== 0)
      return {
        error: `The job's container did not start: its image could not be inspected: ${lastLine(inspected.stderr) || `exit ${inspected.code}`}`,
      };
    try {
      return { image: inspectedImage(inspected.stdout, reference) };
    } catch (error) {
      return { error: `The job's container did not start: ${(error as Error).message}` };
    }
  }

  /** A docker command killed at `timeoutMs`, or when `signal` aborts. */
  private exec(
    args: string[],
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }> {
    const started = Date.now();
    return new Promise((resolve) => {
      execFile(
        "docker",
        args,
        { timeout: timeoutMs, killSignal: "SIGKILL", signal, maxBuffer: 4 << 20, encoding: "utf8", env: this.env },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
          resolve({
            code,
            stdout,
            stderr: stderr || (error && code === -1 ? error.message : ""),
            timedOut: code !== 0 && Date.now() - started >= timeoutMs,
          });
        },
      );
    });
  }

  /** SIGTERM, then SIGKILL until the docker CLI has exited (it exits when the container does). */
  private kill(name: string, child: ChildProcess) {
    void this.docker(["kill", "--signal", "TERM", name]);
    let attempts = 0;
    const force = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (++attempts > KILL_ATTEMPTS) {
        child.kill("SIGKILL"); // the engine does not answer: the container is removed on the way out
        return;
      }
      void this.docker(["kill", "--signal", "KILL", name]);
      setTimeout(force, KILL_RETRY_MS).unref();
    };
    setTimeout(force, STOP_GRACE_MS).unref();
  }

  /** The run's result as the container tells it: a run whose container never started failed to start (docker's
   * sentence says why), and a job the kernel killed for memory says so. */
  private async settle(
    plan: RunPlan,
    result: RunResult,
    stderr: () => string,
    request: RunRequest,
  ): Promise<RunResult> {
    if (result.reason !== "exited") return result; // the agent ended it (stop, time limit, output cap)
    const inspected = await this.docker(["container", "inspect", "--format", "{{json .State}}", plan.name]);
    let state: { StartedAt: string; OOMKilled: boolean; Error: string } | undefined;
    try {
      if (inspected.code === 0) state = JSON.parse(inspected.stdout) as typeof state;
    } catch {
      return result; // an engine answering nonsense: the run's own result stands
    }
    if (!state || state.StartedAt.startsWith("0001-")) {
      const said = stderr()
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.startsWith("docker: "))
        .at(-1);
      const why =
        state?.Error ||
        said?.replace(/^docker: /, "").replace(/\s*See 'docker run --help'\.?$/, "") ||
        `docker run exited with ${result.exitCode}`;
      return { ...result, reason: "failed-to-start", error: `The job's container did not start: ${why}` };
    }
    if (state.OOMKilled) {
      return {
        ...result,
        error: `The job was killed for using more than its ${jobLimits(request.gpus, this.config).memoryMiB} MiB of memory.`,
      };
    }
    return result;
  }

  /**
   * After an agent restart, before its first run: removes (killing) the containers of `jobIds`, found by name,
   * and every other container labelled with this agent (one started just before a crash, whose job never
   * reached the journal). Nothing can reattach to them, and they would run on unbilled. Returns their names.
   */
  async killLeftovers(jobIds: readonly bigint[]): Promise<string[]> {
    const listed = await this.docker([
      "ps",
      "--all",
      "--filter",
      `label=${AGENT_LABEL}=${this.owner}`,
      "--format",
      "{{.Names}}",
    ]);
    if (listed.code !== 0) throw new Error(`docker ps: ${listed.stderr.trim()}`);
    const names = new Set([
      ...jobIds.map((id) => this.containerName(id)),
      ...listed.stdout.split("\n").filter(Boolean),
    ]);
    const killed: string[] = [];
    for (const name of names) {
      const removed = await this.docker(["rm", "--force", "--volumes", name], REMOVE_TIMEOUT_MS);
      if (removed.stdout.trim() === name) killed.push(name);
      else if (removed.code !== 0 && !/no such container/i.test(removed.stderr))
        throw new Error(`docker rm --force ${name}: ${removed.stderr.trim()}`);
    }
    return killed;
  }
}

/** The runtime for a host config: its rules and limits, its signer as the owner, its GPUs (from nvidia-smi
 * unless listed), and, for a public network, the network and firewall rules in place (or it throws). */
export async function dockerRuntimeFor(config: HostConfig): Promise<DockerRuntime> {
  const docker = dockerConfigSchema.parse(config.docker ?? {});
  const devices = docker.gpuDevices ?? (await detectGpuDevices());
  if (devices.length === 0) {
    console.warn(
      "warning: the docker runtime has no GPUs to give jobs (nvidia-smi lists none, and docker.gpuDevices names none): every job that rents a GPU will fail to start.",
    );
  }
  const services = config.services?.allow ?? false;
  const runtime = new DockerRuntime({
    config: docker,
    owner: privateKeyToAccount(config.signerKey).address.toLowerCase(),
    devices,
    services,
    cliConfigDir: path.join(config.journalDir, "docker-cli"),
  });
  if (docker.network === "public") await prepareNetwork(runtime.docker, JOBS_BRIDGE);
  else if (services) await prepareNetwork(runtime.docker, SERVICES_BRIDGE);
  return runtime;
}
