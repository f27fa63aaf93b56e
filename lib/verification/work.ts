/**
 * The throughput work of verified supply (docs/verification.md), one definition in three languages: this file,
 * contracts/src/libraries/ThroughputWork.sol and host/verifier/throughput.py agree bit for bit (the vectors in
 * contracts/test/fixtures/throughput-vectors.json, written by scripts/verification-vectors.ts, hold Solidity to
 * this file; host/verifier/torchRunner.test.ts holds the Python to it).
 *
 * All 64-bit arithmetic is mod 2^64. The hot path (the words of a row, the multiply-adds) runs on 32-bit halves
 * in plain numbers: BigInt would cost ~100× per word. The BigInt `mix64` and `word` are the reference the
 * fast path is tested against.
 */
import { hash } from "node:crypto";
import { encodeAbiParameters, hexToBytes, keccak256, type Hex } from "viem";

export const GOLDEN = 0x9e3779b97f4a7c15n;
const MIX_1 = 0xbf58476d1ce4e5b9n;
const MIX_2 = 0x94d049bb133111ebn;
const MASK_64 = (1n << 64n) - 1n;

/** Tiles the contract audits per challenge (SupplyVerifier.AUDIT_SAMPLES). */
export const AUDIT_SAMPLES = 8;

/** The shape of a deployment's work (SupplyVerifier's WorkShape). */
export interface WorkShape {
  /** M: rows of A and of each round's output. */
  rows: number;
  /** N: columns of B and of the output. */
  cols: number;
  /** K: the inner dimension. */
  inner: number;
  /** T: rows per tile (the unit a reveal shows and an audit samples). */
  tileRows: number;
  /** G: tiles per group (one Merkle leaf hashes the statistics of G tiles of one round). */
  groupTiles: number;
}

/** Real chains (the GPU runner): 5.5·10¹¹ FLOPs, 2,048 tiles and 4 leaves per round. A reveal fits one
 * transaction (clients' pools refuse over 128 KiB): 8 samples of a tile (8 KB) and its group's statistics
 * (512 × 8 B = 4 KB) with a proof (contracts/script/Parameters.sol). */
export const GPU_SHAPE: WorkShape = { rows: 16_384, cols: 256, inner: 65_536, tileRows: 8, groupTiles: 512 };
/** The local chain (the CPU runner): 5.2·10⁵ FLOPs, 8 tiles and 2 leaves per round. */
export const LOCAL_SHAPE: WorkShape = { rows: 64, cols: 16, inner: 256, tileRows: 8, groupTiles: 4 };

/** Entries per 64-bit word: one per byte, its low 5 bits minus 16 (−16…15, which INT4 cannot hold). */
export const ENTRIES_PER_WORD = 8;
/** K ≤ 2^16: |partial sum| ≤ 256·K ≤ 2^24, and every integer of magnitude ≤ 2^24 is an FP32, so FP32 accumulation is
 * exact in any order. */
export const MAX_INNER = 65_536;
/** Counter layout, from the top: matrix 1 bit, round 23 bits, row/column index 20 bits, word index 20 bits = 64. */
const ROUND_BITS = 23;
const INDEX_BITS = 20;
const WORD_BITS = 20;
/** Row and column indices fill 20 bits of the counter. */
export const MAX_ROWS = 1 << INDEX_BITS;
export const MAX_COLS = 1 << INDEX_BITS;
/** Words of a row: K/8 ≤ 2^13 today, the counter leaves room for 2^20. */
const MAX_WORDS = 1 << WORD_BITS;
/** Rounds fill 23 bits of the counter (below the matrix bit): 2^23 rounds × 2^39 FLOP = 4.6·10^18 FLOP at the
 * GPU shape, 30 s of 150 H100s at their datasheet 989 TFLOP/s. */
export const MAX_ROUNDS = 1 << ROUND_BITS;
/** A reveal carries 8·G bytes of statistics per sample: G ≤ 1,024 keeps that at 8 KB. */
export const MAX_GROUP_TILES = 1024;
/** Leaves per round (M/(T·G)) ≤ 8: with 2^23 rounds a challenge has at most 2^26 leaves (MAX_MERKLE_LEAVES). */
export const MAX_LEAVES_PER_ROUND = 8;
/** A statistic is at most T·N·(256·K)² ≤ T·N·2^48; T·N ≤ 2^15 keeps it below 2^64 (uint64) for every input. */
export const MAX_TILE_VALUES = 1 << 15;

