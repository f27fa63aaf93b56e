/**
 * The app's wagmi config, from env: NEXT_PUBLIC_CHAIN_ID (default 31337, anvil) and NEXT_PUBLIC_RPC_URL
 * (default the chain's public RPC, or http://127.0.0.1:8545 for anvil). Addresses come from the deployments
 * file of that chain.
 */
import { connectorsForWallets } from "@rainbow-me/rainbowkit";
import { injectedWallet } from "@rainbow-me/rainbowkit/wallets";
import { createConfig, http } from "wagmi";
import { getDeployment, isLocalChain, LOCAL_CHAIN_ID, LOCAL_RPC_URL, resolveChain } from "../chain";
import { burnerWallet } from "./burner";

const chainId = Number(process.env.NEXT_PUBLIC_CHAIN_ID || LOCAL_CHAIN_ID);
const local = isLocalChain(chainId);

export const appChain = resolveChain(chainId, process.env.NEXT_PUBLIC_RPC_URL || (local ? LOCAL_RPC_URL : undefined));
export const appDeployment = getDeployment(chainId);
export const onLocalChain = local;

export function createWagmiConfig() {
  const connectors = connectorsForWallets(
    [
      ...(local ? [{ groupName: "Local chain", wallets: [burnerWallet] }] : []),
      { groupName: "Browser wallet", wallets: [injectedWallet] },
    ],
    // No WalletConnect-based wallet is listed, so the project id is never sent anywhere.
    { appName: "Hourglass", projectId: "hourglass" },
  );
  return createConfig({
    chains: [appChain],
    connectors,
    transports: { [appChain.id]: http() },
    ssr: true,
    // Anvil mines a block a second: poll as often so balances refresh on every block.
    pollingInterval: local ? 1_000 : 4_000,
  });
}
