/**
 * The host agent's core, without HTTP: accepts a job only when the chain and the buyer's signature say so,
 * starts it on-chain, runs it, meters it, signs and submits the receipt, journaling every step first.
 */
import path from "node:path";
import { keccak256, stringToBytes, type Hex } from "viem";
import { meterUsage } from "../lib/jobs/cost";
import { MAX_SIGNATURE_LIFETIME, recoverAccessSigner, recoverDispatchSigner, type AccessAction } from "../lib/jobs/dispatch";
import { jobSpecSchema, specHash, type JobSpec } from "../lib/jobs/spec";
import type { HostChain, OnChainJob } from "./chain";
import type { HostConfig } from "./config";
import { EventLog } from "./events";
import { Journal, type JournalEntry } from "./journal";
import type { Runtime, RunningJob } from "./runtime/types";

/** A refusal with the HTTP status the server answers with and a reason a person can read. */
export class HostError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SignedRequest {
  jobId: bigint;
  expiry: bigint;
  signature: Hex;
}

export class HostAgent {
  private readonly running = new Map<string, RunningJob>();
  private readonly stopping = new Set<string>();
  private readonly logs = new Map<string, EventLog>();
  private readonly journal: Journal;
  private id: bigint | undefined;
  /** Host ids read while looking for this agent's host. */
  private scanned = 0n;

  constructor(
    private readonly config: HostConfig,
    private readonly chain: HostChain,
    private readonly runtime: Runtime,
  ) {
    this.journal = new Journal(config.journalDir);
    this.id = config.hostId === undefined ? undefined : BigInt(config.hostId);
  }

  /** The registry host this agent serves; undefined until one is registered with its signer. */
  get hostId(): bigint | undefined {
    return this.id;
  }

  /** Finds the host registered with this agent's signer when none was configured (reading only hosts
   * registered since the last look). If the signer was registered for several hosts, the first is served. */
  async identify(): Promise<bigint | undefined> {
    if (this.id !== undefined) return this.id;
    const { ids, last } = await this.chain.hostsSignedHere(this.scanned);
    // Two looks may overlap (the poll and a dispatch): an earlier one finishing last must not undo a find.
    if (last > this.scanned) this.scanned = last;
    this.id ??= ids[0];
    return this.id;
  }

  get freeSlots() {
    return this.config.maxConcurrentJobs - this.running.size;
  }

  events(jobId: bigint): EventLog {
    const key = String(jobId);
    let log = this.logs.get(key);
    if (!log) {
      log = new EventLog(path.join(this.config.journalDir, `job-${key}.events.jsonl`));
      this.logs.set(key, log);
    }
    return log;
  }

  /** Verifies and accepts a dispatch; the job then runs in the background. */
  async dispatch(request: SignedRequest & { spec: unknown }): Promise<void> {
    const parsed = jobSpecSchema.safeParse(request.spec);
    if (!parsed.success) throw new HostError(400, `The job spec is invalid: ${parsed.error.issues[0]!.message}.`);
    const spec = parsed.data;
    const job = await this.verify(request, async (j) =>
      recoverDispatchSigner(this.config.chainId, this.chain.escrow, { jobId: j.id, specHash: specHash(spec), expiry: request.expiry }, request.signature),
    );
    if (job.status !== "created") throw new HostError(409, `Job #${job.id} is ${job.status}, not waiting to start.`);
    if (specHash(spec) !== job.specHash) throw new HostError(400, "The spec does not match the hash the job was funded with.");
    if (this.journal.get(String(job.id))) throw new HostError(409, `Job #${job.id} was already dispatched.`);
    if (this.freeSlots <= 0) throw new HostError(503, "The host is running as many jobs as it takes. Try again later.");

    const entry = this.journal.put({
      jobId: String(job.id), step: "accepted", spec, gpus: job.gpus, maxDuration: job.maxDuration, locked: String(job.locked),
    });
    this.events(job.id).append("status", { status: "accepted" });
    void this.carryOn(entry);
  }

