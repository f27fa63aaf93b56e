"use client";

import { useServerRefresh } from "@/lib/hooks/useServerRefresh";

/** Keeps a server-rendered page's chain reads fresh: re-renders its server components every `ms`. */
export function ServerRefresh({ ms }: { ms: number }) {
  useServerRefresh(ms);
  return null;
}
