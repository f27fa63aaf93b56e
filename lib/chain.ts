/**
 * Which chain Hourglass runs on and where its contracts are. Pure: callers pass the chain id and RPC URL
 * (the app from NEXT_PUBLIC_* env, the host agent and scripts from their own config).
 */
import { defineChain, type Chain } from "viem";
import { arbitrumSepolia, baseSepolia, foundry, optimismSepolia, sepolia } from "viem/chains";
import { deployments, type Deployment } from "./contracts/deployments";

export const LOCAL_CHAIN_ID = foundry.id;
export const LOCAL_RPC_URL = "http://127.0.0.1:8545";

/** Chains the app knows how to name and reach. Anvil is the default; the rest are public L2 testnets. */
export const SUPPORTED_CHAINS: readonly Chain[] = [
  { ...foundry, name: "Anvil (local)" },
  baseSepolia,
  arbitrumSepolia,
  optimismSepolia,
  sepolia,
];

export const isLocalChain = (chainId: number) => chainId === LOCAL_CHAIN_ID;

export function getDeployment(chainId: number): Deployment | undefined {
  return deployments[chainId];
}

/**
 * The chain definition for `chainId`, with the RPC URL overridden when given and the Multicall3 address
 * taken from the deployment (anvil has none of its own, and without it batched reads silently fall back to
 * one call per read).
 */
export function resolveChain(chainId: number, rpcUrl?: string): Chain {
  const base = SUPPORTED_CHAINS.find((c) => c.id === chainId);
  if (!base) {
    const known = SUPPORTED_CHAINS.map((c) => `${c.id} (${c.name})`).join(", ");
    throw new Error(`Unsupported chain id ${chainId}. Set NEXT_PUBLIC_CHAIN_ID to one of: ${known}.`);
  }
  const deployment = getDeployment(chainId);
  return defineChain({
    ...base,
    rpcUrls: rpcUrl ? { default: { http: [rpcUrl] } } : base.rpcUrls,
    contracts: {
      ...base.contracts,
      ...(deployment && {
        multicall3: { address: deployment.contracts.Multicall3, blockCreated: deployment.startBlock },
      }),
    },
  });
}
