/** What every runtime (process for development and CI, docker for GPU hosts) offers the agent. */
import type { JobSpec } from "../../lib/jobs/spec";
import type { StagedFiles } from "../files";

export type LogStream = "stdout" | "stderr";

export interface RunRequest {
  jobId: bigint;
  spec: JobSpec;
  gpus: number;
  /** Wall-clock limit: the job's maximum duration. */
  timeLimitMs: number;
  /**
   * Asked EXTENSION_LEAD_MS (lib/protocol/extension.ts) before the time limit: the later end (unix ms, this
   * machine's clock) the buyer extended the job to on-chain keeps it running until then, asked again before it;
   * undefined, an error or no answer within 10 s leaves the limit where it was.
   */
  extendedUntil?: () => Promise<number | undefined>;
  /** Output kept and streamed; past it the job is stopped. */
  outputCapBytes: number;
  /** The job's inputs (read-only) and outputs folders on this machine (host/files.ts): the job finds them at
   * $HOURGLASS_INPUTS and $HOURGLASS_OUTPUTS. */
  files?: StagedFiles;
  onLog: (stream: LogStream, text: string) => void;
}

export type EndReason = "exited" | "stopped" | "time-limit" | "output-cap" | "failed-to-start";

export interface RunResult {
  reason: EndReason;
  exitCode: number | null;
  signal: string | null;
  /** Bytes of output the job wrote (what was kept is at most outputCapBytes). */
  outputBytes: number;
  /** Unix ms. */
  startedAt: number;
  endedAt: number;
  /** Why the run failed, in words: a failure to start, or the memory limit. */
  error?: string;
}

export interface RunningJob {
  done: Promise<RunResult>;
  /** The process group to kill if the agent dies and restarts (process runtime). */
  pid?: number;
  /** Stops the job and everything it started. */
  stop(): void;
  /** Where the agent reaches the job's declared port `port` (spec.ports) while it runs: undefined before its
   * process or container is up, after it ended, or for a port it did not declare. */
  serviceAddress?(port: number): Promise<ServiceAddress | undefined>;
}

/** A job's service as the agent connects to it: loopback (process runtime) or its container's address on the
 * agent's services bridge (docker). */
export interface ServiceAddress {
  host: string;
  port: number;
}

export interface Runtime {
  readonly name: "process" | "docker";
  run(request: RunRequest): RunningJob;
  /**
   * After an agent restart, before its first run: kills whatever runs a previous agent left (nothing can
   * reattach to them): those of `jobIds`, the journal's unfinished jobs, and any other of this agent's the
   * runtime can find (one started just before a crash, whose job never reached the journal). Resolves, with
   * what it killed, once they are gone.
   */
  killLeftovers?(jobIds: readonly bigint[]): Promise<string[]>;
}
