/** The wall clock in whole seconds, ticking once a second; undefined on the server and while hydrating. */
import { useSyncExternalStore } from "react";

function subscribe(onTick: () => void) {
  const timer = setInterval(onTick, 1000);
  return () => clearInterval(timer);
}
const nowSeconds = () => Math.floor(Date.now() / 1000);

export const useClock = (): number | undefined => useSyncExternalStore(subscribe, nowSeconds, () => undefined);

/** Chain time now, ticking: the time of the last block read (`chainNow`, read at `readAtMs` by this browser's
 * clock) carried on by this browser's clock. Chain time need not be wall time (a test chain is moved ahead). */
export function useChainClock(chainNow: number, readAtMs: number): number {
  const clock = useClock();
  return clock === undefined ? chainNow : Math.max(chainNow, chainNow + clock - Math.floor(readAtMs / 1000));
}
