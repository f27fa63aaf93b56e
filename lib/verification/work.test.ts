import { createHash } from "node:crypto";
import { bytesToHex, encodeAbiParameters, keccak256, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { cpuRunner } from "./cpuRunner";
import { MerkleTree, MAX_MERKLE_LEAVES, verifyProof } from "./merkle";
import {
  auditIndices,
  computeTile,
  decodeTile,
  element,
  encodeTile,
  entry,
  flopsPerRound,
  generateColumnB,
  generateRowA,
  GOLDEN,
  GPU_SHAPE,
  InvalidWorkShape,
  leaf,
  LOCAL_SHAPE,
  mix64,
  tileStat,
  validateShape,
  word,
  type WorkShape,
} from "./work";

/** The reference splitmix64 generator: state += GOLDEN, output mix64(state). */
function splitmix64(seed: bigint, count: number): bigint[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state + GOLDEN) & ((1n << 64n) - 1n);
    return mix64(state);
  });
}

const seedOf = (n: number): Hex => keccak256(encodeAbiParameters([{ type: "uint256" }], [BigInt(n)]));
const SMALL: WorkShape = { rows: 8, cols: 4, inner: 32, tileRows: 2 };

describe("the generator", () => {
  it("is splitmix64: the published outputs for seeds 0 and 1234567", () => {
    // Vigna's splitmix64.c, seed 0; seed 1234567 as on Rosetta Code ("Pseudo-random numbers/Splitmix64").
    expect(splitmix64(0n, 4)).toEqual([
      0xe220a8397b1dcdafn,
      0x6e789e6aa1b965f4n,
      0x06c45d188009454fn,
      0xf88bb8a8724c81ecn,
    ]);
    expect(splitmix64(1234567n, 5)).toEqual([
      6457827717110365317n,
      3203168211198807973n,
      9817491932198370423n,
      4593380528125082431n,
      16408922859458223821n,
    ]);
  });

  it("numbers words as the splitmix64 stream from the seed: counter c is output c + 1", () => {
    // Round 0, matrix A, row 0: counters 0, 1, 2, … so word w is the (w+1)-th output.
    expect([0, 1, 2, 3, 4].map((w) => word(1234567n, 0, 0, 0, w))).toEqual(splitmix64(1234567n, 5));
    // Row 1 starts 2^20 counters on; B's columns 2^44 on; round 1 2^45 on.
    expect(word(7n, 0, 0, 1, 0)).toBe(mix64(7n + ((1n << 20n) + 1n) * GOLDEN));
    expect(word(7n, 0, 1, 0, 0)).toBe(mix64(7n + ((1n << 44n) + 1n) * GOLDEN));
    expect(word(7n, 1, 0, 0, 3)).toBe(mix64(7n + ((1n << 45n) + 4n) * GOLDEN));
  });

  it("the fast row (32-bit halves) equals the BigInt reference, entries in −8…7", () => {
    for (const n of [0, 1, 2, 99]) {
      const seed = seedOf(n);
      const seed64 = BigInt(seed) & ((1n << 64n) - 1n);
      for (const [round, row] of [
        [0, 0],
        [1, 5],
        [65_535, 16_777_215],
      ] as const) {
        const shape = { ...GPU_SHAPE, rows: 16_777_216, tileRows: 16 };
        const fast = generateRowA(seed, { ...shape, inner: 256 }, round, row);
        const reference = Array.from({ length: 256 }, (_, k) => entry(word(seed64, round, 0, row, k >> 4), k & 15));
        expect(Array.from(fast)).toEqual(reference);
        const col = generateColumnB(seed, { ...LOCAL_SHAPE, inner: 64 }, round, 3);
        expect(Array.from(col)).toEqual(
          Array.from({ length: 64 }, (_, k) => entry(word(seed64, round, 1, 3, k >> 4), k & 15)),
        );
      }
    }
    const all = generateRowA(seedOf(5), { ...LOCAL_SHAPE, inner: 4096 }, 0, 0);
    expect(Math.min(...all)).toBe(-8);
    expect(Math.max(...all)).toBe(7);
  });
});

