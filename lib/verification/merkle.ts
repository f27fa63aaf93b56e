/**
 * The sha256 Merkle tree of a challenge's leaves (docs/verification.md; ThroughputWork.sol checks its proofs):
 * L leaves padded with bytes32(0) to the next power of two (at least 2), parent = sha256(left ‖ right), a proof
 * lists the siblings from the leaf level up, and bit b of the index set means the node at level b is a right
 * child.
 *
 * Memory: a leaf covers a group of G tiles of one round, and a round has at most MAX_LEAVES_PER_ROUND = 8 groups
 * (validateShape), so a challenge of up to MAX_ROUNDS = 2^23 rounds has at most 2^26 leaves (the GPU shape: 4 a
 * round). Keeping every level would take 2·2^26·32 B = 4 GiB; the tree keeps the levels from STORED_FROM up (1/16
 * of that) and recomputes the 16-leaf subtree under an index when a proof asks for it. Leaves come from a
 * function, so the caller decides how it keeps them (the prover: 32 bytes a group, in one flat buffer).
 *
 * Hashing: node:crypto's one-shot `hash` over one reused 64-byte buffer, not a Hash object per pair: ~1.5× the
 * pairs a second (scripts/bench/verification.ts).
 */
import { hash } from "node:crypto";
import { bytesToHex, hexToBytes, type Hex } from "viem";

/** At most 2^26 leaves: 2^23 rounds (MAX_ROUNDS) × at most 8 leaves a round (MAX_LEAVES_PER_ROUND). */
export const MAX_MERKLE_LEAVES = 2 ** 26;
/** Levels below this are recomputed per proof: 2^4 leaves and 15 hashes each time. */
const STORED_FROM = 4;

const ZERO = new Uint8Array(32);

/** One pair's input, reused: hashing is synchronous, so no two calls share it at once. */
const PAIR = new Uint8Array(64);

/** sha256(left ‖ right) of two 32-byte nodes. */
function hashPair(left: Uint8Array, right: Uint8Array): Uint8Array {
  PAIR.set(left, 0);
  PAIR.set(right, 32);
  return hash("sha256", PAIR, "buffer");
}

/** sha256 of the 64 bytes at `from` (two adjacent nodes of a flat level), written at `to` (32 bytes). */
function hashAdjacent(from: Uint8Array, to: Uint8Array) {
  to.set(hash("sha256", from, "buffer"));
}

/** The root of a subtree of all-padding leaves, per level: ZERO_ROOTS[h] covers 2^h zero leaves. */
const ZERO_ROOTS: Uint8Array[] = [ZERO];
for (let h = 1; h <= 26; h++) ZERO_ROOTS.push(hashPair(ZERO_ROOTS[h - 1]!, ZERO_ROOTS[h - 1]!));

export class MerkleTree {
  readonly leafCount: number;
  /** Leaves after padding: a power of two, at least 2. */
  readonly size: number;
  readonly depth: number;
  private readonly base: number;
  /** levels[k]: the nodes at height base + k, 32 bytes each, flat. */
  private readonly levels: Uint8Array[] = [];

  /** `leafAt(i)` (0 ≤ i < leafCount) returns leaf i's 32 bytes; it is called again for proofs. */
  constructor(
    leafCount: number,
    private readonly leafAt: (index: number) => Uint8Array,
  ) {
    if (!Number.isSafeInteger(leafCount) || leafCount < 1 || leafCount > MAX_MERKLE_LEAVES)
      throw new RangeError(`a tree has 1 to ${MAX_MERKLE_LEAVES} leaves, got ${leafCount}`);
    this.leafCount = leafCount;
    let depth = 1;
    while (2 ** depth < leafCount) depth++;
    this.depth = depth;
    this.size = 2 ** depth;
    this.base = Math.min(STORED_FROM, this.depth);
    const bottomCount = this.size >> this.base;
    let level = new Uint8Array(bottomCount * 32);
    for (let n = 0; n < bottomCount; n++) level.set(this.subtreeRoot(n), n * 32);
    this.levels.push(level);
    for (let count = bottomCount >> 1; count >= 1; count >>= 1) {
      const up = new Uint8Array(count * 32);
      for (let n = 0; n < count; n++)
        hashAdjacent(level.subarray(n * 64, n * 64 + 64), up.subarray(n * 32, n * 32 + 32));
      this.levels.push(up);
      level = up;
    }
  }

