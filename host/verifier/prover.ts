/**
 * The agent's answer to challenges of its own host (docs/verification.md): computes the work's tile statistics
 * with its runner, commits their Merkle root, reveals the 8 audited tiles with their proofs, and finalizes after
 * the fraud window. The chain is the journal: every pass reads the challenge's status and does the next step, so a
 * restarted agent carries on from wherever the previous one stopped. The statistics, the one thing a reveal
 * needs that the chain does not hold, are kept on disk before the commit leaves the machine.
 *
 * Nothing a challenge does may end the agent: a failed step is logged and tried again with a growing wait until
 * its deadline (the commit's, the reveal's); a missed deadline is logged as such, and the challenge left to fail.
 */
import { randomInt } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { bytesToHex, hexToBigInt, type Hex } from "viem";
import { describeError } from "../../lib/errors";
import type { ChallengeStatus } from "../../lib/verification/status";
import { MerkleTree } from "../../lib/verification/merkle";
import { cpuRunner } from "../../lib/verification/cpuRunner";
import type { Runner } from "../../lib/verification/runner";
import { encodeTile, leaf, leafCount, tileStat, tilesPerRound, type WorkShape } from "../../lib/verification/work";
import type { Challenge, VerifierChain } from "./verifierChain";

/** Tiles of the runner's output checked on the CPU before a commitment (random, so a runner cannot know which). */
export const CROSS_CHECK_TILES = 2;
/** The wait after a step's first failure, doubled after each further one up to the most (as a job's steps). */
export const RETRY_BACKOFF_MS = 2_000;
export const MAX_RETRY_WAIT_MS = 60_000;
/** How often the prover looks at its host's latest challenge when no event has woken it. */
export const POLL_MS = 5_000;

/** What `/health` says of the host's proving: the open challenge and its step, or none. */
export interface ProvingState {
  challengeId: string;
  phase: "pending" | "proving" | "committed" | "revealed";
  /** Unix seconds (chain time) of the step's deadline, when it has one. */
  deadline?: number;
}

export interface ProverOptions {
  verifier: VerifierChain;
  /** The runner, or the runner for a challenge of `gpus` GPUs (the torch runner spreads the rounds over them). */
  runner: Runner | ((gpus: number) => Runner);
  /** What computes the eight revealed tiles: the CPU runner unless given (the GPUs may be running a job booked
   * since the commitment; eight tiles are seconds of CPU even at the GPU shape). */
  revealRunner?: Runner;
  /** The host this agent serves, once known. */
  hostId: () => bigint | undefined;
  /** Where the statistics of a committed challenge are kept until it ends (the agent's journal's folder). */
  stateDir: string;
  /** The agent's log (default: the console). */
  log?: (line: string) => void;
  pollMs?: number;
  /** How often the chain's events are polled (ms). */
  eventPollMs?: number;
}

class Aborted extends Error {}

/** Waits `ms`, or throws Aborted at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Aborted());
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener("abort", abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(new Aborted());
    }
    signal.addEventListener("abort", abort, { once: true });
  });
}

const OPEN: readonly ChallengeStatus[] = ["pending", "proving", "committed", "revealed"];

/** The statistics file of challenge `id`: 8 bytes per leaf (uint64, little-endian), in leaf order. */
const statsFile = (dir: string, id: bigint) => path.join(dir, `challenge-${id}.stats`);