describe("shapes", () => {
  it("accepts the deployment shapes and refuses what breaks exactness or the counter's fields", () => {
    for (const shape of [GPU_SHAPE, LOCAL_SHAPE, SMALL]) expect(validateShape(shape)).toBe(shape);
    const bad: [Partial<WorkShape>, string][] = [
      [{ inner: 65_536 + 16 }, "inner"],
      [{ inner: 40 }, "inner"],
      [{ inner: 0 }, "inner"],
      [{ cols: 24 }, "cols"],
      [{ tileRows: 3 }, "tileRows"],
      [{ rows: 12, tileRows: 8 }, "rows"],
      [{ rows: 2 ** 25, tileRows: 16 }, "rows"],
      [{ rows: 1024, cols: 1024, tileRows: 1024 }, "tile"],
    ];
    for (const [change, field] of bad) {
      const error = (() => {
        try {
          validateShape({ ...LOCAL_SHAPE, ...change });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InvalidWorkShape);
      expect((error as InvalidWorkShape).field).toBe(field);
    }
  });

  it("counts FLOPs per round as 2·M·N·K", () => {
    expect(flopsPerRound(GPU_SHAPE)).toBe(549_755_813_888n);
    expect(flopsPerRound(LOCAL_SHAPE)).toBe(524_288n);
  });
});

describe("elements and tiles", () => {
  /** The product from the definition, one entry at a time. */
  function naive(seed: Hex, shape: WorkShape, round: number, row: number, col: number): number {
    const seed64 = BigInt(seed) & ((1n << 64n) - 1n);
    let sum = 0;
    for (let k = 0; k < shape.inner; k++)
      sum += entry(word(seed64, round, 0, row, k >> 4), k & 15) * entry(word(seed64, round, 1, col, k >> 4), k & 15);
    return sum;
  }

  it("element equals the naive product, and tiles hold the elements row-major", () => {
    for (const n of [1, 2]) {
      const seed = seedOf(n);
      for (const [round, row, col] of [
        [0, 0, 0],
        [3, 7, 3],
        [2, 5, 1],
      ] as const)
        expect(element(seed, SMALL, round, row, col)).toBe(naive(seed, SMALL, round, row, col));
      const tile = computeTile(seed, LOCAL_SHAPE, 2, 5);
      expect(tile.length).toBe(8 * 16);
      for (const [i, j] of [
        [0, 0],
        [3, 9],
        [7, 15],
      ] as const)
        expect(tile[i * 16 + j]).toBe(naive(seed, LOCAL_SHAPE, 2, 5 * 8 + i, j));
    }
  });

  it("stays exact at K = 65536 (the largest partial sums)", () => {
    const shape = { rows: 2, cols: 2, inner: 65_536, tileRows: 2 };
    expect(element(seedOf(3), shape, 1, 1, 1)).toBe(naive(seedOf(3), shape, 1, 1, 1));
  });

  it("a tile's statistic is the sum of its squares, exact past 2^53", () => {
    expect(tileStat(Int32Array.from([3, -4, 0]))).toBe(25n);
    // 2^19 values of −2^22: 2^19·2^44 = 2^63, well past a double's exact integers.
    expect(tileStat(new Int32Array(2 ** 19).fill(-(2 ** 22)))).toBe(2n ** 63n);
    // A wrong tile's values may be any int32: still exact (2^62 + (2^31 − 1)² + 9 is past 2^63).
    expect(tileStat(Int32Array.from([-(2 ** 31), 2 ** 31 - 1, 3]))).toBe(2n ** 62n + (2n ** 31n - 1n) ** 2n + 9n);
    const values = Int32Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 4_194_304) - 2_097_152);
    expect(tileStat(values)).toBe(values.reduce((s, v) => s + BigInt(v) * BigInt(v), 0n));
  });

  it("encodes a tile as big-endian int32 and decodes it back", () => {
    const tile = computeTile(seedOf(4), SMALL, 1, 3);
    const bytes = encodeTile(tile);
    expect(bytes.length).toBe(4 * 2 * 4);
    expect(decodeTile(bytes, SMALL)).toEqual(tile);
    expect(bytesToHex(encodeTile(Int32Array.from([1, -1, -(2 ** 22)])))).toBe("0x00000001ffffffffffc00000");
    expect(() => decodeTile(bytes.subarray(1), SMALL)).toThrow(RangeError);
  });

  it("a leaf is sha256(seed ‖ uint32 r ‖ uint32 t ‖ uint64 stat)", () => {
    const seed = seedOf(9);
    const packed = `${seed.slice(2)}00000003000000050123456789abcdef`;
    expect(bytesToHex(leaf(seed, 3, 5, 0x0123456789abcdefn))).toBe(
      `0x${createHash("sha256").update(Buffer.from(packed, "hex")).digest("hex")}`,
    );
  });
});

