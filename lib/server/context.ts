/**
 * The chain as the app's routes see it: the configured chain, its RPC and the deployed contracts. Server only;
 * the route holds no key and no secret.
 */
import { createPublicClient, http } from "viem";
import { resolveChain, getDeployment, LOCAL_CHAIN_ID } from "../chain";
import type { ChainContext } from "./route";

let cached: ChainContext | undefined;

export function serverChainContext(): ChainContext {
  if (cached) return cached;
  const chainId = Number(process.env.NEXT_PUBLIC_CHAIN_ID ?? LOCAL_CHAIN_ID);
  const chain = resolveChain(chainId, process.env.NEXT_PUBLIC_RPC_URL);
  const deployment = getDeployment(chainId);
  if (!deployment) throw new Error(`No deployment for chain ${chainId}: run \`npm run dev\` or deploy and commit the file.`);
  cached = {
    client: createPublicClient({ chain, transport: http() }),
    chainId,
    escrow: deployment.contracts.JobEscrow,
    registry: deployment.contracts.ProviderRegistry,
    allowLoopback: process.env.HOURGLASS_ALLOW_LOOPBACK_HOSTS === "1",
    timeoutMs: 10_000,
  };
  return cached;
}