/** Writes `bytes` to `file` atomically (write, fsync, rename), as the journal does. */
function writeDurably(file: string, bytes: Uint8Array) {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, "w", 0o600);
  try {
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The tree of a challenge's leaves: leaf ℓ = r·(M/T) + t carries stat(r, t) (each computed when asked for). */
function treeOf(seed: Hex, shape: WorkShape, stats: BigUint64Array): MerkleTree {
  const tiles = tilesPerRound(shape);
  return new MerkleTree(stats.length, (l) => leaf(seed, Math.floor(l / tiles), l % tiles, stats[l]!));
}

export class Prover {
  private readonly log: (line: string) => void;
  private current: ProvingState | undefined;
  /** Challenges being carried on now (one per host at a time on-chain; a set guards the event and the poll). */
  private readonly active = new Set<bigint>();
  /** Challenges past a deadline this agent missed: left for anyone to expire, not tried again every poll. */
  private readonly missed = new Set<bigint>();
  /** Pending challenges already logged as waiting for the host's jobs. */
  private readonly waiting = new Set<bigint>();
  private wake: (() => void) | undefined;

  constructor(private readonly options: ProverOptions) {
    this.log = options.log ?? ((line) => console.log(line));
    mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  }

  /** The host's open challenge and its step, for `/health`; undefined when none is open. */
  get state(): ProvingState | undefined {
    return this.current;
  }

  /**
   * Serves until `signal` aborts: on start and every poll, reads the host's latest challenge and carries it on
   * while it is open; a ChallengeBegun of its host wakes it at once.
   */
  async run(signal: AbortSignal): Promise<void> {
    const { verifier } = this.options;
    let unwatch: (() => void) | undefined;
    let lastFailure: string | undefined;
    try {
      while (!signal.aborted) {
        try {
          const hostId = this.options.hostId();
          if (hostId !== undefined) {
            unwatch ??= verifier.watchBegun(hostId, () => this.wake?.(), this.options.eventPollMs);
            const id = await verifier.lastChallengeId(hostId);
            if (id !== 0n && !this.active.has(id) && !this.missed.has(id)) {
              const challenge = await verifier.challenge(id);
              if (OPEN.includes(challenge.status)) await this.carryOn(challenge, signal);
            }
          }
          lastFailure = undefined;
        } catch (error) {
          if (error instanceof Aborted) return;
          const reason = describeError(error);
          if (reason !== lastFailure) console.error(`verification: reading this host's challenges: ${reason}`);
          lastFailure = reason;
        }
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener("abort", done);
            this.wake = undefined;
            resolve();
          };
          const timer = setTimeout(done, this.options.pollMs ?? POLL_MS);
          this.wake = done;
          signal.addEventListener("abort", done, { once: true });
        });
      }
    } finally {
      unwatch?.();
    }
  }

  /**
   * Carries challenge `challenge` on from its on-chain status to its end (passed, failed) or to a deadline it can
   * no longer meet. Never throws but Aborted.
   */
  async carryOn(challenge: Challenge, signal: AbortSignal): Promise<void> {
    const { id } = challenge;
    const { verifier } = this.options;
    this.active.add(id);
    // The challenge as given, then as the chain holds it after each step.
    let known: Challenge | undefined = challenge;
    let attempt = 0;
    try {
      for (;;) {
        if (signal.aborted) throw new Aborted();
        try {
          const c = known ?? (await verifier.challenge(id));
          known = undefined;
          if (!OPEN.includes(c.status)) {
            this.log(`challenge #${id}: ${c.status === "passed" ? "passed: this host is verified" : c.status}`);
            rmSync(statsFile(this.options.stateDir, id), { force: true });
            return;
          }
          const deadline =
            c.status === "revealed" ? c.revealedAt + (await verifier.windows()).fraudWindow : await this.deadlineOf(c);
          this.current = {
            challengeId: String(id),
            phase: c.status as ProvingState["phase"],
            ...(deadline === undefined ? {} : { deadline }),
          };
          if (c.status === "pending") await this.begin(c, signal);
          else if (c.status === "proving") await this.commit(c, signal);
          else if (c.status === "committed") await this.reveal(c, signal);
          else await this.finalize(c, signal);
          attempt = 0;
        } catch (error) {
          if (error instanceof Aborted || signal.aborted) throw new Aborted();
          attempt++;
          const reason = describeError(error);
          const c = await verifier.challenge(id).catch(() => undefined);
          const deadline = c ? await this.deadlineOf(c).catch(() => undefined) : undefined;
          // The chain's clock decides; the machine's stands in while the chain node cannot be reached.
          const now = await verifier.now().catch(() => Math.floor(Date.now() / 1000));
          if (c && deadline !== undefined && now > deadline) {
            this.log(
              `challenge #${id}: MISSED its ${c.status === "proving" ? "commit" : "reveal"} deadline ` +
                `(${new Date(deadline * 1000).toISOString()}): ${reason}. Anyone may now expire it: the challenge ` +
                `fails and the provider's stake is slashed.`,
            );
            this.missed.add(id);
            return;
          }
          const wait = Math.min(RETRY_BACKOFF_MS * 2 ** (attempt - 1), MAX_RETRY_WAIT_MS);
          this.log(`challenge #${id}: ${reason}; trying again in ${Math.round(wait / 1000)} s (attempt ${attempt})`);
          await sleep(wait, signal);
        }
      }
    } finally {
      this.active.delete(id);
      this.waiting.delete(id);
      this.current = undefined;
    }
  }

  private runnerFor(c: Challenge): Runner {
    const { runner } = this.options;
    return typeof runner === "function" ? runner(Math.max(1, c.gpus)) : runner;
  }

  /** Until when (unix seconds) the challenge's current step is taken: the commit's deadline, the reveal's. */
  private async deadlineOf(c: Challenge): Promise<number | undefined> {
    if (c.status === "proving") return c.commitBy;
    if (c.status === "committed") return c.committedAt + (await this.options.verifier.windows()).revealWindow;
    return undefined;
  }

  /** Pending: begins it once the host's jobs have ended (the verifier refuses while its GPUs are busy). */
  private async begin(c: Challenge, signal: AbortSignal) {
    if (!this.waiting.has(c.id)) {
      this.waiting.add(c.id);
      this.log(
        `challenge #${c.id}: opened while this host runs jobs (no new ones are booked): it begins when they end`,
      );
    }
    try {
      await this.options.verifier.begin(c.id);
      this.waiting.delete(c.id);
      this.log(`challenge #${c.id}: begun (this host's jobs have ended)`);
    } catch {
      // Its jobs still run: it begins when they end, by this agent's next try or anyone's.
      await sleep(this.options.pollMs ?? POLL_MS, signal);
    }
  }

  /** Waits for the block after `block` to be mined (the seed's, the audit's). */
  private async blockAfter(block: bigint, signal: AbortSignal) {
    while ((await this.options.verifier.blockNumber()) <= block) await sleep(500, signal);
  }

  /** Proving: waits for the seed, computes every tile's statistic, keeps them on disk, commits their root. */
  private async commit(c: Challenge, signal: AbortSignal) {
    const { verifier } = this.options;
    const runner = this.runnerFor(c);
    await this.blockAfter(c.seedBlock, signal);
    const seed = await verifier.seedOf(c.id);
    if (hexToBigInt(seed) === 0n)
      throw new Error(`the seed of challenge #${c.id} cannot be read (its block is over 256 blocks old)`);
    const shape = await verifier.shape();
    this.log(
      `challenge #${c.id}: computing ${c.rounds} round(s) of ${shape.rows}×${shape.inner}·${shape.inner}×${shape.cols} ` +
        `on the ${runner.kind} runner, commit by ${new Date(c.commitBy * 1000).toISOString()}`,
    );
    const started = Date.now();
    const stats = await runner.stats(seed, shape, c.rounds, signal);
    const expected = leafCount(shape, c.rounds);
    if (stats.length !== expected)
      throw new Error(`the ${runner.kind} runner gave ${stats.length} statistics, not ${expected}`);
    await this.crossCheck(c, seed, shape, stats, runner, signal);
    const root = treeOf(seed, shape, stats).root;
    writeDurably(
      statsFile(this.options.stateDir, c.id),
      new Uint8Array(stats.buffer, stats.byteOffset, stats.byteLength),
    );
    const seconds = (Date.now() - started) / 1000;
    const { hash } = await verifier.commit(c.id, root);
    this.log(`challenge #${c.id}: computed in ${seconds.toFixed(1)} s; committed root ${root} (${hash})`);
  }

  /**
   * Before a commitment leaves: CROSS_CHECK_TILES random tiles recomputed on the CPU (the TypeScript work, the
   * contract's twin) must give the runner's statistics. A GPU runner whose kernel is not exact (a library
   * reducing in lower precision) would otherwise commit values any watcher proves wrong, and lose stake; a
   * mismatch refuses the commitment (the challenge then misses its deadline, which costs no stake on the
   * provider's own challenge, and is logged loudly).
   */
  private async crossCheck(
    c: Challenge,
    seed: Hex,
    shape: WorkShape,
    stats: BigUint64Array,
    runner: Runner,
    signal: AbortSignal,
  ) {
    if (runner === cpuRunner) return;
    const leaves = Array.from({ length: CROSS_CHECK_TILES }, () => randomInt(stats.length));
    const tiles = await cpuRunner.tiles(seed, shape, leaves, signal);
    leaves.forEach((l, i) => {
      if (tileStat(tiles[i]!) !== stats[l])
        throw new Error(
          `challenge #${c.id}: the ${runner.kind} runner's statistic of tile ${l} is ${stats[l]}, the CPU's ` +
            `${tileStat(tiles[i]!)}: its kernel is not exact on this machine; not committing`,
        );
    });
  }

  /** The tree of the statistics kept at the commit, if they are there and give the committed root; else of the
   * statistics computed again. */
  private async treeOfCommit(c: Challenge, shape: WorkShape, signal: AbortSignal): Promise<MerkleTree> {
    const file = statsFile(this.options.stateDir, c.id);
    const expected = leafCount(shape, c.rounds);
    try {
      const bytes = readFileSync(file);
      if (bytes.length === expected * 8) {
        const tree = treeOf(c.seed, shape, new BigUint64Array(new Uint8Array(bytes).buffer));
        if (tree.root === c.root) return tree;
      }
      this.log(`challenge #${c.id}: the statistics kept at the commit do not give its root; computing them again`);
    } catch {
      this.log(`challenge #${c.id}: no statistics kept from the commit (${file}); computing them again`);
    }
    const stats = await this.runnerFor(c).stats(c.seed, shape, c.rounds, signal);
    // Kept again: a restart before the reveal lands need not compute them a third time.
    writeDurably(file, new Uint8Array(stats.buffer, stats.byteOffset, stats.byteLength));
    return treeOf(c.seed, shape, stats);
  }

  /** Committed: waits for the audit block, computes the audited tiles and reveals them with their proofs. */
  private async reveal(c: Challenge, signal: AbortSignal) {
    const { verifier } = this.options;
    const shape = await verifier.shape();
    const tree = await this.treeOfCommit(c, shape, signal);
    if (tree.root !== c.root) throw new Error(`challenge #${c.id}: its statistics do not give the committed root`);
    await this.blockAfter(c.commitBlock + 1n, signal);
    const indices = await verifier.auditIndices(c.id);
    // On the CPU by default: the GPUs may be running a job booked since the commitment (a buyer who also challenged
    // could fill them to make the reveal miss its deadline).
    const tiles = await (this.options.revealRunner ?? cpuRunner).tiles(c.seed, shape, indices.map(Number), signal);
    const proofs = indices.map((i) => tree.proof(Number(i)));
    const { hash } = await verifier.reveal(
      c.id,
      tiles.map((tile) => bytesToHex(encodeTile(tile))),
      proofs,
    );
    this.log(`challenge #${c.id}: revealed tiles ${indices.join(", ")} (${hash})`);
  }

  /** Revealed: after the fraud window, finalizes (anyone may; the agent does for its own host). */
  private async finalize(c: Challenge, signal: AbortSignal) {
    const { verifier } = this.options;
    const end = c.revealedAt + (await verifier.windows()).fraudWindow;
    const now = await verifier.now();
    if (now < end) {
      // The chain's clock decides; a wait of the difference lands near it, then the status is read again.
      await sleep(Math.min((end - now) * 1000, this.options.pollMs ?? POLL_MS), signal);
      return;
    }
    const { hash } = await verifier.finalize(c.id);
    rmSync(statsFile(this.options.stateDir, c.id), { force: true });
    this.log(`challenge #${c.id}: finalized (${hash})`);
  }
}
