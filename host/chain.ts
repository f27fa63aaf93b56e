/**
 * What the agent reads from and sends to the chain: the job as the escrow holds it, `start`, and receipts.
 * The agent trusts this and signatures, never what the route or a buyer claims.
 */
import { createPublicClient, createWalletClient, http, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { jobEscrowAbi, providerRegistryAbi } from "../lib/contracts/abis";
import { resolveChain } from "../lib/chain";
import { withGasMargin } from "../lib/gas";
import { jobStatus, type JobStatus } from "../lib/jobs/status";
import { signReceipt, type UsageReceipt } from "../lib/jobs/receipt";
import type { HostConfig } from "./config";

export interface OnChainJob {
  id: bigint;
  buyer: Address;
  hostId: bigint;
  signer: Address;
  status: JobStatus;
  gpus: number;
  maxDuration: number;
  locked: bigint;
  startedAt: number;
  stoppedAt: number;
  specHash: Hex;
}

export function hostChain(config: HostConfig) {
  const chain = resolveChain(config.chainId, config.rpcUrl);
  const transport = http(config.rpcUrl);
  // Receipts are waited for at about a block time (viem polls every 4 s by default).
  const client = createPublicClient({ chain, transport, pollingInterval: 1_000 });
  const signer = privateKeyToAccount(config.signerKey);
  const operator = privateKeyToAccount(config.operatorKey);
  const escrow = config.contracts.JobEscrow;

  // One transaction at a time per account, up to the node taking it: two jobs starting together would
  // otherwise both read the same pending nonce, and the second transaction would be refused.
  const queues = new Map<Address, Promise<unknown>>();
  function inTurn<T>(account: Address, work: () => Promise<T>): Promise<T> {
    const turn = (queues.get(account) ?? Promise.resolve()).catch(() => undefined).then(work);
    queues.set(account, turn);
    return turn;
  }

  async function send(account: typeof signer, functionName: "start" | "submitReceipt", args: readonly unknown[]) {
    const wallet = createWalletClient({ account, chain, transport });
    const hash = await inTurn(account.address, async () => {
      const { request } = await client.simulateContract({ account, address: escrow, abi: jobEscrowAbi, functionName, args } as never);
      const gas = withGasMargin(await client.estimateContractGas(request as never));
      return wallet.writeContract({ ...(request as object), gas } as never);
    });
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted in ${hash}`);
    const block = await client.getBlock({ blockNumber: receipt.blockNumber });
    return { hash, timestamp: Number(block.timestamp) };
  }

  return {
    signer: signer.address,
    escrow,
    client,

    async job(id: bigint): Promise<OnChainJob> {
      const j = await client.readContract({ address: escrow, abi: jobEscrowAbi, functionName: "job", args: [id] });
      return {
        id, buyer: j.buyer, hostId: j.hostId, signer: j.signer, status: jobStatus(j.status), gpus: j.gpus,
        maxDuration: j.maxDuration, locked: j.locked, startedAt: Number(j.startedAt), stoppedAt: Number(j.stoppedAt),
        specHash: j.specHash,
      };
    },

    /** Ids of hosts registered after `after` whose signer is this agent's key, and the last id read. */
    async hostsSignedHere(after: bigint): Promise<{ ids: bigint[]; last: bigint }> {
      const registry = { address: config.contracts.ProviderRegistry, abi: providerRegistryAbi } as const;
      const last = await client.readContract({ ...registry, functionName: "hostCount" });
      const ids: bigint[] = [];
      for (let id = after + 1n; id <= last; id++) {
        const host = await client.readContract({ ...registry, functionName: "host", args: [id] });
        if (host.signer.toLowerCase() === signer.address.toLowerCase()) ids.push(id);
      }
      return { ids, last };
    },

    async now(): Promise<number> {
      return Number((await client.getBlock()).timestamp);
    },

    /** Sends `start` as the host signer; returns the chain's start time. */
    start: (id: bigint) => send(signer, "start", [id]),

    sign: (receipt: UsageReceipt) => signReceipt(signer, config.chainId, escrow, receipt),

    submit: (receipt: UsageReceipt, signature: Hex) => send(operator, "submitReceipt", [receipt, signature]),

    /** Calls `onStop` for every job a buyer stops on-chain from now on (one log query per poll, whatever the
     * number of jobs); returns the unwatch function. */
    watchStops(onStop: (jobId: bigint) => void, pollingInterval = 2_000): () => void {
      return client.watchContractEvent({
        address: escrow, abi: jobEscrowAbi, eventName: "JobStopped", pollingInterval,
        onLogs: (logs) => {
          for (const log of logs) if (log.args.jobId !== undefined) onStop(log.args.jobId);
        },
        onError: (error) => console.error(`watching stops: ${error.message}`),
      });
    },
  };
}

export type HostChain = ReturnType<typeof hostChain>;
