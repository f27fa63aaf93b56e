/**
 * The host agent's core, without HTTP: serves only a host its configured provider registered with its signer,
 * signs that signer's consent for that provider alone, accepts a job only when the chain and the buyer's
 * signature say so (acknowledging it with a signature the buyer can present on-chain), starts it on-chain,
 * runs it, meters it per second, signs and submits the receipt, journaling every step first.
 */
import type { Address, Hex } from "viem";
import type { AccessToken } from "../lib/protocol/accessToken";
import type { AccessAction } from "../lib/protocol/jobSignatures";
import { describeError } from "../lib/errors";
import { meterRun } from "../lib/jobs/cost";
import { BoundedCache } from "../lib/limits";
import { jobSpecSchema, specHash, type JobSpec } from "../lib/jobs/spec";
import { CONSENT_LIFETIME_SECONDS, type ConsentAnswer } from "../lib/protocol/consent";
import { checkSignedRequest, lifetimeRefusal, requestSigner, type BuyerRequest } from "../lib/protocol/signedRequest";
import { FILES_DEFAULTS, SERVICES_DEFAULTS, type HostConfig, type ServicesConfig } from "./config";
import { EventLog } from "./eventLog";
import { HostError } from "./hostError";
import type { HostChain, OnChainJob } from "./hostChain";
import { JobFiles } from "./files";
import { Journal, type JournalEntry } from "./journal";
import type { Runtime, RunningJob, ServiceAddress } from "./runtime/types";

/** The least time before a job's start deadline that the agent still accepts its dispatch: enough to send
 * `start` and have it mined. */
export const START_LEAD_SECONDS = 120;
/** The wait after a step's first failure, doubled after each further one up to the most. */
export const RETRY_BACKOFF_MS = 2_000;
export const MAX_RETRY_WAIT_MS = 60_000;
/** Event logs kept open before idle ones are forgotten (each is a count and a size; the events are on disk). */
const MAX_CACHED_LOGS = 1024;
/** Access tokens whose signer the agent remembers, so a service's requests cost one recovery per token. */
const MAX_CACHED_TOKENS = 4096;
/** Uploads one buyer's jobs take here at once: a few slow ones never hold every upload the host takes. */
const MAX_UPLOADS_PER_BUYER = 2;

const sameAddress = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export interface SignedRequest {
  jobId: bigint;
  expiry: bigint;
  signature: Hex;
}

export class HostAgent {
  private readonly running = new Map<string, RunningJob>();
  private readonly stopping = new Set<string>();
  private readonly logs = new Map<string, EventLog>();
  /** Jobs whose steps are being carried on: their logs are still written. */
  private readonly inProgress = new Set<string>();
  /** Jobs accepted and not yet done running: each holds one of the host's slots from its dispatch, so that jobs
   * accepted faster than they start never add up to more than maxConcurrentJobs runs. */
  private readonly holding = new Set<string>();
  private readonly journal: Journal;
  private id: bigint | undefined;
  /** The host another provider registered with this agent's signer: never served (the key is bound to it). */
  private foreign: bigint | undefined;
  /** Jobs' inputs and outputs (host/files.ts), opened once. */
  readonly files: Promise<JobFiles>;
  /** Signers recovered from access tokens (undefined: malformed), each until its token expires. */
  private readonly tokenSigners = new BoundedCache<string, Address | undefined>(MAX_CACHED_TOKENS);
  /** Jobs taking an upload now (their dispatch waits for it), and uploads under way per buyer. */
  private readonly uploading = new Set<string>();
  private readonly uploadsByBuyer = new Map<string, number>();

  constructor(
    private readonly config: HostConfig,
    private readonly chain: HostChain,
    private readonly runtime: Runtime,
  ) {
    this.journal = new Journal(config.journalDir);
    this.id = config.hostId === undefined ? undefined : BigInt(config.hostId);
    // Outputs of docker runs are sized tmpfs mounts, which only root can make; without them a container gets no
    // outputs folder (a plain one would let it fill the disk).
    const mountOutputs = runtime.name === "docker" && process.getuid?.() === 0;
    this.files = JobFiles.open(config.files?.dir ?? `${config.journalDir}.files`, config.files ?? FILES_DEFAULTS, {
      mountOutputs,
    });
    // An unhandled rejection would end the process; a store that cannot open fails each use instead.
    this.files.catch((error: unknown) => console.error(`job files: ${describeError(error)}`));
  }

