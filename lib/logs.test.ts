import { expect, it } from "vitest";
import { inBlockRanges, LOG_RANGE } from "./logs";

it("reads a span in ranges of at most LOG_RANGE blocks, in order, and nothing for an empty span", async () => {
  const asked: [bigint, bigint][] = [];
  const read = async ({ fromBlock, toBlock }: { fromBlock: bigint; toBlock: bigint }) => {
    asked.push([fromBlock, toBlock]);
    return [fromBlock];
  };
  expect(await inBlockRanges(7n, 7n + 2n * LOG_RANGE, read)).toEqual([7n, 7n + LOG_RANGE, 7n + 2n * LOG_RANGE]);
  expect(asked).toEqual([
    [7n, 6n + LOG_RANGE],
    [7n + LOG_RANGE, 6n + 2n * LOG_RANGE],
    [7n + 2n * LOG_RANGE, 7n + 2n * LOG_RANGE],
  ]);
  expect(await inBlockRanges(10n, 9n, read)).toEqual([]);
});
