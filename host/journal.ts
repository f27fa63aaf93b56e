/**
 * The host's journal: one JSON file per job, replaced atomically (write, fsync, rename) at every step and
 * always before the step's effect leaves the machine (a start or receipt transaction, a stream to the buyer).
 * After a crash the agent reads it back and carries each job on from its last recorded step, so a receipt is
 * submitted until it lands (signed anew, and journaled, when the escrow refused it), and never twice.
 */
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import type { Address, Hex } from "viem";
import type { JobSpec } from "../lib/jobs/spec";

/** A job's steps on this host, in order. */
export const STEPS = ["accepted", "started", "ended", "signed", "submitted", "closed"] as const;
/** Steps after which nothing is left to do: the receipt is in, or the chain ended the job without one (it was
 * cancelled or reclaimed before the agent got there). */
export const FINAL_STEPS: readonly Step[] = ["submitted", "closed"];
export type Step = (typeof STEPS)[number];

export interface JournalEntry {
  jobId: string;
  step: Step;
  spec: JobSpec;
  gpus: number;
  maxDuration: number;
  /** The job's buyer on-chain: who may call its service (journals from before services lack it). */
  buyer?: Address;
  /** SCU (wei) the job locked, as a decimal string. */
  locked: string;
  /** The signer's DispatchAck given to the buyer when the job was accepted. */
  ack?: Hex;
  /** Unix seconds (chain time) by which the job had to be started: its start is retried until then. */
  startBy?: number;
  /** Unix seconds of the on-chain start. */
  startedAt?: number;
  /** Process group of the running job, to kill it after a crash, and when it began on this machine's clock. */
  pid?: number;
  runStartedAtMs?: number;
  /** Whole seconds the run lasted on this machine's clock (rounded up), and why it ended. */
  ranSeconds?: number;
  endReason?: string;
  exitCode?: number | null;
  /** The receipt, once signed: the unix second it ends at (the on-chain start + the seconds billed). */
  endedAt?: number;
  used?: string;
  resultHash?: Hex;
  signature?: Hex;
  /** The transaction that carried it. */
  txHash?: Hex;
  /** Unix ms of the last write. */
  updatedAt: number;
}

export class Journal {
  constructor(private readonly dir: string) {
    // The agent's alone: jobs (run as other users) must neither read another's output nor write the journal.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }

  private file(jobId: string) {
    if (!/^\d{1,78}$/.test(jobId)) throw new Error(`journal: "${jobId}" is not a job id`);
    return path.join(this.dir, `job-${jobId}.json`);
  }

  /** Where job `jobId`'s event log lives (host/eventLog.ts), beside its entry. */
  eventsFile(jobId: string): string {
    if (!/^\d{1,78}$/.test(jobId)) throw new Error(`journal: "${jobId}" is not a job id`);
    return path.join(this.dir, `job-${jobId}.events.jsonl`);
  }

  /**
   * Deletes what is kept of jobs finished before `cutoffMs` (unix ms): their entries and event logs, and event
   * logs of jobs never accepted here last written before it. Returns the job ids forgotten. The disk a journal
   * takes is then bounded by the jobs of the retention period.
   */
  forgetFinishedBefore(cutoffMs: number): string[] {
    const forgotten: string[] = [];
    for (const name of readdirSync(this.dir)) {
      const id = /^job-(\d+)\.(json|events\.jsonl)$/.exec(name);
      if (!id) continue;
      const [jobId, kind] = [id[1]!, id[2]!];
      const entry = this.get(jobId);
      const old =
        kind === "json"
          ? entry !== undefined && FINAL_STEPS.includes(entry.step) && entry.updatedAt < cutoffMs
          : entry === undefined && statSync(path.join(this.dir, name)).mtimeMs < cutoffMs;
      if (!old) continue;
      rmSync(this.eventsFile(jobId), { force: true });
      if (kind === "json") rmSync(this.file(jobId), { force: true });
      forgotten.push(jobId);
    }
    return forgotten;
  }

  get(jobId: string): JournalEntry | undefined {
    try {
      return JSON.parse(readFileSync(this.file(jobId), "utf8")) as JournalEntry;
    } catch {
      return undefined;
    }
  }

  /** Records `entry` durably; returns it. */
  put(entry: Omit<JournalEntry, "updatedAt">): JournalEntry {
    const full = { ...entry, updatedAt: Date.now() };
    const file = this.file(entry.jobId);
    const temp = `${file}.${process.pid}.tmp`;
    const fd = openSync(temp, "w");
    try {
      try {
        writeSync(fd, JSON.stringify(full, null, 2));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
    } catch (error) {
      // A full disk: the entry as it was stays, and no half-written temp file is left beside it.
      rmSync(temp, { force: true });
      throw error;
    }
    return full;
  }

  /** Every job not yet submitted (nor given up: a job the chain finished without its receipt is recorded as
   * submitted, there being nothing left to send), oldest first: what a restarted agent must carry on. */
  unfinished(): JournalEntry[] {
    return readdirSync(this.dir)
      .filter((f) => /^job-\d+\.json$/.test(f))
      .map((f) => JSON.parse(readFileSync(path.join(this.dir, f), "utf8")) as JournalEntry)
      .filter((e) => !FINAL_STEPS.includes(e.step))
      .sort((a, b) => a.updatedAt - b.updatedAt);
  }
}
