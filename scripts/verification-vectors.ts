/**
 * Vectors that hold ThroughputWork.sol to lib/verification/work.ts: generator words, output elements at
 * K = 256 (the local shape) and K = 65,536 (the GPU shape), tiles with their statistics and leaves, a small
 * Merkle tree with proofs, and audit indices. Written to contracts/test/fixtures/throughput-vectors.json, which
 * is committed; scripts/verification-vectors.test.ts fails when the file differs from what this writes.
 * Usage: npm run verification:vectors
 *
 * Format, for forge's vm.parseJson (which decodes objects into structs by key in alphabetical order): every
 * object's keys are written sorted; integers are plain JSON numbers (words up to 2^64 included, written in full),
 * bytes are 0x-hex strings.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { bytesToHex, encodeAbiParameters, keccak256, type Hex } from "viem";
import { MerkleTree } from "../lib/verification/merkle";
import {
  auditIndices,
  computeTile,
  element,
  encodeTile,
  GPU_SHAPE,
  leaf,
  LOCAL_SHAPE,
  MAX_ROUNDS,
  seed64Of,
  tileStat,
  word,
  type WorkShape,
} from "../lib/verification/work";

export const VECTORS_FILE = path.join(import.meta.dirname, "../contracts/test/fixtures/throughput-vectors.json");

/** Forge unit tests' small shape. */
const FORGE_SHAPE: WorkShape = { rows: 8, cols: 4, inner: 32, tileRows: 2 };

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

const shapeJson = (s: WorkShape) => ({ cols: s.cols, inner: s.inner, rows: s.rows, tileRows: s.tileRows });

export function throughputVectors() {
  const words = SEEDS.slice(0, 4).flatMap((seed) =>
    (
      [
        [0, 0, 0, 0],
        [0, 1, 0, 0],
        [1, 0, 3, 7],
        [MAX_ROUNDS - 1, 1, (1 << 24) - 1, (1 << 20) - 1],
      ] as const
    ).map(([round, matrix, index, wordIndex]) => ({
      index,
      matrix,
      round,
      seed,
      word: word(seed64Of(seed), round, matrix, index, wordIndex),
      wordIndex,
    })),
  );

  const elements = [LOCAL_SHAPE, GPU_SHAPE].flatMap((shape) =>
    SEEDS.flatMap((seed) =>
      [
        [0, 0, 0],
        [MAX_ROUNDS - 1, shape.rows - 1, shape.cols - 1],
        [pick(seed, 1, 1000), pick(seed, 2, shape.rows), pick(seed, 3, shape.cols)],
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
      [SEEDS[3]!, FORGE_SHAPE, 7, 2],
    ] as const
  ).map(([seed, shape, round, tile]) => {
    const values = computeTile(seed, shape, round, tile);
    const stat = tileStat(values);
    return {
      leaf: bytesToHex(leaf(seed, round, tile, stat)),
      round,
      seed,
      shape: shapeJson(shape),
      stat,
      tile,
      values: bytesToHex(encodeTile(values)),
    };
  });

  // A challenge of 2 rounds at the forge shape: 8 leaves, padded to 8; and of 5 leaves (padded to 8).
  const merkle = [8, 5].map((leafCount) => {
    const seed = SEEDS[4]!;
    const tilesPerRound = FORGE_SHAPE.rows / FORGE_SHAPE.tileRows;
    const leaves = Array.from({ length: leafCount }, (_, l) => {
      const round = Math.floor(l / tilesPerRound);
      const t = l % tilesPerRound;
      return leaf(seed, round, t, tileStat(computeTile(seed, FORGE_SHAPE, round, t)));
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

  const audits = [1, 8, 1000, 2 ** 26].map((leafCount, n) => {
    const auditHash = SEEDS[5 + n]!;
    const seed = SEEDS[9 + n]!;
    return { auditHash, indices: auditIndices(auditHash, seed, leafCount), leafCount, seed };
  });

  return { audits, elements, merkle, tiles, words };
}

/** JSON with bigints as plain numbers (JSON has no size limit; forge reads them in full). */
export function vectorsJson(): string {
  const marked = JSON.stringify(
    throughputVectors(),
    (_key, v: unknown) => (typeof v === "bigint" ? `#bigint:${v.toString()}` : v),
    2,
  );
  return `${marked.replace(/"#bigint:(-?[0-9]+)"/g, "$1")}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(VECTORS_FILE, vectorsJson());
  console.log(`verification:vectors: ${path.relative(process.cwd(), VECTORS_FILE)} written`);
}