export class InvalidWorkShape extends Error {
  constructor(
    readonly field: keyof WorkShape | "tile",
    readonly value: number,
    reason: string,
  ) {
    super(`Invalid work shape: ${field} = ${value}: ${reason}.`);
  }
}

const isPowerOfTwo = (x: number) => Number.isSafeInteger(x) && x > 0 && (x & (x - 1)) === 0 && x <= 2 ** 30;

/** Throws InvalidWorkShape unless the shape is one the three implementations agree on exactly. */
export function validateShape(shape: WorkShape): WorkShape {
  const { rows, cols, inner, tileRows, groupTiles } = shape;
  if (!Number.isSafeInteger(inner) || inner < ENTRIES_PER_WORD || inner > MAX_INNER || inner % ENTRIES_PER_WORD)
    throw new InvalidWorkShape(
      "inner",
      inner,
      `must be a multiple of ${ENTRIES_PER_WORD} in [${ENTRIES_PER_WORD}, ${MAX_INNER}]`,
    );
  if (!isPowerOfTwo(cols) || cols > MAX_COLS)
    throw new InvalidWorkShape("cols", cols, `must be a power of two ≤ ${MAX_COLS}`);
  if (!isPowerOfTwo(tileRows)) throw new InvalidWorkShape("tileRows", tileRows, "must be a power of two");
  if (!Number.isSafeInteger(rows) || rows < tileRows || rows > MAX_ROWS || rows % tileRows)
    throw new InvalidWorkShape("rows", rows, `must be a multiple of tileRows (${tileRows}), at most ${MAX_ROWS}`);
  if (tileRows * cols > MAX_TILE_VALUES)
    throw new InvalidWorkShape("tile", tileRows * cols, `tileRows · cols must be ≤ ${MAX_TILE_VALUES}`);
  const tiles = rows / tileRows;
  if (!isPowerOfTwo(groupTiles) || groupTiles > MAX_GROUP_TILES || tiles % groupTiles)
    throw new InvalidWorkShape(
      "groupTiles",
      groupTiles,
      `must be a power of two ≤ ${MAX_GROUP_TILES} that divides the ${tiles} tiles of a round`,
    );
  if (tiles / groupTiles > MAX_LEAVES_PER_ROUND)
    throw new InvalidWorkShape(
      "groupTiles",
      groupTiles,
      `gives ${tiles / groupTiles} leaves a round, more than ${MAX_LEAVES_PER_ROUND}`,
    );
  return shape;
}

export const tilesPerRound = (shape: WorkShape) => shape.rows / shape.tileRows;
/** FLOPs of one round: 2·M·N·K (a multiply and an add per term). */
export const flopsPerRound = (shape: WorkShape) => 2n * BigInt(shape.rows) * BigInt(shape.cols) * BigInt(shape.inner);
/** Groups (leaves) of one round: M/(T·G). */
export const groupsPerRound = (shape: WorkShape) => shape.rows / (shape.tileRows * shape.groupTiles);
/** Tiles of a challenge of `rounds` rounds: what an audit samples from. */
export const tileCount = (shape: WorkShape, rounds: number) => rounds * tilesPerRound(shape);
/** Leaves of a challenge of `rounds` rounds (unpadded): one per group. */
export const leafCount = (shape: WorkShape, rounds: number) => rounds * groupsPerRound(shape);

function checkIndex(name: string, value: number, limit: number) {
  if (!Number.isSafeInteger(value) || value < 0 || value >= limit)
    throw new RangeError(`${name} must be in [0, ${limit}), got ${value}`);
}

/** Tile τ = r·(M/T) + t → (r, t), checked against `rounds`. */
export function tilePosition(shape: WorkShape, rounds: number, tileIndex: number): { round: number; tile: number } {
  const tiles = tilesPerRound(shape);
  checkIndex("tile index", tileIndex, rounds * tiles);
  return { round: Math.floor(tileIndex / tiles), tile: tileIndex % tiles };
}

