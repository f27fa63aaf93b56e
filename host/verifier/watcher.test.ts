/**
 * The watcher's check of revealed tiles, against the work itself: right tiles pass; a swap of two values (which
 * keeps the tile's statistic, so the contract's reveal checks pass) and a tile of another leaf are found, at
 * their first wrong value.
 */
import { describe, expect, it } from "vitest";
import { computeTile, LOCAL_SHAPE, tileStat } from "../../lib/verification/work";
import { firstWrongValue } from "./watcher";

const seed = `0x${"5a".repeat(31)}07` as const;
const shape = LOCAL_SHAPE;
const rounds = 3;
const tilesPerRound = shape.rows / shape.tileRows;
const indices = [0, 5, 9, 23, 23, 17, 2, 11];
const honest = () => indices.map((l) => computeTile(seed, shape, Math.floor(l / tilesPerRound), l % tilesPerRound));

describe("firstWrongValue", () => {
  it("finds nothing wrong in the work's own tiles", async () => {
    expect(await firstWrongValue(seed, shape, rounds, indices, honest())).toBeUndefined();
  });

  it("finds two swapped values, which keep the statistic, at the first of them", async () => {
    const tiles = honest();
    const tile = tiles[3]!;
    const before = tileStat(tile);
    // The first pair of neighbours that differ, past the first row: the swap must change the tile.
    let j = shape.cols + 1;
    while (tile[j] === tile[j + 1]) j++;
    [tile[j], tile[j + 1]] = [tile[j + 1]!, tile[j]!];
    expect(tileStat(tile)).toBe(before);
    expect(await firstWrongValue(seed, shape, rounds, indices, tiles)).toEqual({
      sample: 3,
      row: Math.floor(j / shape.cols),
      col: j % shape.cols,
      revealed: tile[j],
      expected: tile[j + 1],
    });
  });

  it("finds a tile of another leaf revealed in place of the audited one", async () => {
    const tiles = honest();
    tiles[6] = computeTile(seed, shape, 0, 3); // leaf 3, not the audited leaf 2
    const wrong = await firstWrongValue(seed, shape, rounds, indices, tiles);
    expect(wrong?.sample).toBe(6);
    expect(wrong?.revealed).not.toBe(wrong?.expected);
  });

  it("refuses an audited index past the challenge's leaves", async () => {
    await expect(firstWrongValue(seed, shape, 1, [tilesPerRound], [computeTile(seed, shape, 1, 0)])).rejects.toThrow(
      RangeError,
    );
  });
});