  /** Whether jobs may declare ports here, and the limits on what is forwarded to them (the config's services). */
  get serviceLimits(): ServicesConfig {
    return this.config.services ?? SERVICES_DEFAULTS;
  }

  /** The registry host this agent serves; undefined until one is registered with its signer. */
  get hostId(): bigint | undefined {
    return this.id;
  }

  /**
   * Finds the host registered with this agent's signer, when none was configured, and serves it only if the
   * configured provider registered it. A key is bound to one host for good: once another provider's host holds
   * it, this warns once and never serves.
   */
  async identify(): Promise<bigint | undefined> {
    if (this.id !== undefined || this.foreign !== undefined) return this.id;
    const hostId = await this.chain.hostOfSigner();
    if (hostId === 0n) return undefined;
    const host = await this.chain.host(hostId);
    if (sameAddress(host.provider, this.config.provider)) {
      this.id ??= hostId;
      return this.id;
    }
    if (this.foreign === undefined) {
      this.foreign = hostId;
      console.warn(
        `warning: host #${hostId} was registered with this agent's signer ${this.chain.signer} by provider ${host.provider}, ` +
          `but this agent serves provider ${this.config.provider} (its config's "provider"): it will not serve that host. ` +
          `Run the agent with a new signerKey, or set "provider" to ${host.provider} if that account is yours.`,
      );
    }
    return undefined;
  }

  /** With a configured host id: that host must have this agent's signer and the configured provider. */
  async checkConfiguredHost(): Promise<void> {
    if (this.id === undefined) return;
    const host = await this.chain.host(this.id);
    if (!sameAddress(host.signer, this.chain.signer)) {
      throw new Error(`signerKey: its address ${this.chain.signer} is not host #${this.id}'s signer (${host.signer})`);
    }
    if (!sameAddress(host.provider, this.config.provider)) {
      throw new Error(`provider: host #${this.id} belongs to provider ${host.provider}, not ${this.config.provider}`);
    }
  }

  /**
   * The signer key's consent to be registered by `provider` (`registerHost`'s HostSigner signature), valid for an
   * hour of chain time: only for the configured provider, and only while the key serves no host.
   */
  async consent(provider: Address): Promise<ConsentAnswer> {
    if (!sameAddress(provider, this.config.provider)) {
      throw new HostError(
        403,
        `This agent serves provider ${this.config.provider}, not ${provider}: it consents to be registered by that provider only (its config's "provider").`,
      );
    }
    const bound = await this.chain.hostOfSigner();
    if (bound !== 0n) {
      throw new HostError(
        409,
        `This agent's signer ${this.chain.signer} already serves host #${bound}; a key serves one host. Start an agent with a new signerKey to register another.`,
      );
    }
    const deadline = BigInt((await this.chain.now()) + CONSENT_LIFETIME_SECONDS);
    const signature = await this.chain.signConsent({ provider: this.config.provider, deadline });
    return { provider: this.config.provider, signer: this.chain.signer, deadline: String(deadline), signature };
  }

  /** The host another provider registered with this agent's signer, which it will never serve. */
  get foreignHostId(): bigint | undefined {
    return this.foreign;
  }

  get freeSlots() {
    return this.config.maxConcurrentJobs - this.holding.size;
  }

  /** Job `jobId`'s event log. One instance per job while anything uses it (a job in progress appends, readers
   * wait on its appends); the idle ones are forgotten past MAX_CACHED_LOGS, their files staying on disk. */
  events(jobId: bigint): EventLog {
    const key = String(jobId);
    let log = this.logs.get(key);
    if (!log) {
      if (this.logs.size >= MAX_CACHED_LOGS) {
        for (const [idle, l] of this.logs) if (!this.inProgress.has(idle) && l.readers === 0) this.logs.delete(idle);
      }
      log = new EventLog(this.journal.eventsFile(key));
      this.logs.set(key, log);
    }
    return log;
  }

