/**
 * The watcher's check of revealed tiles, against the work itself, by tile index (the audit samples tiles; a leaf
 * covers a group of G of them): right tiles pass; a swap of two values (which keeps the tile's statistic, so the
 * contract's reveal checks pass) and another tile of the audited tile's own group (its statistic is in the group's
 * revealed statistics too) are found, at their first wrong value.
 */
import { describe, expect, it } from "vitest";
import { computeTile, groupOfTile, LOCAL_SHAPE, tileStat } from "../../lib/verification/work";
import { firstWrongValue } from "./watcher";

const seed = `0x${"5a".repeat(31)}07` as const;
const shape = LOCAL_SHAPE;
const rounds = 3;
const tilesPerRound = shape.rows / shape.tileRows;
/** Audited tile indices τ = r·M/T + t (8 tiles a round at the local shape, in 2 groups of 4). */
const indices = [0, 5, 9, 23, 23, 17, 2, 11];
const honest = () => indices.map((t) => computeTile(seed, shape, Math.floor(t / tilesPerRound), t % tilesPerRound));

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

  it("finds another tile of the audited tile's group revealed in place of it", async () => {
    const tiles = honest();
    // Tile 3 shares tile 2's group (and so its leaf and proof): only the values tell them apart.
    expect(groupOfTile(shape, 3).leaf).toBe(groupOfTile(shape, indices[6]!).leaf);
    tiles[6] = computeTile(seed, shape, 0, 3);
    const wrong = await firstWrongValue(seed, shape, rounds, indices, tiles);
    expect(wrong?.sample).toBe(6);
    expect(wrong?.revealed).not.toBe(wrong?.expected);
  });

  it("refuses an audited tile index past the challenge's tiles", async () => {
    await expect(firstWrongValue(seed, shape, 1, [tilesPerRound], [computeTile(seed, shape, 1, 0)])).rejects.toThrow(
      RangeError,
    );
  });
});
