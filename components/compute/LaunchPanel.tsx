"use client";

import dynamic from "next/dynamic";
import { useState, useSyncExternalStore } from "react";
import type { ChallengeRequest } from "@/components/verification/ChallengePanel";
import type { LaunchRequest } from "@/lib/hooks/useLaunchJob";

/** The wallet stack (wagmi, RainbowKit: most of a wallet page's JavaScript), fetched only when it is needed. */
const LaunchWallet = dynamic(() => import("./LaunchWallet"), { ssr: false, loading: () => <ActionsSkeleton /> });

const noSubscription = () => () => {};
/** Whether this browser connected a wallet before (wagmi remembers the connector): then load it at once. */
const connectedBefore = () => localStorage.getItem("wagmi.recentConnectorId") !== null;

/**
 * The launch buttons, and the challenge of a host when one is asked for. A first visit gets the quote with no
 * wallet code; the wallet loads when the buyer asks to connect or to challenge a host, or straight away for a
 * browser that connected before.
 */
export function LaunchPanel({
  job,
  blocker,
  challenge,
}: {
  job: LaunchRequest | undefined;
  blocker: string | undefined;
  challenge: ChallengeRequest | undefined;
}) {
  const remembered = useSyncExternalStore(noSubscription, connectedBefore, () => false);
  const [asked, setAsked] = useState(false);
  if (remembered || asked || challenge) return <LaunchWallet job={job} blocker={blocker} challenge={challenge} />;
  return (
    <section className="panel" aria-label="Launch">
      <button type="button" className="btn-primary w-full" onClick={() => setAsked(true)}>
        Connect wallet to launch
      </button>
      <p className="mt-2 min-h-10 text-xs text-stone-400">
        {blocker ??
          "One signature and one transaction buy the credits and fund the job; one more signature sends it to the host."}
      </p>
    </section>
  );
}

export function ActionsSkeleton() {
  return (
    <section className="panel" aria-busy="true" aria-label="Loading the wallet">
      <div className="h-10 w-full animate-pulse rounded-md bg-stone-800" />
      <div className="mt-2 h-10 w-full animate-pulse rounded-md bg-stone-800/60" />
    </section>
  );
}