/** Tile τ's group: its leaf λ = τ / G, that leaf's round and group within the round (λ = r·M/(T·G) + g), and the
 * tile's position p = τ mod G in the group (where its statistic sits in the leaf's, and reveal's, 8·G bytes). */
export function groupOfTile(
  shape: WorkShape,
  tileIndex: number,
): { leaf: number; round: number; group: number; position: number } {
  checkIndex("tile index", tileIndex, MAX_ROUNDS * tilesPerRound(shape));
  const leafIndex = Math.floor(tileIndex / shape.groupTiles);
  const groups = groupsPerRound(shape);
  return {
    leaf: leafIndex,
    round: Math.floor(leafIndex / groups),
    group: leafIndex % groups,
    position: tileIndex % shape.groupTiles,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The generator, reference (BigInt)

/** The splitmix64 finalizer (logical shifts, products mod 2^64). */
export function mix64(z: bigint): bigint {
  z &= MASK_64;
  z ^= z >> 30n;
  z = (z * MIX_1) & MASK_64;
  z ^= z >> 27n;
  z = (z * MIX_2) & MASK_64;
  return z ^ (z >> 31n);
}

/** seed64: the seed's low 64 bits (uint64(uint256(seed))). */
export const seed64Of = (seed: Hex) => BigInt(seed) & MASK_64;

/**
 * The counter of word w of row/column i of matrix m (0: A's rows, 1: B_r's columns) in round r:
 * c = (((m << 23 | r) << 20 | i) << 20) | w. A is the same in every round, so its rows use r = 0 only: a matrix-0
 * counter with r ≠ 0 would name words nothing generates (and that a careless caller might take for A's).
 */
export function counter(round: number, matrix: 0 | 1, index: number, wordIndex: number): bigint {
  checkIndex("round", round, MAX_ROUNDS);
  checkIndex("index", index, MAX_ROWS);
  checkIndex("word index", wordIndex, MAX_WORDS);
  if (matrix !== 0 && matrix !== 1) throw new RangeError(`matrix must be 0 or 1, got ${String(matrix)}`);
  if (matrix === 0 && round !== 0) throw new RangeError(`A is round-independent: matrix 0 has round 0, got ${round}`);
  return (
    (((((BigInt(matrix) << BigInt(ROUND_BITS)) | BigInt(round)) << BigInt(INDEX_BITS)) | BigInt(index)) <<
      BigInt(WORD_BITS)) |
    BigInt(wordIndex)
  );
}

/** word(seed64, r, m, i, w) = mix64(seed64 + (c + 1)·GOLDEN). */
export const word = (seed64: bigint, round: number, matrix: 0 | 1, index: number, wordIndex: number) =>
  mix64(seed64 + (counter(round, matrix, index, wordIndex) + 1n) * GOLDEN);

/** entry(word, n) = the low 5 bits of byte n − 16, in −16…15. */
export const entry = (w: bigint, n: number) => Number((w >> BigInt(8 * n)) & 31n) - 16;

// ---------------------------------------------------------------------------------------------------------------
// The generator, fast (32-bit halves in numbers)

/** lo 32 bits of a·b for uint32 a, b, and the carry into the high word, exact through 16-bit limbs. */
function mulHalves(a: number, b: number, out: Float64Array) {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  // Each limb product < 2^32; the sum of three < 2^34: exact in a double.
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  out[0] = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  out[1] = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(mid / 65536);
}

const M1_HI = Number(MIX_1 >> 32n);
const M1_LO = Number(MIX_1 & 0xffffffffn);
const M2_HI = Number(MIX_2 >> 32n);
const M2_LO = Number(MIX_2 & 0xffffffffn);
const G_HI = Number(GOLDEN >> 32n);
const G_LO = Number(GOLDEN & 0xffffffffn);

/**
 * Writes the K entries of row `index` of matrix `matrix` in round `round` into `out` at `offset`: the K/8 words
 * of a row are consecutive counters, so their mix64 inputs step by GOLDEN from a BigInt-computed base.
 */
export function generateRow(
  seed64: bigint,
  round: number,
  matrix: 0 | 1,
  index: number,
  inner: number,
  out: Int8Array,
  offset = 0,
) {
  if (inner % ENTRIES_PER_WORD || inner > MAX_INNER || offset < 0 || offset + inner > out.length)
    throw new RangeError("generateRow: the row does not fit its buffer, or K is not a multiple of 8");
  const base = (seed64 + (counter(round, matrix, index, 0) + 1n) * GOLDEN) & MASK_64;
  let hi = Number(base >> 32n);
  let lo = Number(base & 0xffffffffn);
  const product = new Float64Array(2);
  const words = inner / ENTRIES_PER_WORD;
  for (let w = 0; w < words; w++) {
    // z ^= z >> 30
    let zl = (lo ^ ((lo >>> 30) | (hi << 2))) >>> 0;
    let zh = (hi ^ (hi >>> 30)) >>> 0;
    // z *= MIX_1: lo·lo in full, the cross terms' low 32 bits into the high word (mod 2^64).
    mulHalves(zl, M1_LO, product);
    let nh = (product[1]! + Math.imul(zh, M1_LO) + Math.imul(zl, M1_HI)) >>> 0;
    zl = product[0]!;
    zh = nh;
    // z ^= z >> 27
    zl = (zl ^ ((zl >>> 27) | (zh << 5))) >>> 0;
    zh = (zh ^ (zh >>> 27)) >>> 0;
    // z *= MIX_2
    mulHalves(zl, M2_LO, product);
    nh = (product[1]! + Math.imul(zh, M2_LO) + Math.imul(zl, M2_HI)) >>> 0;
    zl = product[0]!;
    zh = nh;
    // z ^= z >> 31
    zl = (zl ^ ((zl >>> 31) | (zh << 1))) >>> 0;
    zh = (zh ^ (zh >>> 31)) >>> 0;
    // Bytes 0–3 from the low half, 4–7 from the high half.
    let at = offset + w * ENTRIES_PER_WORD;
    for (let n = 0; n < 4; n++) out[at++] = ((zl >>> (8 * n)) & 31) - 16;
    for (let n = 0; n < 4; n++) out[at++] = ((zh >>> (8 * n)) & 31) - 16;
    // The next counter: x += GOLDEN (mod 2^64).
    const sum = lo + G_LO;
    lo = sum >>> 0;
    hi = (hi + G_HI + (sum > 0xffffffff ? 1 : 0)) >>> 0;
  }
}

/** Row i of A (K entries): the same in every round. */
export function generateRowA(seed: Hex, shape: WorkShape, row: number): Int8Array {
  checkIndex("row", row, shape.rows);
  const out = new Int8Array(shape.inner);
  generateRow(seed64Of(seed), 0, 0, row, shape.inner, out);
  return out;
}

/** Rows [firstRow, firstRow + count) of A, row-major (row firstRow + i at i·K): generate once, reuse in every
 * round. */
export function generateA(seed64: bigint, shape: WorkShape, firstRow = 0, count = shape.rows - firstRow): Int8Array {
  checkIndex("first row", firstRow, shape.rows);
  if (!Number.isSafeInteger(count) || count < 1 || firstRow + count > shape.rows)
    throw new RangeError(`generateA: rows [${firstRow}, ${firstRow + count}) are not rows of A`);
  const out = new Int8Array(count * shape.inner);
  for (let i = 0; i < count; i++) generateRow(seed64, 0, 0, firstRow + i, shape.inner, out, i * shape.inner);
  return out;
}

/** Column j of B_r (K entries; B's columns are generated as rows). */
export function generateColumnB(seed: Hex, shape: WorkShape, round: number, col: number): Int8Array {
  checkIndex("column", col, shape.cols);
  const out = new Int8Array(shape.inner);
  generateRow(seed64Of(seed), round, 1, col, shape.inner, out);
  return out;
}

/** All of B_r's columns, column-major: column j at j·K. */
export function generateB(seed64: bigint, shape: WorkShape, round: number): Int8Array {
  checkIndex("round", round, MAX_ROUNDS);
  const out = new Int8Array(shape.cols * shape.inner);
  for (let j = 0; j < shape.cols; j++) generateRow(seed64, round, 1, j, shape.inner, out, j * shape.inner);
  return out;
}

/** The dot product of two K-entry rows; |result| ≤ 256·K ≤ 2^24, exact in plain numbers. */
function dot(a: Int8Array, aAt: number, b: Int8Array, bAt: number, inner: number): number {
  let sum = 0;
  for (let k = 0; k < inner; k++) sum += a[aAt + k]! * b[bAt + k]!;
  return sum;
}

/** C_r[row][col], from one row of A and one column of B (what the fraud proof recomputes). */
export function element(seed: Hex, shape: WorkShape, round: number, row: number, col: number): number {
  validateShape(shape);
  checkIndex("round", round, MAX_ROUNDS);
  return dot(generateRowA(seed, shape, row), 0, generateColumnB(seed, shape, round, col), 0, shape.inner);
}

/**
 * Tile t of round r: T·N values, row-major. `b` (generateB's, for this round) may be passed to reuse one round's
 * B across its tiles; `aRows` (the tile's T rows of A, T·K: generateA(seed64, shape, t·T, T), or a subarray of
 * the whole of A) to reuse A across rounds, since A does not depend on the round.
 */
export function computeTile(
  seed: Hex,
  shape: WorkShape,
  round: number,
  tile: number,
  b?: Int8Array,
  aRows?: Int8Array,
): Int32Array {
  const { cols, inner, tileRows } = shape;
  checkIndex("round", round, MAX_ROUNDS);
  checkIndex("tile", tile, tilesPerRound(shape));
  const seed64 = seed64Of(seed);
  b ??= generateB(seed64, shape, round);
  const a = aRows ?? generateA(seed64, shape, tile * tileRows, tileRows);
  if (b.length !== cols * inner || a.length !== tileRows * inner)
    throw new RangeError("computeTile: buffers do not match the shape");
  const out = new Int32Array(tileRows * cols);
  // 2×2 blocks (N and T are powers of two, so even unless 1): each load feeds two multiply-adds.
  if (tileRows % 2 || cols % 2) {
    for (let i = 0; i < tileRows; i++)
      for (let j = 0; j < cols; j++) out[i * cols + j] = dot(a, i * inner, b, j * inner, inner);
    return out;
  }
  for (let i = 0; i < tileRows; i += 2)
    for (let j = 0; j < cols; j += 2) {
      const a0 = i * inner;
      const a1 = a0 + inner;
      const b0 = j * inner;
      const b1 = b0 + inner;
      let c00 = 0;
      let c01 = 0;
      let c10 = 0;
      let c11 = 0;
      for (let k = 0; k < inner; k++) {
        const x0 = a[a0 + k]!;
        const x1 = a[a1 + k]!;
        const y0 = b[b0 + k]!;
        const y1 = b[b1 + k]!;
        c00 += x0 * y0;
        c01 += x0 * y1;
        c10 += x1 * y0;
        c11 += x1 * y1;
      }
      out[i * cols + j] = c00;
      out[i * cols + j + 1] = c01;
      out[(i + 1) * cols + j] = c10;
      out[(i + 1) * cols + j + 1] = c11;
    }
  return out;
}

/** The largest |value| the work produces: 256·K ≤ 2^24. */
const MAX_ABS_VALUE = 256 * MAX_INNER;

/**
 * Σ of the squares of a tile's values, exact: ≤ T·N·2^48 < 2^64 for the work's tiles (validateShape). A revealed
 * tile may hold any int32 (a wrong one): those values are squared in BigInt, and the sum may then pass 2^64
 * (ThroughputWork.tileStat reverts on such a tile).
 */
export function tileStat(values: Int32Array): bigint {
  if (values.length > MAX_TILE_VALUES) throw new RangeError(`a tile has at most ${MAX_TILE_VALUES} values`);
  let total = 0n;
  let acc = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > MAX_ABS_VALUE || v < -MAX_ABS_VALUE) {
      total += BigInt(v) * BigInt(v);
      continue;
    }
    // v² ≤ 2^48 and acc < 2^52 before the add, so acc stays < 2^53: exact.
    acc += v * v;
    if (acc >= 2 ** 52) {
      total += BigInt(acc);
      acc = 0;
    }
  }
  return total + BigInt(acc);
}

