import { createHash } from "node:crypto";
import { bytesToHex, encodeAbiParameters, keccak256, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { cpuRunner } from "./cpuRunner";
import { MerkleTree, MAX_MERKLE_LEAVES, verifyProof } from "./merkle";
import {
  auditIndices,
  computeTile,
  counter,
  decodeStats,
  decodeTile,
  element,
  encodeStats,
  encodeTile,
  entry,
  flopsPerRound,
  generateA,
  generateB,
  generateColumnB,
  generateRowA,
  GOLDEN,
  GPU_SHAPE,
  groupOfTile,
  groupsPerRound,
  InvalidWorkShape,
  leaf,
  leafCount,
  leafOfEncoded,
  LOCAL_SHAPE,
  MAX_COLS,
  MAX_ROUNDS,
  MAX_ROWS,
  mix64,
  seed64Of,
  tileCount,
  tilePosition,
  tileStat,
  tilesPerRound,
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
/** The contract tests' shape: 4 tiles and 2 leaves a round. */
const SMALL: WorkShape = { rows: 8, cols: 4, inner: 256, tileRows: 2, groupTiles: 2 };

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
    // Row 1 starts 2^20 counters on; B's columns 2^63 on (the matrix bit); B's round 1 2^40 further.
    expect(word(7n, 0, 0, 1, 0)).toBe(mix64(7n + ((1n << 20n) + 1n) * GOLDEN));
    expect(word(7n, 0, 1, 0, 0)).toBe(mix64(7n + ((1n << 63n) + 1n) * GOLDEN));
    expect(word(7n, 1, 1, 0, 3)).toBe(mix64(7n + ((1n << 63n) + (1n << 40n) + 4n) * GOLDEN));
  });

  it("lays the counter out as matrix 1 bit, round 23, index 20, word 20: the last one is 2^64 − 1", () => {
    expect(counter(MAX_ROUNDS - 1, 1, MAX_COLS - 1, 2 ** 20 - 1)).toBe((1n << 64n) - 1n);
    expect(counter(0, 0, MAX_ROWS - 1, 2 ** 20 - 1)).toBe((1n << 40n) - 1n);
    expect(counter(1, 1, 0, 0)).toBe((1n << 63n) | (1n << 40n));
    expect(counter(0, 1, 5, 6)).toBe((1n << 63n) | (5n << 20n) | 6n);
    expect(MAX_ROUNDS).toBe(2 ** 23);
    expect(MAX_ROWS).toBe(2 ** 20);
    for (const [round, matrix, index, w] of [
      [MAX_ROUNDS, 1, 0, 0],
      [0, 1, MAX_COLS, 0],
      [0, 0, 0, 2 ** 20],
      [-1, 1, 0, 0],
      [0.5, 1, 0, 0],
    ] as const)
      expect(() => counter(round, matrix, index, w)).toThrow(RangeError);
  });

  it("A is round-independent: its words exist at round 0 only", () => {
    expect(() => counter(1, 0, 0, 0)).toThrow(/round 0/);
    expect(() => word(7n, MAX_ROUNDS - 1, 0, 0, 0)).toThrow(/round 0/);
  });

  it("the fast row (32-bit halves) equals the BigInt reference, entries in −16…15", () => {
    for (const n of [0, 1, 2, 99]) {
      const seed = seedOf(n);
      const seed64 = BigInt(seed) & ((1n << 64n) - 1n);
      const wide = { ...GPU_SHAPE, rows: MAX_ROWS, cols: MAX_COLS, tileRows: 1, groupTiles: 1024, inner: 256 };
      for (const [round, index] of [
        [0, 0],
        [1, 5],
        [MAX_ROUNDS - 1, MAX_ROWS - 1],
      ] as const) {
        const fast = generateRowA(seed, wide, index);
        const reference = Array.from({ length: 256 }, (_, k) => entry(word(seed64, 0, 0, index, k >> 3), k & 7));
        expect(Array.from(fast)).toEqual(reference);
        const col = generateColumnB(seed, wide, round, index);
        expect(Array.from(col)).toEqual(
          Array.from({ length: 256 }, (_, k) => entry(word(seed64, round, 1, index, k >> 3), k & 7)),
        );
      }
    }
    const all = generateRowA(seedOf(5), { ...LOCAL_SHAPE, inner: 4096 }, 0);
    expect(Math.min(...all)).toBe(-16);
    expect(Math.max(...all)).toBe(15);
  });
});

