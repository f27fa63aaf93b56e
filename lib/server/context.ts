/**
 * The chain as the app's server sees it (routes and server-rendered pages): the configured chain, its RPC
 * and the deployed contracts. Server only; it holds no key and no secret.
 */
import "server-only";
import { createPublicClient, http, type PublicClient } from "viem";
import { resolveChain, getDeployment, LOCAL_CHAIN_ID } from "../chain";
import type { Deployment } from "../contracts/deployments";
import type { ChainContext } from "./route";

let chain: { client: PublicClient; chainId: number; deployment: Deployment } | undefined;
let routes: ChainContext | undefined;

/** A public client for the configured chain and its deployment. */
export function serverChain() {
  if (chain) return chain;
  const chainId = Number(process.env.NEXT_PUBLIC_CHAIN_ID ?? LOCAL_CHAIN_ID);
  const deployment = getDeployment(chainId);
  if (!deployment)
    throw new Error(`No deployment for chain ${chainId}: run \`npm run dev\` or deploy and commit the file.`);
  const client = createPublicClient({
    chain: resolveChain(chainId, process.env.NEXT_PUBLIC_RPC_URL),
    transport: http(),
  }) as PublicClient;
  chain = { client, chainId, deployment };
  return chain;
}

/** What the job routes need. */
export function serverChainContext(): ChainContext {
  if (routes) return routes;
  const { client, chainId, deployment } = serverChain();
  routes = {
    client,
    chainId,
    escrow: deployment.contracts.JobEscrow,
    registry: deployment.contracts.ProviderRegistry,
    allowLoopback: process.env.HOURGLASS_ALLOW_LOOPBACK_HOSTS === "1",
    timeoutMs: 10_000,
  };
  return routes;
}