  /** Checks an access signature for `action` on a job of this host's. */
  async authorize(request: SignedRequest, action: AccessAction): Promise<OnChainJob> {
    return this.verify(request, (j) =>
      recoverAccessSigner(this.config.chainId, this.chain.escrow, { jobId: j.id, action, expiry: request.expiry }, request.signature),
    );
  }

  async stop(request: SignedRequest): Promise<void> {
    const job = await this.authorize(request, "stop");
    if (!this.running.has(String(job.id))) throw new HostError(409, `Job #${job.id} is not running on this host.`);
    this.halt(job.id, "request");
  }

  /** Kills the run of a job its buyer stopped on-chain: billing ends there anyway, and this frees the GPUs.
   * Returns the unwatch function. */
  watchChain(pollingInterval?: number): () => void {
    return this.chain.watchStops((jobId) => {
      if (this.running.has(String(jobId))) this.halt(jobId, "chain");
    }, pollingInterval);
  }

  /** Stops a run once, however many times and ways it is asked to. */
  private halt(jobId: bigint, source: "request" | "chain") {
    const key = String(jobId);
    if (this.stopping.has(key)) return;
    this.stopping.add(key);
    this.events(jobId).append("status", { status: "stopping", source });
    this.running.get(key)!.stop();
  }

  /** Carries every unfinished journaled job on from its last step (after a restart). */
  async resume(): Promise<void> {
    for (const entry of this.journal.unfinished()) {
      if (entry.step === "started" && entry.pid !== undefined) {
        try {
          process.kill(-entry.pid, "SIGKILL"); // the run died with the previous agent; nothing can reattach to it
        } catch {
          // already gone
        }
        // Bill up to its last sign of life, never the time the host was down.
        const ranFor = Math.ceil((entry.updatedAt - (entry.runStartedAtMs ?? entry.updatedAt)) / 1000);
        const ended = this.journal.put({ ...entry, step: "ended", endedAt: entry.startedAt! + ranFor, endReason: "host-restarted" });
        this.events(BigInt(entry.jobId)).append("status", { status: "interrupted", reason: "the host restarted" });
        void this.carryOn(ended);
      } else {
        void this.carryOn(entry);
      }
    }
  }

  private async verify(request: SignedRequest, recover: (job: OnChainJob) => Promise<string>): Promise<OnChainJob> {
    const now = Math.floor(Date.now() / 1000);
    if (request.expiry <= BigInt(now)) throw new HostError(401, "The signature has expired. Sign again.");
    if (request.expiry > BigInt(now + MAX_SIGNATURE_LIFETIME)) {
      throw new HostError(401, `A signature may be valid for at most ${MAX_SIGNATURE_LIFETIME / 3600} hours.`);
    }
    const job = await this.chain.job(request.jobId);
    if (job.status === "none") throw new HostError(404, `There is no job #${request.jobId}.`);
    // A job can name this host only once it is registered: look again if it was not found yet.
    const hostId = this.id ?? (await this.identify());
    if (job.hostId !== hostId) throw new HostError(403, `Job #${job.id} is for host #${job.hostId}, not this one.`);
    if (job.signer.toLowerCase() !== this.chain.signer.toLowerCase()) {
      throw new HostError(403, `Job #${job.id} expects another signer than this host's.`);
    }
    let signer: string;
    try {
      signer = await recover(job);
    } catch {
      throw new HostError(401, "The signature is malformed.");
    }
    if (signer.toLowerCase() !== job.buyer.toLowerCase()) throw new HostError(401, `Only job #${job.id}'s buyer can do this.`);
    return job;
  }

