"use client";

import { useSwitchChain } from "wagmi";
import { describeError } from "@/lib/errors";
import { appChain } from "@/lib/wagmi/config";
import { Panel } from "./WalletPanel";

export function WrongNetwork({ walletChainId }: { walletChainId: number | undefined }) {
  const { switchChain, isPending, error } = useSwitchChain();
  return (
    <Panel>
      <div role="alert">
        <h2 className="font-semibold text-amber-300">Wrong network</h2>
        <p className="mt-1 text-stone-300">
          Your wallet is on chain {walletChainId ?? "unknown"}. Hourglass runs on {appChain.name} (chain {appChain.id}).
        </p>
      </div>
      <button
        type="button"
        className="btn-primary mt-4"
        disabled={isPending}
        onClick={() => switchChain({ chainId: appChain.id })}
      >
        {isPending ? "Switching…" : `Switch to ${appChain.name}`}
      </button>
      {error && <p className="mt-2 text-sm text-rose-300">{describeError(error)}</p>}
    </Panel>
  );
}
