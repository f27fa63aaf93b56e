/**
 * The agent's share of the keeper duty (lib/oracle.ts): every `everySeconds` it records a price reading with its
 * operator key when one is due, so the reference price its provider mints against stays alive. Checks never
 * overlap; a failure is logged once per distinct reason, and the next check tries again.
 */
import { describeError } from "../lib/errors";
import { describeOutcome, observeIfDue } from "../lib/oracle";
import type { HostChain } from "./hostChain";

/** Starts the duty; returns the function that stops it. `everySeconds` 0 never checks. */
export function keepPriceFresh(chain: HostChain, everySeconds: number): () => void {
  if (everySeconds === 0) return () => {};
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastFailure: string | undefined;
  const check = async () => {
    try {
      const outcome = await observeIfDue(chain.client, chain.registry, chain.observe);
      // Only what it did: "not due" every minute would drown the agent's log.
      if (outcome.hash) console.log(`price oracle: ${describeOutcome(outcome)}`);
      lastFailure = undefined;
    } catch (error) {
      const reason = describeError(error);
      if (reason !== lastFailure) console.error(`price oracle: could not record a reading: ${reason}`);
      lastFailure = reason;
    }
    if (!stopped) timer = setTimeout(() => void check(), everySeconds * 1000).unref();
  };
  void check();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
