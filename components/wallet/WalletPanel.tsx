"use client";

import { ConnectButton } from "@rainbow-me/rainbowkit";
import type { ReactNode } from "react";
import { useAccount } from "wagmi";
import { appChain, appDeployment, onLocalChain } from "@/lib/wagmi/config";
import { BalanceCard } from "./BalanceCard";
import { FaucetForm } from "./FaucetForm";
import { WrongNetwork } from "./WrongNetwork";

/** The first slice end to end: connect, read balances, write through the faucet. */
export function WalletPanel() {
  const { address, chainId, isConnected } = useAccount();

  if (!appDeployment) {
    return (
      <Panel>
        <p role="alert">
          Hourglass has no contracts on {appChain.name} ({appChain.id}) yet. On the local chain,{" "}
          <code>npm run dev</code> deploys them.
        </p>
      </Panel>
    );
  }
  if (!isConnected || !address) {
    return (
      <Panel>
        <p className="mb-3 text-stone-300">Connect a wallet to see your balances and get test USDC.</p>
        <ConnectButton />
      </Panel>
    );
  }
  if (chainId !== appChain.id) return <WrongNetwork walletChainId={chainId} />;

  return (
    <div className="grid gap-6">
      <BalanceCard account={address} />
      {onLocalChain && (
        <Panel>
          <FaucetForm />
        </Panel>
      )}
    </div>
  );
}

export function Panel({ children }: { children: ReactNode }) {
  return <section className="panel">{children}</section>;
}
