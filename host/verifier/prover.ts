/**
 * The agent's answer to challenges of its own host (docs/verification.md): computes the work's tile statistics
 * with its runner, commits their Merkle root, reveals the 8 audited tiles with their proofs, and finalizes after
 * the fraud window. The chain is the journal: every pass reads the challenge's status and does the next step, so a
 * restarted agent carries on from wherever the previous one stopped. The statistics, the one thing a reveal
 * needs that the chain does not hold, are streamed to disk as the runner delivers them (statsFile.ts) and flushed
 * before the commit leaves the machine; only the leaves (one per group of tiles) are kept in memory. A restarted
 * agent rebuilds the leaves from the file, and reveals from it only if they give the committed root.
 *
 * Nothing a challenge does may end the agent: a failed step is logged and tried again with a growing wait until
 * its deadline (the commit's, the reveal's); a missed deadline is logged as such, and the challenge left to fail.
 */
import { randomInt } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { bytesToHex, hexToBigInt, type Hex } from "viem";
import { describeError } from "../../lib/errors";
import type { ChallengeStatus } from "../../lib/verification/status";
import { MerkleTree } from "../../lib/verification/merkle";
import { cpuRunner } from "../../lib/verification/cpuRunner";
import type { Runner } from "../../lib/verification/runner";
import {
  encodeTile,
  groupOfTile,
  leafOfEncoded,
  tileCount,
  tileStat,
  type WorkShape,
} from "../../lib/verification/work";
import { leavesFromFile, readGroupStats, StatsFileError, streamStats } from "./statsFile";
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

/** The statistics file of challenge `id`: 8 bytes per tile (uint64, big-endian), in tile order (statsFile.ts). */
const statsFile = (dir: string, id: bigint) => path.join(dir, `challenge-${id}.stats`);

/** The tree over a challenge's leaves (leaf λ's 32 bytes at λ·32). */
const treeOf = (leaves: Uint8Array) => new MerkleTree(leaves.length / 32, (l) => leaves.subarray(l * 32, l * 32 + 32));

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The leaves of the challenge this agent committed, kept from the commit to the end of the challenge. */
interface Committed {
  id: bigint;
  leaves: Uint8Array;
  tree: MerkleTree;
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
  /** The leaves of the challenge last committed or rebuilt (one host, one open challenge at a time). */
  private committed: Committed | undefined;
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
            this.dropStats(id);
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

  /** Forgets challenge `id`'s statistics: the file and the leaves. */
  private dropStats(id: bigint) {
    rmSync(statsFile(this.options.stateDir, id), { force: true });
    if (this.committed?.id === id) this.committed = undefined;
  }

