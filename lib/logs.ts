/**
 * Event logs over a long span of blocks, read as public RPCs allow: eth_getLogs in ranges of at most
 * LOG_RANGE blocks (providers cap a query's range, often at 10,000 blocks, or its results), one after another.
 * Every reader of contract events goes through here; an indexer (docs/indexing.md) replaces them at scale.
 */

/** Most blocks one eth_getLogs asks for. */
export const LOG_RANGE = 5_000n;

/** `read` for each range of at most LOG_RANGE blocks from `fromBlock` to `toBlock`, results in block order. */
export async function inBlockRanges<T>(
  fromBlock: bigint,
  toBlock: bigint,
  read: (range: { fromBlock: bigint; toBlock: bigint }) => Promise<T[]>,
): Promise<T[]> {
  const all: T[] = [];
  for (let start = fromBlock; start <= toBlock; start += LOG_RANGE) {
    const end = start + LOG_RANGE - 1n < toBlock ? start + LOG_RANGE - 1n : toBlock;
    all.push(...(await read({ fromBlock: start, toBlock: end })));
  }
  return all;
}