  /**
   * Verifies and accepts a dispatch; the job then runs in the background. Returns the signer's DispatchAck,
   * which lets the buyer record a no-show on-chain (`cancel(jobId, ack)`) if the job is then never started.
   */
  async dispatch(request: SignedRequest & { spec: unknown }): Promise<{ ack: Hex }> {
    const parsed = jobSpecSchema.safeParse(request.spec);
    if (!parsed.success) throw new HostError(400, `The job spec is invalid: ${parsed.error.issues[0]!.message}.`);
    const spec = parsed.data;
    if ((spec.ports?.length ?? 0) > 0 && !this.serviceLimits.allow)
      throw new HostError(
        409,
        "This host does not serve jobs' ports (its provider's config): cancel the job, and book one on a host that does.",
      );
    const job = await this.verify(
      { kind: "dispatch", message: { jobId: request.jobId, specHash: specHash(spec), expiry: request.expiry } },
      request.signature,
    );
    // The acknowledgement lets the buyer record a no-show if the start never lands: given only with time left to
    // start, so that a dispatch sent in the last seconds cannot turn into one.
    const startBy = job.createdAt + (await this.chain.startTimeout());
    if ((await this.chain.now()) > startBy - START_LEAD_SECONDS) {
      throw new HostError(
        409,
        `Job #${job.id} had to be dispatched at least ${START_LEAD_SECONDS} s before its start deadline (${new Date(startBy * 1000).toISOString()}): it is too late to start it. Cancel it.`,
      );
    }
    // Signed before the checks below, which must run with no await between them and the journal entry.
    const files = await this.files;
    const ack = await this.chain.signAck({ jobId: job.id, specHash: job.specHash });
    if (this.journal.get(String(job.id))) throw new HostError(409, `Job #${job.id} was already dispatched.`);
    if (this.freeSlots <= 0) throw new HostError(503, "The host is running as many jobs as it takes. Try again later.");
    if (this.uploading.has(String(job.id)))
      throw new HostError(409, `Job #${job.id} is taking an upload: dispatch it once its inputs are in.`);
    // Room for its outputs first: a job is never billed for outputs the store could not keep.
    files.reserve(job.id);

    this.holding.add(String(job.id));
    let entry: JournalEntry;
    try {
      entry = this.journal.put({
        jobId: String(job.id),
        step: "accepted",
        spec,
        gpus: job.gpus,
        maxDuration: job.maxDuration,
        buyer: job.buyer,
        locked: String(job.locked),
        ack,
        startBy,
      });
    } catch (error) {
      // Not accepted after all (a full disk): nothing held for it.
      this.holding.delete(String(job.id));
      files.release(job.id);
      throw error;
    }
    // In the stream too, so a buyer who lost the answer (a reload) still has it.
    this.events(job.id).append("status", { status: "accepted", ack });
    void this.carryOn(entry);
    return { ack };
  }

  /** The acknowledgement this agent gave for a job it accepted, if any (from its journal). */
  ackOf(jobId: bigint): Hex | undefined {
    return this.journal.get(String(jobId))?.ack;
  }

  /** Checks an Access signature (`events` by default) for a job of this host's: the chain's job when it holds. */
  async authorize(request: SignedRequest, action: AccessAction = "events"): Promise<OnChainJob> {
    return this.verify(
      { kind: "access", message: { jobId: request.jobId, action, expiry: request.expiry } },
      request.signature,
    );
  }

  /**
   * Where to forward a request to port `port` of job `token.jobId`, for a "service" token: the job runs here
   * now, declared the port, and the token is its buyer's. No chain read: a running job is this agent's own, and
   * its buyer is journaled.
   */
  async service(token: AccessToken, port: number): Promise<ServiceAddress> {
    const late = lifetimeRefusal(token.expiry, Math.floor(Date.now() / 1000));
    if (late) throw new HostError(late.status, late.error);
    const key = String(token.jobId);
    const entry = this.journal.get(key);
    const running = this.running.get(key);
    if (!entry || !running) throw new HostError(409, `Job #${key} is not running on this host.`);
    if (!(entry.spec.ports ?? []).includes(port))
      throw new HostError(
        404,
        `Job #${key} serves no port ${port}: its spec declares ${(entry.spec.ports ?? []).join(", ") || "none"}.`,
      );
    const signer = await this.tokenSigner(token);
    const buyer = entry.buyer ?? (await this.chain.job(token.jobId)).buyer;
    if (signer === undefined) throw new HostError(401, "The signature is malformed.");
    if (!sameAddress(signer, buyer)) throw new HostError(401, `Only job #${key}'s buyer can call its service.`);
    const address = await running.serviceAddress?.(port);
    if (!address) throw new HostError(503, `Job #${key}'s port ${port} is not up yet. Try again in a moment.`);
    return address;
  }

