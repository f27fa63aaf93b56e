/**
 * An independent check of every host's proofs, which anyone may run (the agent does unless its config says
 * `verification.watch: false`): for each `Revealed` event, decodes the 8 tiles (and their groups' statistics) from
 * the reveal transaction's calldata, recomputes each tile on the CPU (lib/verification/work.ts) from its tile index
 * (the audit samples tiles; a leaf covers a group of them) and, at the first value that differs, sends `proveFraud`
 * for it: the challenge fails and its host's provider is slashed. The contract checked at the reveal that each
 * tile's statistic is its group's committed one and the group's Merkle path; only the values themselves are left
 * to check, and the fraud window is the time to do it.
 *
 * Bounded: one challenge at a time, queued reveals at most MAX_QUEUED (the oldest are checked first, the excess
 * dropped with a log line), and a challenge whose tiles cost more than `maxTileMacs` multiply-adds is skipped.
 */
import { hexToBytes, keccak256, type Hex } from "viem";
import { describeError } from "../../lib/errors";
import { AUDIT_SAMPLES, computeTile, decodeTile, tilePosition, type WorkShape } from "../../lib/verification/work";
import type { VerifierChain } from "./verifierChain";

/** Reveals waiting to be checked, at most: more than a fraud window's worth of reveals on any chain served. */
export const MAX_QUEUED = 1_024;
/** How far back a starting watcher looks for reveals (blocks): past any fraud window at a second a block. */
export const BACKFILL_BLOCKS = 10_000n;

export interface WatcherOptions {
  verifier: VerifierChain;
  /** Most multiply-adds per tile (T·N·K) it recomputes; a larger shape is skipped. */
  maxTileMacs: number;
  log?: (line: string) => void;
  /** How often the chain's events are polled (ms). */
  eventPollMs?: number;
}

/** A wrong value: which sample, and where in its tile. */
export interface WrongValue {
  sample: number;
  row: number;
  col: number;
  revealed: number;
  expected: number;
}

/** The first value of the revealed tiles that differs from the work, or undefined when all agree; `indices` are the
 * audited tile indices (τ = r·M/T + t), in sample order. Yields to the event loop before each tile: at the GPU shape a tile is about half a second of CPU, and the agent's prover and
 * job serving share this process. */
export async function firstWrongValue(
  seed: Hex,
  shape: WorkShape,
  rounds: number,
  indices: readonly number[],
  tiles: readonly Int32Array[],
): Promise<WrongValue | undefined> {
  for (let sample = 0; sample < tiles.length; sample++) {
    await new Promise((resolve) => setImmediate(resolve));
    const { round, tile } = tilePosition(shape, rounds, indices[sample]!);
    const expected = computeTile(seed, shape, round, tile);
    const revealed = tiles[sample]!;
    for (let i = 0; i < expected.length; i++) {
      if (revealed[i] !== expected[i]) {
        return {
          sample,
          row: Math.floor(i / shape.cols),
          col: i % shape.cols,
          revealed: revealed[i]!,
          expected: expected[i]!,
        };
      }
    }
  }
  return undefined;
}

export class Watcher {
  private readonly log: (line: string) => void;
  private readonly queue: { id: bigint; tx: Hex }[] = [];
  private readonly seen = new Set<bigint>();
  private wake: (() => void) | undefined;
  /** Challenges checked so far, and those it proved fraud in (for logs and tests). */
  readonly checked: bigint[] = [];
  readonly proven: bigint[] = [];

  constructor(private readonly options: WatcherOptions) {
    this.log = options.log ?? ((line) => console.log(line));
  }

  private enqueue(id: bigint, tx: Hex) {
    if (this.seen.has(id)) return;
    if (this.queue.length >= MAX_QUEUED) {
      this.log(`watcher: over ${MAX_QUEUED} reveals wait to be checked; challenge #${id}'s is not`);
      return;
    }
    this.seen.add(id);
    // Remembered long enough to drop the event and the backfill's copy of one reveal; bounded like the queue.
    if (this.seen.size > 4 * MAX_QUEUED) this.seen.delete(this.seen.values().next().value!);
    this.queue.push({ id, tx });
    this.wake?.();
  }

  /** Checks reveals, one at a time, until `signal` aborts: first the recent ones, then each as it comes. */
  async run(signal: AbortSignal): Promise<void> {
    const { verifier } = this.options;
    const unwatch = verifier.watchRevealed((id, tx) => this.enqueue(id, tx), this.options.eventPollMs);
    try {
      try {
        for (const { id, tx } of await verifier.revealedSince(BACKFILL_BLOCKS)) this.enqueue(id, tx);
      } catch (error) {
        this.log(`watcher: reading recent reveals: ${describeError(error)}`);
      }
      while (!signal.aborted) {
        const next = this.queue.shift();
        if (next) {
          try {
            await this.check(next.id, next.tx);
          } catch (error) {
            this.log(`watcher: challenge #${next.id}: ${describeError(error)}`);
          }
          continue;
        }
        await new Promise<void>((resolve) => {
          const done = () => {
            signal.removeEventListener("abort", done);
            this.wake = undefined;
            resolve();
          };
          this.wake = done;
          signal.addEventListener("abort", done, { once: true });
        });
      }
    } finally {
      unwatch();
    }
  }

  /** Checks challenge `id`'s reveal (carried by transaction `tx`); proves fraud at its first wrong value. */
  async check(id: bigint, tx: Hex): Promise<WrongValue | undefined> {
    const { verifier } = this.options;
    const challenge = await verifier.challenge(id);
    // Finalized, or failed by another's proof, before its turn: nothing left to prove.
    if (challenge.status !== "revealed") return undefined;
    const shape = await verifier.shape();
    const macs = shape.tileRows * shape.cols * shape.inner;
    if (macs > this.options.maxTileMacs) {
      this.log(
        `watcher: challenge #${id} not checked: a tile is ${macs} multiply-adds, over this watcher's ${this.options.maxTileMacs} (verification.watchMaxTileMacs)`,
      );
      return undefined;
    }
    const call = await verifier.revealCall(tx);
    if (!call || call.challengeId !== id) {
      this.log(`watcher: challenge #${id} not checked: transaction ${tx} is not a direct call of reveal`);
      return undefined;
    }
    // The contract took exactly 8 of each: anything else is not the reveal it accepted.
    if (call.tiles.length !== AUDIT_SAMPLES || call.groupStats.length !== AUDIT_SAMPLES) return undefined;
    const tiles = call.tiles.map((tile) => decodeTile(hexToBytes(tile), shape));
    const indices = (await verifier.auditIndices(id)).map(Number);
    const started = Date.now();
    const wrong = await firstWrongValue(challenge.seed, shape, challenge.rounds, indices, tiles);
    this.checked.push(id);
    if (!wrong) {
      this.log(
        `watcher: challenge #${id} (host #${challenge.hostId}): its 8 tiles are right (${Date.now() - started} ms)`,
      );
      return undefined;
    }
    this.log(
      `watcher: challenge #${id} (host #${challenge.hostId}): tile ${wrong.sample}, row ${wrong.row}, column ${wrong.col} ` +
        `is ${wrong.revealed}, the work gives ${wrong.expected}: proving fraud`,
    );
    const tileHashes = call.tiles.map((tile) => keccak256(tile));
    const { hash } = await verifier.proveFraud(
      id,
      wrong.sample,
      call.tiles[wrong.sample]!,
      tileHashes,
      wrong.row,
      wrong.col,
    );
    this.proven.push(id);
    this.log(`watcher: challenge #${id}: fraud proven (${hash}); the challenge failed`);
    return wrong;
  }
}