  /**
   * Proving: waits for the seed, streams every tile's statistic to the challenge's file (hashing each group's leaf
   * as its round arrives), cross-checks a GPU runner, commits the root of the leaves.
   */
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
    // Picked before the work starts, here: the runner cannot know which of its statistics will be checked.
    const checked =
      runner === cpuRunner
        ? []
        : Array.from({ length: CROSS_CHECK_TILES }, () => randomInt(tileCount(shape, c.rounds)));
    const file = statsFile(this.options.stateDir, c.id);
    this.committed = undefined;
    const { leaves, kept } = await streamStats(runner, seed, shape, c.rounds, file, checked, signal);
    await this.crossCheck(c, seed, shape, runner, checked, kept, signal);
    const tree = treeOf(leaves);
    this.committed = { id: c.id, leaves, tree };
    const seconds = (Date.now() - started) / 1000;
    const { hash } = await verifier.commit(c.id, tree.root);
    this.log(`challenge #${c.id}: computed in ${seconds.toFixed(1)} s; committed root ${tree.root} (${hash})`);
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
    runner: Runner,
    checked: readonly number[],
    kept: readonly bigint[],
    signal: AbortSignal,
  ) {
    if (checked.length === 0) return;
    const tiles = await cpuRunner.tiles(seed, shape, checked, signal);
    checked.forEach((tau, i) => {
      if (tileStat(tiles[i]!) !== kept[i])
        throw new Error(
          `challenge #${c.id}: the ${runner.kind} runner's statistic of tile ${tau} is ${kept[i]}, the CPU's ` +
            `${tileStat(tiles[i]!)}: its kernel is not exact on this machine; not committing`,
        );
    });
  }

  /**
   * The leaves behind the commitment: those this agent committed, else rebuilt from the statistics file (a
   * restarted agent) when it is whole and gives the committed root, else computed again. A file that is missing,
   * cut short or changed is never revealed from: the log says why.
   */
  private async leavesOfCommit(c: Challenge, shape: WorkShape, signal: AbortSignal): Promise<Committed> {
    if (this.committed?.id === c.id && this.committed.tree.root === c.root) return this.committed;
    const file = statsFile(this.options.stateDir, c.id);
    let reason: string;
    try {
      const leaves = await leavesFromFile(c.seed, shape, c.rounds, file, signal);
      const tree = treeOf(leaves);
      if (tree.root === c.root) return (this.committed = { id: c.id, leaves, tree });
      reason = `the statistics file ${file} gives the root ${tree.root}, not the committed ${c.root}`;
    } catch (error) {
      if (!(error instanceof StatsFileError)) throw error;
      reason = error.message;
    }
    const runner = this.runnerFor(c);
    this.log(
      `challenge #${c.id}: not revealing from the statistics kept at the commit: ${reason}; computing them again ` +
        `on the ${runner.kind} runner`,
    );
    const { leaves } = await streamStats(runner, c.seed, shape, c.rounds, file, [], signal);
    const tree = treeOf(leaves);
    if (tree.root !== c.root)
      throw new Error(
        `challenge #${c.id}: the ${runner.kind} runner's statistics give the root ${tree.root}, not the committed ` +
          `${c.root}: nothing this agent holds matches its commitment; not revealing`,
      );
    return (this.committed = { id: c.id, leaves, tree });
  }

  /**
   * Committed: waits for the audit block; reads the audited tiles' groups' statistics from the file and checks each
   * against its committed leaf; computes the audited tiles (on the CPU unless told otherwise) and checks each tile's
   * statistic against the committed one; reveals the tiles, their groups' statistics and the groups' proofs.
   */
  private async reveal(c: Challenge, signal: AbortSignal) {
    const { verifier } = this.options;
    const shape = await verifier.shape();
    const { leaves, tree } = await this.leavesOfCommit(c, shape, signal);
    await this.blockAfter(c.commitBlock + 1n, signal);
    const indices = (await verifier.auditIndices(c.id)).map(Number);
    const tiles = tileCount(shape, c.rounds);
    const file = statsFile(this.options.stateDir, c.id);
    const groups: (ReturnType<typeof groupOfTile> & { stats: Uint8Array })[] = [];
    try {
      for (const tau of indices) {
        if (tau >= tiles) throw new Error(`challenge #${c.id}: the audit names tile ${tau} of ${tiles}`);
        const group = groupOfTile(shape, tau);
        const stats = await readGroupStats(shape, c.rounds, file, group.leaf);
        // The file may have changed since the leaves were made from it (a disk fault, a hand): what is revealed must
        // be what was committed, or the verifier refuses it (InvalidProof) at every try until the deadline passes.
        const committed = leaves.subarray(group.leaf * 32, group.leaf * 32 + 32);
        if (!sameBytes(leafOfEncoded(c.seed, group.round, group.group, stats), committed))
          throw new StatsFileError(
            file,
            `changed since the commit: group ${group.leaf}'s statistics do not give its committed leaf; not ` +
              `revealing from it (the statistics are computed again)`,
          );
        groups.push({ ...group, stats });
      }
    } catch (error) {
      // The next try computes them again rather than read the same file.
      if (error instanceof StatsFileError) this.dropStats(c.id);
      throw error;
    }
    // On the CPU by default: the GPUs may be running a job booked since the commitment (a buyer who also challenged
    // could fill them to make the reveal miss its deadline).
    const revealRunner = this.options.revealRunner ?? cpuRunner;
    const values = await revealRunner.tiles(c.seed, shape, indices, signal);
    values.forEach((tile, s) => {
      const { stats, position } = groups[s]!;
      const committed = new DataView(stats.buffer, stats.byteOffset, stats.byteLength).getBigUint64(position * 8);
      const computed = tileStat(tile);
      if (computed !== committed)
        throw new Error(
          `challenge #${c.id}: tile ${indices[s]} computed on the ${revealRunner.kind} runner has the statistic ` +
            `${computed}, the committed one is ${committed}: the commitment or this runner is wrong; not revealing ` +
            `(the verifier would refuse it)`,
        );
    });
    const { hash } = await verifier.reveal(
      c.id,
      values.map((tile) => bytesToHex(encodeTile(tile))),
      groups.map(({ stats }) => bytesToHex(stats)),
      groups.map(({ leaf }) => tree.proof(leaf)),
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
    this.dropStats(c.id);
    this.log(`challenge #${c.id}: finalized (${hash})`);
  }
}
