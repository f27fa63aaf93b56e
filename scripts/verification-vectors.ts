/**
 * Vectors that hold ThroughputWork.sol to lib/verification/work.ts (the work v2: A the same in every round, one
 * leaf per group of G tiles, audits over tiles): generator words (A's at round 0, B's up to round 2^23 − 1),
 * output elements at K = 256 (the local shape) and K = 65,536 (the GPU shape), tiles with their statistics,
 * groups with their leaves, a small Merkle tree over group leaves with proofs, and audit indices over tile counts.
 * Written to contracts/test/fixtures/throughput-vectors.json, which is committed; scripts/verification-vectors.test.ts
 * fails when the file differs from what this writes.
 * Usage: npm run verification:vectors
 *
 * Format, for forge's vm.parseJson (which decodes objects into structs by key in alphabetical order): every
 * object's keys are written sorted; uint64s (words, statistics) are decimal strings, other integers plain JSON
 * numbers, bytes 0x-hex strings.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { bytesToHex, encodeAbiParameters, keccak256, type Hex } from "viem";
import { MerkleTree } from "../lib/verification/merkle";
import {
  auditIndices,
  computeTile,
  element,
  encodeStats,
  encodeTile,
  generateA,
  generateB,
  GPU_SHAPE,
  groupsPerRound,
  leaf,
  LOCAL_SHAPE,
  MAX_COLS,
  MAX_ROUNDS,
  MAX_ROWS,
  seed64Of,
  tileCount,
  tileStat,
  tilesPerRound,
  word,
  type WorkShape,
} from "../lib/verification/work";

export const VECTORS_FILE = path.join(import.meta.dirname, "../contracts/test/fixtures/throughput-vectors.json");

/** The contract tests' shape (contracts/test/utils/ProtocolFixture.sol): 4 tiles and 2 leaves a round. */
const FORGE_SHAPE: WorkShape = { rows: 8, cols: 4, inner: 256, tileRows: 2, groupTiles: 2 };
/** The last word index a counter holds (20 bits). */
const LAST_WORD = (1 << 20) - 1;

/** 20 seeds: the two extremes of the low 64 bits, then keccak256(abi.encode("throughput-vectors", i)). */
const SEEDS: Hex[] = [
  `0x${"00".repeat(32)}`,
  `0x${"ff".repeat(32)}`,
  ...Array.from({ length: 18 }, (_, i) =>
    keccak256(encodeAbiParameters([{ type: "string" }, { type: "uint256" }], ["throughput-vectors", BigInt(i)])),
  ),
];

/** A number from a seed, in [0, limit): spreads the vectors over rounds, rows and columns. */
const pick = (seed: Hex, salt: number, limit: number) =>
  Number(
    BigInt(keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [seed, BigInt(salt)]))) %
      BigInt(limit),
  );

const shapeJson = (s: WorkShape) => ({
  cols: s.cols,
  groupTiles: s.groupTiles,
  inner: s.inner,
  rows: s.rows,
  tileRows: s.tileRows,
});

/** The G statistics of group g of round r, computed: A's rows of the group and the round's B generated once. */
function groupStats(seed: Hex, shape: WorkShape, round: number, group: number): BigUint64Array {
  const { groupTiles, tileRows, inner } = shape;
  const seed64 = seed64Of(seed);
  const b = generateB(seed64, shape, round);
  const a = generateA(seed64, shape, group * groupTiles * tileRows, groupTiles * tileRows);
  return BigUint64Array.from({ length: groupTiles }, (_, p) =>
    tileStat(
      computeTile(
        seed,
        shape,
        round,
        group * groupTiles + p,
        b,
        a.subarray(p * tileRows * inner, (p + 1) * tileRows * inner),
      ),
    ),
  );
}

