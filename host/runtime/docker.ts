/**
 * The docker runtime, for real GPU hosts: each job in its own container with the GPUs it paid for, never
 * privileged, no host network, all capabilities dropped, no privilege escalation, a process limit, and the
 * same wall-clock limit, output cap and stop as the process runtime. Needs a Docker engine with the NVIDIA
 * container toolkit.
 */
import { spawn, spawnSync } from "node:child_process";
import { supervise } from "./supervise";
import type { RunRequest, RunningJob, Runtime } from "./types";

/** `docker run` arguments for a job: pure, so its isolation is unit-tested without an engine. */
export function dockerRunArgs(request: RunRequest, name: string): string[] {
  const args = [
    "run", "--rm", "--name", name,
    ...(request.gpus > 0 ? ["--gpus", String(request.gpus)] : []),
    "--network", "bridge",
    "--cap-drop", "ALL",
    "--security-opt", "no-new-privileges",
    "--pids-limit", "4096",
    "--read-only", "--tmpfs", "/tmp:rw,size=1g", "--workdir", "/tmp",
    "--env", `HOURGLASS_JOB_ID=${request.jobId}`, "--env", `HOURGLASS_GPUS=${request.gpus}`,
  ];
  for (const [key, value] of Object.entries(request.spec.env)) args.push("--env", `${key}=${value}`);
  args.push("--", request.spec.image, ...request.spec.command);
  return args;
}

/** Whether a Docker engine answers here, and if not, why. */
export function dockerAvailable(): { ok: true } | { ok: false; reason: string } {
  const result = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8", timeout: 10_000 });
  if (result.error) return { ok: false, reason: `docker is not installed (${result.error.message})` };
  if (result.status !== 0) return { ok: false, reason: `no Docker engine answers: ${result.stderr.trim() || `exit ${result.status}`}` };
  return { ok: true };
}

export class DockerRuntime implements Runtime {
  readonly name = "docker" as const;

  run(request: RunRequest): RunningJob {
    const name = `hourglass-job-${request.jobId}-${Date.now()}`;
    const child = spawn("docker", dockerRunArgs(request, name), { stdio: ["ignore", "pipe", "pipe"], shell: false });
    // The container, not the docker CLI: killing the CLI would leave the job running.
    return supervise(child, request, { kill: () => spawn("docker", ["kill", name], { stdio: "ignore" }) });
  }
}
