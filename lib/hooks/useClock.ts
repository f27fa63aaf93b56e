/** The wall clock in whole seconds, ticking once a second; undefined on the server and while hydrating. */
import { useSyncExternalStore } from "react";

function subscribe(onTick: () => void) {
  const timer = setInterval(onTick, 1000);
  return () => clearInterval(timer);
}
const nowSeconds = () => Math.floor(Date.now() / 1000);

export const useClock = (): number | undefined => useSyncExternalStore(subscribe, nowSeconds, () => undefined);