export function throughputVectors() {
  const words = SEEDS.slice(0, 4).flatMap((seed) =>
    (
      [
        [0, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 3, 7],
        [0, 0, MAX_ROWS - 1, LAST_WORD],
        [1, 1, 3, 7],
        [MAX_ROUNDS - 2, 1, 12_345, 4_095],
        [MAX_ROUNDS - 1, 1, MAX_COLS - 1, LAST_WORD],
      ] as const
    ).map(([round, matrix, index, wordIndex]) => ({
      index,
      matrix,
      round,
      seed,
      word: word(seed64Of(seed), round, matrix, index, wordIndex).toString(),
      wordIndex,
    })),
  );

  const elements = [LOCAL_SHAPE, GPU_SHAPE].flatMap((shape) =>
    SEEDS.flatMap((seed) =>
      [
        [0, 0, 0],
        [MAX_ROUNDS - 1, shape.rows - 1, shape.cols - 1],
        [pick(seed, 1, MAX_ROUNDS), pick(seed, 2, shape.rows), pick(seed, 3, shape.cols)],
      ].map(([round, row, col]) => ({
        col: col!,
        round: round!,
        row: row!,
        seed,
        shape: shapeJson(shape),
        value: element(seed, shape, round!, row!, col!),
      })),
    ),
  );

  const tiles = (
    [
      [SEEDS[2]!, LOCAL_SHAPE, 3, 5],
      [SEEDS[2]!, LOCAL_SHAPE, MAX_ROUNDS - 1, 7],
      [SEEDS[3]!, FORGE_SHAPE, 7, 2],
    ] as const
  ).map(([seed, shape, round, tile]) => {
    const values = computeTile(seed, shape, round, tile);
    return {
      round,
      seed,
      shape: shapeJson(shape),
      stat: tileStat(values).toString(),
      tile,
      values: bytesToHex(encodeTile(values)),
    };
  });

  // Computed groups at the local and contract tests' shapes. At the GPU shape (G = 256, 2,088 bytes a leaf) the
  // statistics are keccak-derived uint64s, the largest included: the leaf hashes whatever 8·G bytes a reveal
  // carries, and computing 256 real tiles at K = 65,536 on CPU takes minutes.
  const gpuStats = BigUint64Array.from({ length: GPU_SHAPE.groupTiles }, (_, i) =>
    i === 0 ? (1n << 64n) - 1n : BigInt(keccak256(encodeAbiParameters([{ type: "uint256" }], [BigInt(i)]))) >> 192n,
  );
  const groups = (
    [
      [SEEDS[6]!, LOCAL_SHAPE, 0, 1, undefined],
      [SEEDS[6]!, LOCAL_SHAPE, MAX_ROUNDS - 1, 0, undefined],
      [SEEDS[7]!, FORGE_SHAPE, 5, 1, undefined],
      [SEEDS[8]!, GPU_SHAPE, MAX_ROUNDS - 1, groupsPerRound(GPU_SHAPE) - 1, gpuStats],
    ] as const
  ).map(([seed, shape, round, group, given]) => {
    const stats = given ?? groupStats(seed, shape, round, group);
    return {
      group,
      leaf: bytesToHex(leaf(seed, round, group, stats)),
      round,
      seed,
      shape: shapeJson(shape),
      stats: bytesToHex(encodeStats(stats)),
    };
  });

  // Challenges at the contract tests' shape (2 leaves a round): 4 rounds, 8 leaves; and 5 leaves (padded to 8).
  const merkle = [8, 5].map((leafCount) => {
    const seed = SEEDS[4]!;
    const groups = groupsPerRound(FORGE_SHAPE);
    const leaves = Array.from({ length: leafCount }, (_, l) => {
      const round = Math.floor(l / groups);
      const g = l % groups;
      return leaf(seed, round, g, groupStats(seed, FORGE_SHAPE, round, g));
    });
    const tree = MerkleTree.fromLeaves(leaves);
    return {
      leafCount,
      leaves: leaves.map((l) => bytesToHex(l)),
      proofs: leaves.map((_, i) => tree.proof(i)),
      root: tree.root,
      seed,
      shape: shapeJson(FORGE_SHAPE),
    };
  });

  // Tile counts: one tile, a round at the contract tests' shape, a 3-round local challenge, and the largest
  // challenges at the GPU shape (2^23 rounds × 1,024 tiles = 2^33) and at the local shape.
  const audits = [
    1,
    tilesPerRound(FORGE_SHAPE),
    tileCount(LOCAL_SHAPE, 3),
    tileCount(GPU_SHAPE, MAX_ROUNDS),
    tileCount(LOCAL_SHAPE, MAX_ROUNDS),
  ].map((count, n) => {
    const auditHash = SEEDS[5 + n]!;
    const seed = SEEDS[10 + n]!;
    return { auditHash, indices: auditIndices(auditHash, seed, count), seed, tileCount: count };
  });

  return { audits, elements, groups, merkle, tiles, words };
}

/** The JSON, keys sorted as written (bigints are never passed: uint64s are already decimal strings). */
export function vectorsJson(): string {
  return `${JSON.stringify(throughputVectors(), null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(VECTORS_FILE, vectorsJson());
  console.log(`verification:vectors: ${path.relative(process.cwd(), VECTORS_FILE)} written`);
}