describe("shapes", () => {
  it("accepts the deployment shapes and refuses what breaks exactness or the counter's fields", () => {
    for (const shape of [GPU_SHAPE, LOCAL_SHAPE, SMALL]) expect(validateShape(shape)).toBe(shape);
    // G may be 1 while M/T ≤ 8, and up to 1,024.
    validateShape({ ...LOCAL_SHAPE, groupTiles: 1 });
    validateShape({ rows: 8192, cols: 16, inner: 16, tileRows: 1, groupTiles: 1024 });
    const bad: [Partial<WorkShape>, string][] = [
      [{ inner: 65_536 + 8 }, "inner"],
      [{ inner: 44 }, "inner"],
      [{ inner: 4 }, "inner"],
      [{ inner: 0 }, "inner"],
      [{ cols: 24 }, "cols"],
      [{ tileRows: 3 }, "tileRows"],
      [{ rows: 12, tileRows: 8 }, "rows"],
      [{ rows: 2 ** 21, tileRows: 16, groupTiles: 1024 }, "rows"],
      [{ cols: 2 ** 21 }, "cols"],
      [{ rows: 1024, cols: 1024, tileRows: 1024, groupTiles: 1 }, "tile"],
      // G: a power of two that divides M/T (8 here), at most 1,024, leaving at most 8 leaves a round.
      [{ groupTiles: 0 }, "groupTiles"],
      [{ groupTiles: 3 }, "groupTiles"],
      [{ groupTiles: 16 }, "groupTiles"],
      [{ rows: 16_384, tileRows: 1, groupTiles: 2048 }, "groupTiles"],
      [{ rows: 128, groupTiles: 1 }, "groupTiles"],
      [{ groupTiles: undefined as unknown as number }, "groupTiles"],
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

  it("numbers tiles τ = r·M/T + t and leaves λ = τ / G = r·M/(T·G) + g", () => {
    expect([tilesPerRound(GPU_SHAPE), groupsPerRound(GPU_SHAPE)]).toEqual([2048, 4]);
    expect([tilesPerRound(LOCAL_SHAPE), groupsPerRound(LOCAL_SHAPE)]).toEqual([8, 2]);
    expect([tileCount(LOCAL_SHAPE, 3), leafCount(LOCAL_SHAPE, 3)]).toEqual([24, 6]);
    // The largest challenge: 2^34 tiles, 2^25 leaves at the GPU shape (the Merkle tree's cap is 2^26).
    expect(tileCount(GPU_SHAPE, MAX_ROUNDS)).toBe(2 ** 34);
    expect(leafCount(GPU_SHAPE, MAX_ROUNDS)).toBe(2 ** 25);
    expect(tilePosition(LOCAL_SHAPE, 3, 13)).toEqual({ round: 1, tile: 5 });
    expect(() => tilePosition(LOCAL_SHAPE, 3, 24)).toThrow(RangeError);
    expect(groupOfTile(LOCAL_SHAPE, 13)).toEqual({ leaf: 3, round: 1, group: 1, position: 1 });
    expect(groupOfTile(GPU_SHAPE, 2 ** 34 - 1)).toEqual({
      leaf: 2 ** 25 - 1,
      round: MAX_ROUNDS - 1,
      group: 3,
      position: 511,
    });
    expect(() => groupOfTile(GPU_SHAPE, 2 ** 34)).toThrow(RangeError);
  });

  it("attack: a reveal at the GPU shape fits one transaction, or a stranger's challenge could never be answered", () => {
    // Ethereum clients' pools (geth, reth, op-geth) refuse a transaction over 4 × 32 KiB. The largest reveal: 8
    // samples, each a tile, its group's statistics and a proof as deep as the agent's biggest tree (2^26 leaves).
    const TX_MAX_BYTES = 4 * 32 * 1024;
    const tile = `0x${"ff".repeat(4 * GPU_SHAPE.tileRows * GPU_SHAPE.cols)}` as Hex;
    const stats = `0x${"ff".repeat(8 * GPU_SHAPE.groupTiles)}` as Hex;
    const proof = Array.from({ length: Math.log2(MAX_MERKLE_LEAVES) }, () => `0x${"ff".repeat(32)}` as Hex);
    const args = encodeAbiParameters(
      [{ type: "uint256" }, { type: "bytes[]" }, { type: "bytes[]" }, { type: "bytes32[][]" }],
      [2n ** 64n, Array(8).fill(tile), Array(8).fill(stats), Array(8).fill(proof)],
    );
    const calldata = 4 + (args.length - 2) / 2; // the selector and the arguments
    // A transaction's own fields (nonce, gas, addresses, signature) add under 200 bytes.
    expect(calldata + 200).toBeLessThan(TX_MAX_BYTES);
    expect(calldata).toBeGreaterThan(100_000); // the bound is real: tiles of 16 rows would not fit
  });
});

describe("elements and tiles", () => {
  /** The product from the definition, one entry at a time. */
  function naive(seed: Hex, shape: WorkShape, round: number, row: number, col: number): number {
    const seed64 = BigInt(seed) & ((1n << 64n) - 1n);
    let sum = 0;
    // A's row at round 0 whatever the round: A is fixed for the challenge, only B changes.
    for (let k = 0; k < shape.inner; k++)
      sum += entry(word(seed64, 0, 0, row, k >> 3), k & 7) * entry(word(seed64, round, 1, col, k >> 3), k & 7);
    return sum;
  }

  it("A is the same in every round, B_r is not: C_r = A · B_r", () => {
    const seed = seedOf(12);
    const seed64 = seed64Of(seed);
    const a = generateA(seed64, LOCAL_SHAPE);
    expect(a.length).toBe(LOCAL_SHAPE.rows * LOCAL_SHAPE.inner);
    for (const row of [0, 17, 63])
      expect(a.subarray(row * 256, row * 256 + 256)).toEqual(generateRowA(seed, LOCAL_SHAPE, row));
    expect(generateA(seed64, LOCAL_SHAPE, 8, 8)).toEqual(a.subarray(8 * 256, 16 * 256));
    expect(() => generateA(seed64, LOCAL_SHAPE, 60, 8)).toThrow(RangeError);
    // B differs between rounds (and so do the tiles), A's rows serve every round.
    expect(generateB(seed64, LOCAL_SHAPE, 1)).not.toEqual(generateB(seed64, LOCAL_SHAPE, 2));
    expect(computeTile(seed, LOCAL_SHAPE, 1, 3)).not.toEqual(computeTile(seed, LOCAL_SHAPE, 2, 3));
    const rows = a.subarray(3 * 8 * 256, 4 * 8 * 256);
    for (const round of [0, 1, MAX_ROUNDS - 1])
      expect(computeTile(seed, LOCAL_SHAPE, round, 3, generateB(seed64, LOCAL_SHAPE, round), rows)).toEqual(
        computeTile(seed, LOCAL_SHAPE, round, 3),
      );
    expect(element(seed, LOCAL_SHAPE, 9, 5, 7)).toBe(naive(seed, LOCAL_SHAPE, 9, 5, 7));
    expect(() => computeTile(seed, LOCAL_SHAPE, 0, 3, undefined, rows.subarray(1))).toThrow(RangeError);
  });

  it("element equals the naive product, and tiles hold the elements row-major", () => {
    for (const n of [1, 2]) {
      const seed = seedOf(n);
      for (const [round, row, col] of [
        [0, 0, 0],
        [3, 7, 3],
        [MAX_ROUNDS - 1, 5, 1],
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
    const shape = { rows: 2, cols: 2, inner: 65_536, tileRows: 2, groupTiles: 1 };
    expect(element(seedOf(3), shape, 1, 1, 1)).toBe(naive(seedOf(3), shape, 1, 1, 1));
  });

  it("a tile's statistic is the sum of its squares, exact past 2^53", () => {
    expect(tileStat(Int32Array.from([3, -4, 0]))).toBe(25n);
    // 2^15 values of −2^24: 2^15·2^48 = 2^63, well past a double's exact integers.
    expect(tileStat(new Int32Array(2 ** 15).fill(-(2 ** 24)))).toBe(2n ** 63n);
    // A wrong tile's values may be any int32: still exact (2^62 + (2^31 − 1)² + 9 is past 2^63).
    expect(tileStat(Int32Array.from([-(2 ** 31), 2 ** 31 - 1, 3]))).toBe(2n ** 62n + (2n ** 31n - 1n) ** 2n + 9n);
    const values = Int32Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 4_194_304) - 2_097_152);
    expect(tileStat(values)).toBe(values.reduce((s, v) => s + BigInt(v) * BigInt(v), 0n));
  });

  it("encodes a tile as big-endian int32 and decodes it back", () => {
    const tile = computeTile(seedOf(4), SMALL, 1, 3);
    const bytes = encodeTile(tile);
    expect(bytes.length).toBe(4 * 2 * 4);
    expect(tile.length).toBe(8);
    expect(decodeTile(bytes, SMALL)).toEqual(tile);
    expect(bytesToHex(encodeTile(Int32Array.from([1, -1, -(2 ** 22)])))).toBe("0x00000001ffffffffffc00000");
    expect(() => decodeTile(bytes.subarray(1), SMALL)).toThrow(RangeError);
  });

  it("a leaf is sha256(seed ‖ uint32 r ‖ uint32 g ‖ the group's G uint64 statistics), big-endian", () => {
    const seed = seedOf(9);
    const stats = BigUint64Array.from([0x0123456789abcdefn, 0n, (1n << 64n) - 1n, 5n]);
    const packed = `${seed.slice(2)}0000000300000001${"0123456789abcdef"}${"00".repeat(8)}${"ff".repeat(8)}${"0000000000000005"}`;
    const expected = `0x${createHash("sha256").update(Buffer.from(packed, "hex")).digest("hex")}`;
    expect(bytesToHex(leaf(seed, 3, 1, stats))).toBe(expected);
    expect(bytesToHex(encodeStats(stats))).toBe(`0x${packed.slice(80)}`);
    expect(bytesToHex(leafOfEncoded(seed, 3, 1, encodeStats(stats)))).toBe(expected);
    // 8·G bytes in, G a power of two ≤ 1,024; the round below 2^23.
    expect(() => leaf(seed, 3, 1, stats.subarray(0, 3))).toThrow(RangeError);
    expect(() => leaf(seed, 3, 1, new BigUint64Array(0))).toThrow(RangeError);
    expect(() => leaf(seed, 3, 1, new BigUint64Array(2048))).toThrow(RangeError);
    expect(() => leaf(seed, MAX_ROUNDS, 1, stats)).toThrow(RangeError);
    expect(leaf(seed, 0, 0, new BigUint64Array(1024)).length).toBe(32);
  });

  it("a group's statistics travel as 8·G big-endian bytes and decode back", () => {
    const stats = BigUint64Array.from([1n, (1n << 64n) - 2n, 1n << 63n, 0n]);
    const bytes = encodeStats(stats);
    expect(decodeStats(bytes, LOCAL_SHAPE)).toEqual(stats);
    expect(() => decodeStats(bytes.subarray(8), LOCAL_SHAPE)).toThrow(RangeError);
    expect(() => decodeStats(bytes, SMALL)).toThrow(RangeError);
  });
});

describe("the CPU runner", () => {
  /** Every chunk the runner delivers, and the statistics in one array. */
  async function collect(seed: Hex, shape: WorkShape, rounds: number) {
    const chunks: { first: number; length: number }[] = [];
    const all: bigint[] = [];
    await cpuRunner.stats(seed, shape, rounds, (first, stats) => {
      chunks.push({ first, length: stats.length });
      all.push(...stats);
    });
    return { chunks, all };
  }

  it("streams every tile's statistic in tile order, in chunks of whole rounds, and the tiles asked for", async () => {
    const seed = seedOf(11);
    const { chunks, all } = await collect(seed, LOCAL_SHAPE, 3);
    expect(chunks).toEqual([{ first: 0, length: 24 }]);
    for (const τ of [0, 7, 8, 23]) expect(all[τ]).toBe(tileStat(computeTile(seed, LOCAL_SHAPE, τ >> 3, τ & 7)));
    const tiles = await cpuRunner.tiles(seed, LOCAL_SHAPE, [23, 0, 23, 9]);
    expect(tiles.map(tileStat)).toEqual([all[23], all[0], all[23], all[9]]);
    expect(tiles[0]).toEqual(computeTile(seed, LOCAL_SHAPE, 2, 7));
  });

  it("splits a long challenge into chunks of whole rounds that follow one another", async () => {
    const seed = seedOf(13);
    const rounds = 2500;
    const { chunks, all } = await collect(seed, LOCAL_SHAPE, rounds);
    expect(chunks.length).toBeGreaterThan(1);
    let next = 0;
    for (const { first, length } of chunks) {
      expect(first).toBe(next);
      expect(length % tilesPerRound(LOCAL_SHAPE)).toBe(0);
      next += length / tilesPerRound(LOCAL_SHAPE);
    }
    expect(next).toBe(rounds);
    expect(all.length).toBe(rounds * 8);
    const last = rounds * 8 - 1;
    expect(all[last]).toBe(tileStat(computeTile(seed, LOCAL_SHAPE, rounds - 1, 7)));
  });

  it("awaits each chunk's onStats, and stops with its error", async () => {
    const seen: number[] = [];
    let pending = 0;
    await cpuRunner.stats(seedOf(14), LOCAL_SHAPE, 2100, async (first) => {
      expect(pending).toBe(0);
      pending++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      pending--;
      seen.push(first);
    });
    expect(seen.length).toBeGreaterThan(1);
    let calls = 0;
    await expect(
      cpuRunner.stats(seedOf(14), LOCAL_SHAPE, 2100, () => {
        calls++;
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(calls).toBe(1);
  });

  it("keeps the event loop turning while it works, and stops at the abort signal", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const controller = new AbortController();
    const started = performance.now();
    const run = cpuRunner.stats(seedOf(15), LOCAL_SHAPE, MAX_ROUNDS, () => {}, controller.signal);
    setTimeout(() => controller.abort(new Error("stop")), 200);
    await expect(run).rejects.toThrow("stop");
    clearInterval(timer);
    // Stopped soon after the abort (2^23 rounds would take hours), having let timers run meanwhile.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(ticks).toBeGreaterThan(5);
    const aborted = new AbortController();
    aborted.abort(new Error("already"));
    await expect(cpuRunner.stats(seedOf(1), LOCAL_SHAPE, 100, () => {}, aborted.signal)).rejects.toThrow("already");
  });

  it("refuses rounds out of [1, 2^23] and tiles past the last round", async () => {
    await expect(cpuRunner.stats(seedOf(1), LOCAL_SHAPE, 0, () => {})).rejects.toThrow(RangeError);
    await expect(cpuRunner.stats(seedOf(1), LOCAL_SHAPE, MAX_ROUNDS + 1, () => {})).rejects.toThrow(RangeError);
    await expect(cpuRunner.tiles(seedOf(1), LOCAL_SHAPE, [MAX_ROUNDS * 8])).rejects.toThrow(RangeError);
    const [last] = await cpuRunner.tiles(seedOf(1), LOCAL_SHAPE, [MAX_ROUNDS * 8 - 1]);
    expect(last).toEqual(computeTile(seedOf(1), LOCAL_SHAPE, MAX_ROUNDS - 1, 7));
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

  it("builds the same tree from leaves kept back to back", () => {
    const list = leaves(37);
    const flat = new Uint8Array(37 * 32);
    list.forEach((l, i) => flat.set(l, i * 32));
    const tree = MerkleTree.fromFlat(flat);
    expect(tree.root).toBe(MerkleTree.fromLeaves(list).root);
    expect(tree.proof(36)).toEqual(MerkleTree.fromLeaves(list).proof(36));
    expect(() => MerkleTree.fromFlat(flat.subarray(1))).toThrow(RangeError);
  });

  it("refuses more than 2^26 leaves and indices out of range", () => {
    expect(() => new MerkleTree(MAX_MERKLE_LEAVES + 1, () => new Uint8Array(32))).toThrow(RangeError);
    expect(() => MerkleTree.fromLeaves(leaves(5)).proof(5)).toThrow(RangeError);
  });
});

describe("audit indices", () => {
  it("are keccak256(abi.encode(auditHash, seed, s)) mod the tile count, in range", () => {
    const auditHash = seedOf(77);
    const seed = seedOf(78);
    for (const tiles of [1, 2, 8, 1000, tileCount(GPU_SHAPE, MAX_ROUNDS)]) {
      const indices = auditIndices(auditHash, seed, tiles);
      expect(indices.length).toBe(8);
      for (const i of indices) expect(Number.isSafeInteger(i) && i >= 0 && i < tiles).toBe(true);
    }
    const s3 = BigInt(
      keccak256(
        encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }], [auditHash, seed, 3n]),
      ),
    );
    expect(auditIndices(auditHash, seed, 1000)[3]).toBe(Number(s3 % 1000n));
  });
});