  static fromLeaves(leaves: readonly Uint8Array[]): MerkleTree {
    for (const l of leaves) if (l.length !== 32) throw new RangeError("a leaf is 32 bytes");
    return new MerkleTree(leaves.length, (i) => leaves[i]!);
  }

  /** A tree over leaves kept back to back (leaf i at bytes 32·i … 32·i + 31): 32 bytes a leaf and one object. */
  static fromFlat(leaves: Uint8Array): MerkleTree {
    if (leaves.length % 32 || leaves.length === 0) throw new RangeError("flat leaves are 32 bytes each, at least one");
    return new MerkleTree(leaves.length / 32, (i) => leaves.subarray(i * 32, i * 32 + 32));
  }

  private leafOrZero(index: number): Uint8Array {
    if (index >= this.leafCount) return ZERO;
    const l = this.leafAt(index);
    if (l.length !== 32) throw new RangeError(`leaf ${index} is not 32 bytes`);
    return l;
  }

  /** The levels of the subtree of height `base` numbered `n`, leaves first (each level flat). */
  private subtreeLevels(n: number): Uint8Array[] {
    const width = 2 ** this.base;
    const first = n * width;
    let level = new Uint8Array(width * 32);
    for (let i = 0; i < width; i++) level.set(this.leafOrZero(first + i), i * 32);
    const out = [level];
    for (let count = width >> 1; count >= 1; count >>= 1) {
      const up = new Uint8Array(count * 32);
      for (let i = 0; i < count; i++)
        hashAdjacent(level.subarray(i * 64, i * 64 + 64), up.subarray(i * 32, i * 32 + 32));
      out.push(up);
      level = up;
    }
    return out;
  }

  private subtreeRoot(n: number): Uint8Array {
    // Wholly padding: the precomputed root of 2^base zero leaves.
    if (n * 2 ** this.base >= this.leafCount) return ZERO_ROOTS[this.base]!;
    return this.subtreeLevels(n).at(-1)!;
  }

  get root(): Hex {
    return bytesToHex(this.levels.at(-1)!);
  }

  /** Siblings of leaf `index` from the leaf level up (depth hashes). */
  proof(index: number): Hex[] {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.leafCount)
      throw new RangeError(`leaf index must be in [0, ${this.leafCount}), got ${index}`);
    const siblings: Hex[] = [];
    const sub = this.subtreeLevels(index >> this.base);
    let at = index & (2 ** this.base - 1);
    for (let h = 0; h < this.base; h++, at >>= 1)
      siblings.push(bytesToHex(sub[h]!.subarray((at ^ 1) * 32, (at ^ 1) * 32 + 32)));
    at = index >> this.base;
    for (let k = 0; k < this.levels.length - 1; k++, at >>= 1)
      siblings.push(bytesToHex(this.levels[k]!.subarray((at ^ 1) * 32, (at ^ 1) * 32 + 32)));
    return siblings;
  }
}

/** Whether `proof` takes `leaf` at `index` to `root` (as ThroughputWork.sol checks it). */
export function verifyProof(leaf: Uint8Array | Hex, index: number, proof: readonly Hex[], root: Hex): boolean {
  if (proof.length > 26 || !Number.isSafeInteger(index) || index < 0 || index >= 2 ** proof.length) return false;
  let node = typeof leaf === "string" ? hexToBytes(leaf) : leaf;
  if (node.length !== 32) return false;
  for (let h = 0; h < proof.length; h++) {
    const sibling = hexToBytes(proof[h]!);
    if (sibling.length !== 32) return false;
    node = (index >> h) & 1 ? hashPair(sibling, node) : hashPair(node, sibling);
  }
  return bytesToHex(node) === root.toLowerCase();
}