describe("the CPU runner", () => {
  it("gives every tile's statistic in leaf order, and the tiles asked for", async () => {
    const seed = seedOf(11);
    const stats = await cpuRunner.stats(seed, LOCAL_SHAPE, 3);
    expect(stats.length).toBe(24);
    for (const l of [0, 7, 8, 23]) expect(stats[l]).toBe(tileStat(computeTile(seed, LOCAL_SHAPE, l >> 3, l & 7)));
    const tiles = await cpuRunner.tiles(seed, LOCAL_SHAPE, [23, 0, 23]);
    expect(tiles.map(tileStat)).toEqual([stats[23], stats[0], stats[23]]);
  });

  it("stops at the abort signal", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(cpuRunner.stats(seedOf(1), LOCAL_SHAPE, 100, controller.signal)).rejects.toThrow("stop");
  });
});

describe("the Merkle tree", () => {
  const leaves = (n: number) =>
    Array.from({ length: n }, (_, i) => new Uint8Array(createHash("sha256").update(`leaf ${i}`).digest()));
  const pair = (a: Uint8Array, b: Uint8Array) => new Uint8Array(createHash("sha256").update(a).update(b).digest());

  it("pads with zero leaves to a power of two (at least 2)", () => {
    const [a, b, c] = leaves(3) as [Uint8Array, Uint8Array, Uint8Array];
    const zero = new Uint8Array(32);
    expect(MerkleTree.fromLeaves([a]).root).toBe(bytesToHex(pair(a, zero)));
    expect(MerkleTree.fromLeaves([a, b, c]).root).toBe(bytesToHex(pair(pair(a, b), pair(c, zero))));
  });

  it("proves every leaf of trees above and below the stored levels; a flipped bit fails", () => {
    for (const n of [1, 2, 3, 16, 17, 100, 1000]) {
      const list = leaves(n);
      const tree = MerkleTree.fromLeaves(list);
      for (const i of new Set([0, 1 % n, n >> 1, n - 1])) {
        const proof = tree.proof(i);
        expect(proof.length).toBe(tree.depth);
        expect(verifyProof(list[i]!, i, proof, tree.root)).toBe(true);
        const flipped = Uint8Array.from(list[i]!);
        flipped[31]! ^= 1;
        expect(verifyProof(flipped, i, proof, tree.root)).toBe(false);
        const badSibling = [...proof];
        badSibling[proof.length - 1] = `0x${"00".repeat(31)}01`;
        expect(verifyProof(list[i]!, i, badSibling, tree.root)).toBe(false);
        if (n > 1) expect(verifyProof(list[i]!, i ^ 1, proof, tree.root)).toBe(false);
      }
    }
  });

  it("refuses more than 2^26 leaves and indices out of range", () => {
    expect(() => new MerkleTree(MAX_MERKLE_LEAVES + 1, () => new Uint8Array(32))).toThrow(RangeError);
    expect(() => MerkleTree.fromLeaves(leaves(5)).proof(5)).toThrow(RangeError);
  });
});

describe("audit indices", () => {
  it("are keccak256(abi.encode(auditHash, seed, s)) mod L, in range", () => {
    const auditHash = seedOf(77);
    const seed = seedOf(78);
    for (const leaves of [1, 2, 8, 1000, 2 ** 26]) {
      const indices = auditIndices(auditHash, seed, leaves);
      expect(indices.length).toBe(8);
      for (const i of indices) expect(i >= 0 && i < leaves).toBe(true);
    }
    const s3 = BigInt(
      keccak256(
        encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }], [auditHash, seed, 3n]),
      ),
    );
    expect(auditIndices(auditHash, seed, 1000)[3]).toBe(Number(s3 % 1000n));
  });
});
