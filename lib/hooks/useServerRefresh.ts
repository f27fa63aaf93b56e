/**
 * Re-renders the page's server components every `ms` while the tab is visible, for a page whose data the
 * server reads from the chain (Next keeps the client components' state across a refresh).
 */
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function useServerRefresh(ms: number) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => document.visibilityState === "visible" && router.refresh(), ms);
    return () => clearInterval(timer);
  }, [router, ms]);
}
