/**
 * The SCU/USDC pool's state and history as the pool page and its position route read them: one multicall
 * for the state (reserves, LP supply, fee, kLast, the factory's protocol fee) and the events through
 * lib/pool/history.ts.
 */
import type { Address, PublicClient } from "viem";
import { isScuToken0, poolState, type PoolState } from "../amm/pool";
import { poolStateCalls } from "./calls";
import { readPoolEvents, type PoolEvent } from "./history";

export interface PoolAddresses {
  ScuUsdcPool: Address;
  ComputeCredit: Address;
  PoolFactory: Address;
}

export interface PoolSnapshot {
  address: Address;
  state: PoolState;
  scuIsToken0: boolean;
  totalSupply: bigint;
  kLast: bigint;
  protocolFee: { recipient: Address; shareBps: bigint };
  /** Chain time of the block read. */
  now: number;
  events: PoolEvent[];
}

export async function readPool(
  client: PublicClient,
  contracts: PoolAddresses,
  fromBlock: bigint,
): Promise<PoolSnapshot> {
  const block = await client.getBlock();
  const [[token0, [r0, r1], fee, totalSupply, kLast, [recipient, shareBps]], events] = await Promise.all([
    client.multicall({
      contracts: poolStateCalls(contracts),
      allowFailure: false,
      blockNumber: block.number,
    }),
    readPoolEvents(client, contracts.ScuUsdcPool, fromBlock),
  ]);
  return {
    address: contracts.ScuUsdcPool,
    state: poolState(token0, contracts.ComputeCredit, r0, r1, fee),
    scuIsToken0: isScuToken0(token0, contracts.ComputeCredit),
    totalSupply,
    kLast,
    protocolFee: { recipient, shareBps },
    now: Number(block.timestamp),
    // Events may have been read a block later than the state: keep them to the state's block.
    events: events.filter((e) => e.blockNumber <= block.number),
  };
}
