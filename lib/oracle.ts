/**
 * The keeper duty that keeps the registry's reference price alive. The price is a TWAP over one to two windows
 * ending now, built from readings someone records with `ProviderRegistry.observe()` (which passes the call to its
 * PriceOracle); with no reading for two
 * windows there is no price, and mints, withdrawals and liquidations refuse. A reading every half window keeps
 * one always usable, so this records one whenever the newest is half a window old. Host agents (with their
 * operator key) and `npm run keeper` run it; anyone may.
 */
import { parseEventLogs, type Address, type Hex, type PublicClient } from "viem";
import { priceOracleAbi, providerRegistryAbi } from "./contracts/abis";

export interface OracleState {
  /** Chain time of the block read. */
  now: number;
  /** Unix seconds of the newest reading (0: none). */
  newestObservation: number;
  /** ProviderRegistry.twapWindow(), seconds. */
  twapWindow: number;
  /** Whether a reference price exists now. */
  fresh: boolean;
}

/** The oracle's state at the newest block. */
export async function readOracle(client: PublicClient, registry: Address): Promise<OracleState> {
  const block = await client.getBlock();
  const at = { address: registry, abi: providerRegistryAbi, blockNumber: block.number } as const;
  const [[, , fresh, newestObservation], twapWindow] = await Promise.all([
    client.readContract({ ...at, functionName: "priceState" }),
    client.readContract({ ...at, functionName: "twapWindow" }),
  ]);
  return {
    now: Number(block.timestamp),
    newestObservation: Number(newestObservation),
    twapWindow: Number(twapWindow),
    fresh,
  };
}

/** Whether `observe()` would record a reading: none yet, or the newest is at least half a window old (the
 * registry's own rule, TwapOracle.observe). */
export const readingDue = ({ now, newestObservation, twapWindow }: OracleState) =>
  newestObservation === 0 || now - newestObservation >= Math.floor(twapWindow / 2);

export type KeeperOutcome =
  { recorded: true; hash: Hex; at: number; state: OracleState } | { recorded: false; state: OracleState; hash?: Hex };

/**
 * Records a reading when one is due. `sendObserve` sends `ProviderRegistry.observe()` from the caller's account
 * (through the caller's own transaction queue) and resolves with its hash once mined. When someone else recorded
 * in between, the call is a harmless no-op and the outcome says nothing was recorded.
 */
export async function observeIfDue(
  client: PublicClient,
  registry: Address,
  sendObserve: () => Promise<Hex>,
): Promise<KeeperOutcome> {
  const state = await readOracle(client, registry);
  if (!readingDue(state)) return { recorded: false, state };
  const hash = await sendObserve();
  const receipt = await client.getTransactionReceipt({ hash });
  // The oracle contract records it (the registry's `observe` passes the call on).
  const [observed] = parseEventLogs({ abi: priceOracleAbi, eventName: "PriceObserved", logs: receipt.logs });
  return observed ? { recorded: true, hash, at: observed.args.timestamp, state } : { recorded: false, state, hash };
}

/** One line for a log: what the duty did and why. */
export function describeOutcome(outcome: KeeperOutcome): string {
  const { now, newestObservation, twapWindow } = outcome.state;
  const age = newestObservation === 0 ? "none recorded yet" : `the newest was ${now - newestObservation} s old`;
  if (outcome.recorded) return `recorded a price reading at ${outcome.at} (${age}) in ${outcome.hash}`;
  if (outcome.hash) return `observe() in ${outcome.hash} recorded nothing: someone recorded a reading just before`;
  return `no reading due: ${age}, due at ${Math.floor(twapWindow / 2)} s`;
}