  /** The signer of an access token, recovered once per token. */
  private async tokenSigner(token: AccessToken): Promise<Address | undefined> {
    const key = `${token.action}.${token.jobId}.${token.expiry}.${token.signature}`;
    const known = this.tokenSigners.get(key);
    if (known) return known.value;
    const signer = await requestSigner(
      this.config.chainId,
      this.chain.escrow,
      { kind: "access", message: { jobId: token.jobId, action: token.action, expiry: token.expiry } },
      token.signature,
    );
    this.tokenSigners.set(key, signer, Number(token.expiry) * 1000);
    return signer;
  }

  /**
   * Takes input `name` of job `jobId` (a "files" token checked by the caller): only while the job waits to be
   * dispatched here, since a run reads its inputs as they were when it started.
   */
  async putInput(job: OnChainJob, name: string, body: AsyncIterable<Uint8Array>, declaredBytes?: number) {
    const key = String(job.id);
    // Serialised with dispatch, which refuses a job taking an upload: no upload lands once a run can read them.
    if (job.status !== "created" || this.journal.get(key))
      throw new HostError(409, `Job #${job.id} was dispatched already: its inputs can no longer change.`);
    const buyer = job.buyer.toLowerCase();
    const theirs = this.uploadsByBuyer.get(buyer) ?? 0;
    if (theirs >= MAX_UPLOADS_PER_BUYER)
      throw new HostError(429, `Your jobs have ${MAX_UPLOADS_PER_BUYER} uploads under way here: send one at a time.`);
    this.uploadsByBuyer.set(buyer, theirs + 1);
    this.uploading.add(key);
    try {
      return await (await this.files).putInput(job.id, name, body, declaredBytes);
    } finally {
      this.uploading.delete(key);
      const left = this.uploadsByBuyer.get(buyer)! - 1;
      if (left === 0) this.uploadsByBuyer.delete(buyer);
      else this.uploadsByBuyer.set(buyer, left);
    }
  }

  /** Kills the run of a job its buyer stopped on-chain: billing ends there anyway, and this frees the GPUs.
   * Returns the unwatch function. */
  watchChain(pollingInterval?: number): () => void {
    return this.chain.watchStops((jobId) => {
      if (this.running.has(String(jobId))) this.halt(jobId, "chain");
    }, pollingInterval);
  }

  /** Stops a run once, however many times and ways it is asked to. */
  private halt(jobId: bigint, source: "chain" | "disk") {
    const key = String(jobId);
    if (this.stopping.has(key)) return;
    this.stopping.add(key);
    this.events(jobId).append("status", { status: "stopping", source });
    this.running.get(key)!.stop();
  }

  /** Forgets jobs finished more than `logRetentionDays` ago (their journal entries and logs), now and then every
   * six hours; returns the function that stops it. */
  keepJournalBounded(): () => void {
    const sweep = () => {
      try {
        const cutoff = Date.now() - this.config.logRetentionDays * 86_400_000;
        const forgotten = this.journal.forgetFinishedBefore(cutoff).filter((id) => !this.inProgress.has(id));
        for (const id of forgotten) this.logs.delete(id);
        if (forgotten.length > 0)
          console.log(`forgot ${forgotten.length} job(s) finished over ${this.config.logRetentionDays} days ago`);
      } catch (error) {
        console.error(`forgetting old jobs: ${describeError(error)}`);
      }
      // A job's files go after their retention, unless the job is still under way here.
      const busy = (id: string) => {
        const entry = this.journal.get(id);
        return this.inProgress.has(id) || (entry !== undefined && !["submitted", "closed"].includes(entry.step));
      };
      void this.files
        .then((files) => files.sweep(Date.now(), busy, (id) => this.journal.get(id) !== undefined))
        .then((removed) => {
          if (removed.length > 0) console.log(`deleted the files of ${removed.length} job(s) past their retention`);
        })
        .catch((error: unknown) => console.error(`deleting old job files: ${describeError(error)}`));
    };
    sweep();
    const timer = setInterval(sweep, 6 * 3_600_000).unref();
    return () => clearInterval(timer);
  }