  /** Moves a journaled job through its remaining steps. Errors are journaled as events, not thrown. */
  private async carryOn(entry: JournalEntry): Promise<void> {
    const log = this.events(BigInt(entry.jobId));
    try {
      if (entry.step === "accepted") entry = await this.start(entry);
      if (entry.step === "started") entry = await this.run(entry);
      if (entry.step === "ended") entry = await this.sign(entry);
      if (entry.step === "signed") entry = await this.submit(entry);
    } catch (error) {
      log.append("status", { status: "error", message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async start(entry: JournalEntry): Promise<JournalEntry> {
    const onChain = await this.chain.job(BigInt(entry.jobId));
    // A start that landed before a crash is not sent again.
    const startedAt = onChain.status === "created" ? (await this.chain.start(onChain.id)).timestamp : onChain.startedAt;
    this.events(onChain.id).append("status", { status: "started", startedAt });
    return this.journal.put({ ...entry, step: "started", startedAt });
  }

  private async run(entry: JournalEntry): Promise<JournalEntry> {
    const jobId = BigInt(entry.jobId);
    const log = this.events(jobId);
    const startedAt = entry.startedAt!;
    // Durations come from this machine's clock, added to the chain's start: the two clocks need not agree.
    const running = this.runtime.run({
      jobId,
      spec: entry.spec as JobSpec,
      gpus: entry.gpus,
      timeLimitMs: entry.maxDuration * 1000,
      outputCapBytes: this.config.outputCapBytes,
      onLog: (stream, text) => log.append("log", { stream, text }),
    });
    this.running.set(entry.jobId, running);
    entry = this.journal.put({ ...entry, runStartedAtMs: Date.now(), ...(running.pid !== undefined ? { pid: running.pid } : {}) });
    const current = entry;
    const heartbeat = setInterval(() => this.journal.put({ ...current }), this.config.heartbeatSeconds * 1000);
    try {
      const result = await running.done;
      log.append("status", { status: "ended", reason: result.reason, exitCode: result.exitCode, ...(result.error ? { error: result.error } : {}) });
      const elapsed = Math.ceil((result.endedAt - result.startedAt) / 1000);
      return this.journal.put({ ...entry, step: "ended", endedAt: startedAt + elapsed, endReason: result.reason, exitCode: result.exitCode });
    } finally {
      clearInterval(heartbeat);
      this.running.delete(entry.jobId);
      this.stopping.delete(entry.jobId);
    }
  }

  private async sign(entry: JournalEntry): Promise<JournalEntry> {
    const jobId = BigInt(entry.jobId);
    const onChain = await this.chain.job(jobId);
    const startedAt = entry.startedAt ?? onChain.startedAt;
    // A buyer's on-chain stop ends what may be billed.
    const stoppedAfter = onChain.stoppedAt !== 0 ? onChain.stoppedAt - startedAt : undefined;
    const { seconds, used } = meterUsage(BigInt(entry.locked), entry.endedAt! - startedAt, entry.maxDuration, stoppedAfter);
    const endedAt = startedAt + seconds;
    // The receipt may not end after the chain's now: wait for the billed minute to pass on-chain.
    while ((await this.chain.now()) < endedAt) await new Promise((r) => setTimeout(r, 500));
    // The result is what the job printed and how it ended: the buyer can recompute it from the event stream.
    const output = this.events(jobId).logText();
    const resultHash = keccak256(stringToBytes(JSON.stringify({ endReason: entry.endReason, exitCode: entry.exitCode, output })));
    const receipt = { jobId, used, resultHash, endedAt: BigInt(endedAt) };
    const signature = await this.chain.sign(receipt);
    this.events(jobId).append("status", { status: "signed", used: String(used), endedAt, resultHash });
    return this.journal.put({ ...entry, step: "signed", endedAt, used: String(used), resultHash, signature });
  }

  private async submit(entry: JournalEntry): Promise<JournalEntry> {
    const jobId = BigInt(entry.jobId);
    const onChain = await this.chain.job(jobId);
    let txHash = entry.txHash;
    // Submitted before a crash (the chain moved on): never twice.
    if (onChain.status === "running") {
      const receipt = { jobId, used: BigInt(entry.used!), resultHash: entry.resultHash!, endedAt: BigInt(entry.endedAt!) };
      txHash = (await this.chain.submit(receipt, entry.signature!)).hash;
    }
    this.events(jobId).append("status", { status: "submitted", txHash: txHash ?? null, final: true });
    return this.journal.put({ ...entry, step: "submitted", ...(txHash ? { txHash } : {}) });
  }
}
