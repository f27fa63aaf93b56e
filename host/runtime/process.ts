/**
 * The process runtime, for development and CI: runs a spec's command on this machine, without a shell, in a
 * fresh temp directory, with an allow-listed environment, a wall-clock limit and capped output, in its own
 * process group so that stopping it kills everything it started. It isolates nothing from a hostile job:
 * real GPU hosts use the docker runtime.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { supervise } from "./supervise";
import type { RunRequest, RunResult, RunningJob, Runtime } from "./types";

/** Executables a spec may name, and what runs for each: never whatever is first on the host's PATH. */
const EXECUTABLES: Record<string, string> = { node: process.execPath };
/** The host's environment a job sees; everything else comes from its spec. */
const ENV_ALLOW_LIST = ["LANG", "TZ"];
/** Time a stopped job gets to exit on SIGTERM before its group is killed. */
const STOP_GRACE_MS = 2_000;

export class ProcessRuntime implements Runtime {
  readonly name = "process" as const;

  run(request: RunRequest): RunningJob {
    const startedAt = Date.now();
    const [command, ...args] = request.spec.command;
    const executable = EXECUTABLES[command!];
    if (!executable) {
      const error = `the process runtime runs only ${Object.keys(EXECUTABLES).join(", ")}, not "${command}"`;
      const result: RunResult = { reason: "failed-to-start", exitCode: null, signal: null, outputBytes: 0, startedAt, endedAt: startedAt, error };
      return { done: Promise.resolve(result), stop: () => undefined };
    }
    const workDir = mkdtempSync(path.join(tmpdir(), `hourglass-job-${request.jobId}-`));
    const env: Record<string, string> = { HOME: workDir, TMPDIR: workDir, HOURGLASS_JOB_ID: String(request.jobId) };
    for (const name of ENV_ALLOW_LIST) if (process.env[name] !== undefined) env[name] = process.env[name]!;
    Object.assign(env, request.spec.env, { HOURGLASS_GPUS: String(request.gpus) });

    const child = spawn(executable, args, { cwd: workDir, env: env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"], shell: false });
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    return supervise(child, request, {
      kill: () => {
        killGroup("SIGTERM");
        setTimeout(() => killGroup("SIGKILL"), STOP_GRACE_MS).unref();
      },
      cleanUp: () => {
        killGroup("SIGKILL"); // anything the job left running in its group
        rmSync(workDir, { recursive: true, force: true });
      },
    });
  }
}