  /** Carries every unfinished journaled job on from its last step (after a restart). */
  async resume(): Promise<void> {
    const unfinished = this.journal.unfinished();
    // The room their outputs had, set aside again (a store too full now keeps what fits, and says so).
    const files = await this.files;
    for (const entry of unfinished) {
      if (entry.step !== "accepted" && entry.step !== "started") continue;
      try {
        files.reserve(BigInt(entry.jobId));
      } catch {
        console.warn(`job #${entry.jobId}: no room set aside for its outputs after the restart`);
      }
    }
    // Whatever the previous agent left running dies first: nothing can reattach to it. The runtime finds a run by
    // its job (a container's name) and by its own marks (a run started just before a crash, never journaled).
    await this.runtime.killLeftovers?.(unfinished.map((entry) => BigInt(entry.jobId)));
    for (const entry of unfinished) {
      if (entry.step === "started" && entry.runStartedAtMs !== undefined) {
        // The process runtime's group. (A docker run's pid was its CLI's, no group: its container is gone already.)
        if (entry.pid !== undefined && this.runtime.name === "process") {
          try {
            process.kill(-entry.pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
        // Bill up to its last sign of life, never the time the host was down.
        const ranSeconds = Math.ceil((entry.updatedAt - (entry.runStartedAtMs ?? entry.updatedAt)) / 1000);
        const ended = this.journal.put({ ...entry, step: "ended", ranSeconds, endReason: "host-restarted" });
        this.events(BigInt(entry.jobId)).append("status", { status: "interrupted", reason: "the host restarted" });
        void this.carryOn(ended);
      } else {
        void this.carryOn(entry);
      }
    }
  }

  /** The chain's job for `request`, if the buyer's request, signed with `signature`, may go ahead here
   * (lib/protocol/signedRequest.ts: the same check the app's routes make); else the refusal, thrown. */
  private async verify(request: BuyerRequest, signature: Hex): Promise<OnChainJob> {
    const now = Math.floor(Date.now() / 1000);
    // Refused before any chain read: an expired signature costs the provider's RPC nothing.
    const late = lifetimeRefusal(request.message.expiry, now);
    if (late) throw new HostError(late.status, late.error);
    const [job, signer] = await Promise.all([
      this.chain.job(request.message.jobId),
      requestSigner(this.config.chainId, this.chain.escrow, request, signature),
    ]);
    // A job can name this host only once it is registered: look again if it was not found yet (not for a job
    // that does not exist, which is refused first).
    const hostId = job.status === "none" ? this.id : (this.id ?? (await this.identify()));
    const refusal = checkSignedRequest(
      request,
      signer,
      job,
      hostId === undefined ? undefined : { id: hostId, signer: this.chain.signer },
      now,
    );
    if (refusal) throw new HostError(refusal.status, refusal.error);
    return job;
  }

  /**
   * Moves a journaled job through its remaining steps. A step that fails (the chain node unreachable, a refused
   * transaction) is tried again with a growing wait while its deadline holds: the start until the start deadline,
   * the receipt (signed anew each time) until the receipt deadline; each reason goes into the job's log as a
   * sentence. Only past its deadline, or once the chain has ended the job, does it stop for good.
   */
  private async carryOn(entry: JournalEntry): Promise<void> {
    this.inProgress.add(entry.jobId);
    if (entry.step === "accepted" || entry.step === "started") this.holding.add(entry.jobId);
    try {
      await this.carryOnSteps(entry);
    } catch (error) {
      // Nothing a job does may end the agent: a failure past the steps' own handling is logged, and the job is
      // carried on after the next restart from its last journaled step.
      console.error(`job #${entry.jobId}: ${describeError(error)}`);
    } finally {
      this.inProgress.delete(entry.jobId);
      this.holding.delete(entry.jobId);
      // Done here, however it ended (its outputs kept, or never run): the room set aside for them is free.
      void this.files.then((files) => files.release(BigInt(entry.jobId))).catch(() => undefined);
    }
  }

  private async carryOnSteps(entry: JournalEntry): Promise<void> {
    const jobId = BigInt(entry.jobId);
    const log = this.events(jobId);
    for (let attempt = 1; ; attempt++) {
      try {
        if (entry.step === "accepted") entry = await this.start(entry);
        if (entry.step === "started") entry = await this.run(entry);
        if (entry.step === "ended") entry = await this.sign(entry);
        if (entry.step === "signed") entry = await this.submit(entry);
        return;
      } catch (error) {
        const reason = this.publicReason(error);
        const deadline = await this.deadlineOf(entry);
        // The chain's clock decides; the machine's stands in while the chain node cannot be reached.
        const now = await this.chain.now().catch(() => Date.now() / 1000);
        if (deadline === undefined || now >= deadline) {
          log.append("status", { status: "error", message: reason, final: true });
          return;
        }
        log.append("status", { status: "retrying", attempt, message: reason });
        await new Promise((r) => setTimeout(r, Math.min(RETRY_BACKOFF_MS * 2 ** (attempt - 1), MAX_RETRY_WAIT_MS)));
        // A refused receipt is signed anew: what the chain holds now (a stop) is what it bills.
        if (entry.step === "signed") entry = this.journal.put({ ...entry, step: "ended" });
      }
    }
  }

  /** Until when (unix seconds) a failed step is worth trying again: the start deadline for a start, the receipt
   * deadline for a receipt; undefined when not known (then the failure is final). */
  private async deadlineOf(entry: JournalEntry): Promise<number | undefined> {
    if (entry.step === "accepted") return entry.startBy;
    if (entry.startedAt === undefined) return undefined;
    return entry.startedAt + entry.maxDuration + (await this.chain.receiptGrace().catch(() => 0));
  }

  /**
   * What a failure says in the job's log, which the buyer reads: the decoded sentence, with every URL taken out
   * (the chain node's URL can carry the provider's RPC key). The details stay in the agent's own log.
   */
  private publicReason(error: unknown): string {
    console.error(error);
    return describeError(error)
      .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, "its chain node")
      .replace(/ \(`npm run dev` starts it\.\)/, "");
  }

  /**
   * Sends `start` unless the chain already holds it (a start that landed before a crash is not sent again), and
   * never runs a job the chain ended first: one the buyer cancelled, or the agent's own reaper, while its start
   * had not landed.
   */
  private async start(entry: JournalEntry): Promise<JournalEntry> {
    const onChain = await this.chain.job(BigInt(entry.jobId));
    if (onChain.status !== "created" && onChain.status !== "running") {
      this.events(onChain.id).append("status", {
        status: "not-run",
        reason: `Job #${onChain.id} is ${onChain.status} on-chain: it will not run.`,
        final: true,
      });
      return this.journal.put({ ...entry, step: "closed" });
    }
    const startedAt = onChain.status === "created" ? (await this.chain.start(onChain.id)).timestamp : onChain.startedAt;
    this.events(onChain.id).append("status", { status: "started", startedAt });
    // The buyer may have extended the job before its start.
    return this.journal.put({
      ...entry,
      step: "started",
      startedAt,
      maxDuration: onChain.maxDuration,
      locked: String(onChain.locked),
    });
  }

  private async run(entry: JournalEntry): Promise<JournalEntry> {
    const jobId = BigInt(entry.jobId);
    const log = this.events(jobId);
    // Durations come from this machine's clock, added to the chain's start: the two clocks need not agree.
    const runStartedAtMs = Date.now();
    // The journal's entry as this run last wrote it: an extension and the heartbeat both rewrite it.
    let current = entry;
    const files = await (await this.files).stage(jobId);
    const running = this.runtime.run({
      jobId,
      files,
      spec: entry.spec as JobSpec,
      gpus: entry.gpus,
      timeLimitMs: entry.maxDuration * 1000,
      // Shortly before the time limit (lib/protocol/extension.ts) the chain says whether the buyer extended the job
      // (`JobExtended`); the journal takes the new terms, which the receipt bills by. An extension the escrow took
      // after this read came too late for the run: the receipt bills the time the job ran, and the buyer gets the
      // rest back.
      extendedUntil: async () => {
        const onChain = await this.chain.job(jobId);
        // A stopped job is not extended (the escrow refuses it), and runs on unpaid: never past the limit it has.
        if (onChain.status !== "running" || onChain.stoppedAt !== 0 || onChain.maxDuration <= current.maxDuration)
          return undefined;
        current = this.journal.put({ ...current, maxDuration: onChain.maxDuration, locked: String(onChain.locked) });
        log.append("status", { status: "extended", maxDuration: onChain.maxDuration });
        return runStartedAtMs + onChain.maxDuration * 1000;
      },
      outputCapBytes: this.config.outputCapBytes,
      onLog: (stream, text) => {
        log.append("log", { stream, text });
        // Output that cannot be kept (the disk is full) cannot be billed as the buyer's result: the run stops.
        if (log.failure && this.running.has(entry.jobId)) this.halt(jobId, "disk");
      },
    });
    this.running.set(entry.jobId, running);
    current = this.journal.put({
      ...current,
      runStartedAtMs,
      ...(running.pid !== undefined ? { pid: running.pid } : {}),
    });
    const heartbeat = setInterval(() => {
      try {
        this.journal.put({ ...current });
      } catch (error) {
        console.error(`job #${jobId}: its heartbeat was not journaled: ${describeError(error)}`);
      }
    }, this.config.heartbeatSeconds * 1000);
    try {
      const result = await running.done;
      log.append("status", {
        status: "ended",
        reason: result.reason,
        exitCode: result.exitCode,
        ...(result.error ? { error: result.error } : {}),
      });
      const ranSeconds = Math.ceil((result.endedAt - result.startedAt) / 1000);
      const ended = {
        ...current,
        step: "ended" as const,
        ranSeconds,
        endReason: result.reason,
        exitCode: result.exitCode,
      };
      try {
        return this.journal.put(ended);
      } catch (error) {
        // Never run a job twice for a journal that could not be written: its next step is journaled when it can be.
        console.error(`job #${jobId}: its end was not journaled: ${describeError(error)}`);
        return { ...ended, updatedAt: Date.now() };
      }
    } finally {
      clearInterval(heartbeat);
      this.running.delete(entry.jobId);
      this.stopping.delete(entry.jobId);
      this.holding.delete(entry.jobId);
    }
  }

  /**
   * Signs the receipt as soon as the run ends: it ends at the on-chain start plus the seconds the job ran on this
   * machine's clock and charges the most the escrow bills for them, cut at a stop the chain already holds. The
   * chain's clock need not have reached that end: the escrow bills min(end, now, maximum, stop) itself.
   */
  private async sign(entry: JournalEntry): Promise<JournalEntry> {
    const jobId = BigInt(entry.jobId);
    const onChain = await this.chain.job(jobId);
    const startedAt = entry.startedAt ?? onChain.startedAt;
    // Journals from before per-second billing kept the run's end instead of its length.
    const ranSeconds = entry.ranSeconds ?? entry.endedAt! - startedAt;
    // The chain's terms, not the journal's: a buyer may have extended the job after the run ended.
    const billable = {
      locked: onChain.locked,
      maxDuration: onChain.maxDuration,
      startedAt,
      stoppedAt: onChain.stoppedAt,
    };
    const { endedAt, used } = meterRun(billable, ranSeconds);
    // The result is what the job printed, how it ended and its files' manifest: the buyer can recompute it from
    // the event stream and the manifest.
    const files = await (await this.files).resultFiles(jobId);
    const resultHash = await this.events(jobId).resultHash(entry.endReason, entry.exitCode, files);
    const signature = await this.chain.sign({ jobId, used, resultHash, endedAt: BigInt(endedAt) });
    this.events(jobId).append("status", { status: "signed", used: String(used), endedAt, resultHash });
    return this.journal.put({
      ...entry,
      step: "signed",
      maxDuration: onChain.maxDuration,
      locked: String(onChain.locked),
      startedAt,
      ranSeconds,
      endedAt,
      used: String(used),
      resultHash,
      signature,
    });
  }

  /**
   * Submits the signed receipt, unless the chain has moved on: submitted before a crash or by an attempt whose
   * answer was lost (never twice), or reclaimed by the buyer after the receipt deadline. A refusal is thrown to
   * `carryOn`, which signs anew and tries again while the receipt is still taken.
   */
  private async submit(entry: JournalEntry): Promise<JournalEntry> {
    const jobId = BigInt(entry.jobId);
    const log = this.events(jobId);
    const onChain = await this.chain.job(jobId);
    if (onChain.status === "expired") {
      log.append("status", {
        status: "error",
        message: `Job #${jobId}'s buyer reclaimed it: its receipt came too late.`,
        final: true,
      });
      return this.journal.put({ ...entry, step: "closed" });
    }
    if (onChain.status !== "running") {
      log.append("status", { status: "submitted", txHash: entry.txHash ?? null, final: true });
      return this.journal.put({ ...entry, step: "submitted" });
    }
    const receipt = {
      jobId,
      used: BigInt(entry.used!),
      resultHash: entry.resultHash!,
      endedAt: BigInt(entry.endedAt!),
    };
    const { hash } = await this.chain.submit(receipt, entry.signature!);
    log.append("status", { status: "submitted", txHash: hash, final: true });
    return this.journal.put({ ...entry, step: "submitted", txHash: hash });
  }
}