// ---------------------------------------------------------------------------------------------------------------
// Leaves, tiles on the wire, audits

const bytes32 = (hex: Hex, name: string) => {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new RangeError(`${name} must be 32 bytes of hex`);
  return hexToBytes(hex);
};

/** The statistics of a group as the contract reads them (reveal's groupStats): big-endian uint64s, 8 bytes each. */
export function encodeStats(stats: BigUint64Array): Uint8Array {
  const out = new Uint8Array(stats.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < stats.length; i++) view.setBigUint64(i * 8, stats[i]!);
  return out;
}

/** A group's G statistics from their 8·G big-endian bytes. */
export function decodeStats(bytes: Uint8Array, shape: WorkShape): BigUint64Array {
  const count = shape.groupTiles;
  if (bytes.length !== count * 8)
    throw new RangeError(`a group's statistics are ${count * 8} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new BigUint64Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getBigUint64(i * 8);
  return out;
}

/** The leaf's input: seed, r and g, then the 8·G bytes of statistics (bounds checked here, once). */
function leafInput(seed: Hex, round: number, group: number, statsBytes: number): Uint8Array {
  checkIndex("round", round, MAX_ROUNDS);
  checkIndex("group", group, MAX_ROWS);
  const tiles = statsBytes / 8;
  if (!isPowerOfTwo(tiles) || tiles > MAX_GROUP_TILES)
    throw new RangeError(
      `a group's statistics are 8·G bytes (G a power of two ≤ ${MAX_GROUP_TILES}), got ${statsBytes} bytes`,
    );
  const input = new Uint8Array(40 + statsBytes);
  input.set(bytes32(seed, "seed"), 0);
  const view = new DataView(input.buffer);
  view.setUint32(32, round);
  view.setUint32(36, group);
  return input;
}

