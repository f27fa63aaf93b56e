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
import type { LogStream, RunRequest, RunResult, RunningJob, Runtime } from "./types";

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
    let reason: RunResult["reason"] = "exited";
    let outputBytes = 0;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    const end = (why: RunResult["reason"]) => {
      if (reason !== "exited" || child.exitCode !== null) return;
      reason = why;
      killGroup("SIGTERM");
      setTimeout(() => killGroup("SIGKILL"), STOP_GRACE_MS).unref();
    };
    const timer = setTimeout(() => end("time-limit"), request.timeLimitMs);
    const pipe = (stream: LogStream) => (chunk: Buffer) => {
      const room = request.outputCapBytes - outputBytes;
      outputBytes += chunk.length;
      if (room > 0) request.onLog(stream, chunk.subarray(0, room).toString("utf8"));
      if (outputBytes > request.outputCapBytes) end("output-cap");
    };
    child.stdout.on("data", pipe("stdout"));
    child.stderr.on("data", pipe("stderr"));

    const done = new Promise<RunResult>((resolve) => {
      let finished = false;
      const finish = (exitCode: number | null, signal: string | null, error?: string) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        killGroup("SIGKILL"); // anything the job left running in its group
        rmSync(workDir, { recursive: true, force: true });
        resolve({
          reason: error ? "failed-to-start" : reason,
          exitCode,
          signal,
          outputBytes,
          startedAt,
          endedAt: Date.now(),
          ...(error ? { error } : {}),
        });
      };
      child.on("error", (error) => finish(null, null, error.message));
      child.on("close", (code, signal) => finish(code, signal));
    });
    return { done, stop: () => end("stopped"), ...(child.pid !== undefined ? { pid: child.pid } : {}) };
  }
}
