/**
 * What both runtimes do around a spawned child: the wall-clock limit, capped output streamed to the job's
 * log, stopping (once, with the reason), and the result when the child closes. Each runtime supplies how to
 * kill what it started and what to clean up.
 */
import type { ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import { EXTENSION_LEAD_MS } from "../../lib/protocol/extension";
import type { LogStream, RunRequest, RunResult, RunningJob } from "./types";

/** The longest the extension check waits for `extendedUntil` (a chain read): less than its lead, so an answer
 * comes before the limit. */
const EXTENSION_CHECK_MS = 10_000;

export interface Supervision {
  /** Ends the job: called once, for the first reason (time limit, output cap or stop). */
  kill(): void;
  /** Runs when the child has closed, before the result is reported. */
  cleanUp?(): void;
}

export function supervise(
  child: ChildProcessByStdio<null, Readable, Readable>,
  request: RunRequest,
  how: Supervision,
): RunningJob {
  const startedAt = Date.now();
  let reason: RunResult["reason"] = "exited";
  let outputBytes = 0;
  let finished = false;
  const end = (why: RunResult["reason"]) => {
    if (reason !== "exited" || child.exitCode !== null) return;
    reason = why;
    how.kill();
  };
  // EXTENSION_LEAD_MS before the limit, the job asks whether it was extended: a buyer who extended in time keeps
  // running to the new end (asked again before it); otherwise the run ends at the limit, not after the answer.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const at = (ms: number, then: () => void) => (timer = setTimeout(then, Math.max(0, ms - Date.now())));
  const limitAt = (limitMs: number) => {
    const ask = request.extendedUntil;
    if (!ask) return at(limitMs, () => end("time-limit"));
    at(limitMs - EXTENSION_LEAD_MS, () => {
      let check: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<undefined>(
        (resolve) => (check = setTimeout(() => resolve(undefined), EXTENSION_CHECK_MS)),
      );
      void Promise.race([ask(), late])
        .catch(() => undefined)
        .then((until) => {
          clearTimeout(check);
          if (finished) return;
          if (until !== undefined && until > limitMs) limitAt(until);
          else at(limitMs, () => end("time-limit"));
        });
    });
  };
  limitAt(startedAt + request.timeLimitMs);
  const pipe = (stream: LogStream) => (chunk: Buffer) => {
    const room = request.outputCapBytes - outputBytes;
    outputBytes += chunk.length;
    if (room > 0) request.onLog(stream, chunk.subarray(0, room).toString("utf8"));
    if (outputBytes > request.outputCapBytes) end("output-cap");
  };
  child.stdout.on("data", pipe("stdout"));
  child.stderr.on("data", pipe("stderr"));

  const done = new Promise<RunResult>((resolve) => {
    const finish = (exitCode: number | null, signal: string | null, error?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      how.cleanUp?.();
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