/**
 * leaf = sha256(seed ‖ uint32 r ‖ uint32 g ‖ stats), with `groupStats` the group's G statistics already encoded
 * (encodeStats: 8·G bytes big-endian, what reveal carries): 40 + 8·G bytes in, 32 out. The prover hashes the
 * bytes it has, with no BigInt round trip.
 */
export function leafOfEncoded(seed: Hex, round: number, group: number, groupStats: Uint8Array): Uint8Array {
  const input = leafInput(seed, round, group, groupStats.length);
  input.set(groupStats, 40);
  return new Uint8Array(hash("sha256", input, "buffer"));
}

/** leaf(seed, r, g, stats) = sha256(seed ‖ uint32 r ‖ uint32 g ‖ stat_0 ‖ … ‖ stat_{G−1}), big-endian; `stats`
 * holds the group's G statistics in tile order. At G = 256 the cost is sha256's over 2,088 bytes (~7·10^4 leaves/s
 * on one core here, scripts/bench/verification.ts), about twice what 8 H100s' ~10^7 tiles/s make (4·10^4). */
export function leaf(seed: Hex, round: number, group: number, stats: BigUint64Array): Uint8Array {
  const input = leafInput(seed, round, group, stats.length * 8);
  const view = new DataView(input.buffer);
  for (let i = 0; i < stats.length; i++) view.setBigUint64(40 + i * 8, stats[i]!);
  return new Uint8Array(hash("sha256", input, "buffer"));
}

/** A tile as the contract reads it: T·N int32, big-endian two's complement, row-major. */
export function encodeTile(values: Int32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i]!);
  return out;
}

export function decodeTile(bytes: Uint8Array, shape: WorkShape): Int32Array {
  const count = shape.tileRows * shape.cols;
  if (bytes.length !== count * 4) throw new RangeError(`a tile is ${count * 4} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4);
  return out;
}

/** The audited tiles: τ_s = uint256(keccak256(abi.encode(auditHash, seed, s))) % (R·M/T), s = 0…7 (duplicates
 * allowed); each is checked through its group's leaf (groupOfTile). */
export function auditIndices(auditHash: Hex, seed: Hex, tileCount: number): number[] {
  bytes32(auditHash, "auditHash");
  bytes32(seed, "seed");
  if (!Number.isSafeInteger(tileCount) || tileCount < 1) throw new RangeError("tile count must be a positive integer");
  return Array.from({ length: AUDIT_SAMPLES }, (_, s) =>
    Number(
      BigInt(
        keccak256(
          encodeAbiParameters(
            [{ type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }],
            [auditHash, seed, BigInt(s)],
          ),
        ),
      ) % BigInt(tileCount),
    ),
  );
}
