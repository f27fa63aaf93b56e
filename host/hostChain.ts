/**
 * What the agent reads from and sends to the chain: the job as the escrow holds it, its host in the registry,
 * `start`, receipts and price readings; and what its signer key signs (receipts, dispatch acks, consent).
 * The agent trusts this and signatures, never what the route or a buyer claims.
 */
import { createPublicClient, createWalletClient, http, type Abi, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { jobEscrowAbi, providerRegistryAbi } from "../lib/contracts/abis";
import { resolveChain } from "../lib/chain";
import { withGasMargin } from "../lib/gas";
import { inBlockRanges } from "../lib/logs";
import { jobStatus, type JobStatus } from "../lib/jobs/status";
import { signDispatchAck, signReceipt, type DispatchAck, type UsageReceipt } from "../lib/protocol/hostSignatures";
import { signConsent, type HostSignerConsent } from "../lib/protocol/consent";
import type { HostConfig } from "./config";

export interface OnChainJob {
  id: bigint;
  buyer: Address;
  hostId: bigint;
  signer: Address;
  status: JobStatus;
  createdAt: number;
  gpus: number;
  maxDuration: number;
  locked: bigint;
  startedAt: number;
  stoppedAt: number;
  specHash: Hex;
}

export interface RegisteredHost {
  id: bigint;
  provider: Address;
  signer: Address;
  classId: Hex;
  gpuCount: number;
}

export function hostChain(config: HostConfig) {
  const chain = resolveChain(config.chainId, config.rpcUrl);
  const transport = http(config.rpcUrl);
  // Receipts are waited for at about a block time (viem polls every 4 s by default).
  const client = createPublicClient({ chain, transport, pollingInterval: 1_000 });
  const signer = privateKeyToAccount(config.signerKey);
  const operator = privateKeyToAccount(config.operatorKey);
  const escrow = config.contracts.JobEscrow;
  const registry = config.contracts.ProviderRegistry;
  const contracts = {
    escrow: { address: escrow, abi: jobEscrowAbi },
    registry: { address: registry, abi: providerRegistryAbi },
  } as const;

  // One transaction at a time per account, up to the node taking it: two jobs starting together would
  // otherwise both read the same pending nonce, and the second transaction would be refused.
  const queues = new Map<Address, Promise<unknown>>();
  function inTurn<T>(account: Address, work: () => Promise<T>): Promise<T> {
    const turn = (queues.get(account) ?? Promise.resolve()).catch(() => undefined).then(work);
    queues.set(account, turn);
    return turn;
  }

  /** Simulates (so a refusal arrives decoded, before any gas is spent), sends in `account`'s turn and waits. */
  async function send(
    account: typeof signer,
    to: { address: Address; abi: Abi },
    functionName: string,
    args: readonly unknown[],
  ) {
    const wallet = createWalletClient({ account, chain, transport });
    const hash = await inTurn(account.address, async () => {
      const { request } = await client.simulateContract({ account, ...to, functionName, args } as never);
      const gas = withGasMargin(await client.estimateContractGas(request as never));
      return wallet.writeContract({ ...(request as object), gas } as never);
    });
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted in ${hash}`);
    const block = await client.getBlock({ blockNumber: receipt.blockNumber });
    return { hash, timestamp: Number(block.timestamp) };
  }

  let grace: number | undefined;
  let timeout: number | undefined;

  return {
    signer: signer.address,
    escrow,
    registry,
    client,

    async job(id: bigint): Promise<OnChainJob> {
      const j = await client.readContract({ ...contracts.escrow, functionName: "job", args: [id] });
      return {
        id,
        buyer: j.buyer,
        hostId: j.hostId,
        signer: j.signer,
        status: jobStatus(j.status),
        createdAt: Number(j.createdAt),
        gpus: j.gpus,
        maxDuration: j.maxDuration,
        locked: j.locked,
        startedAt: Number(j.startedAt),
        stoppedAt: Number(j.stoppedAt),
        specHash: j.specHash,
      };
    },

    /** The host this agent's signer key is bound to (0: none yet). A key serves one host, for good. */
    hostOfSigner: () =>
      client.readContract({ ...contracts.registry, functionName: "hostOfSigner", args: [signer.address] }),

    async host(id: bigint): Promise<RegisteredHost> {
      const h = await client.readContract({ ...contracts.registry, functionName: "host", args: [id] });
      return { id, provider: h.provider, signer: h.signer, classId: h.classId, gpuCount: h.gpuCount };
    },

    /** Seconds after a job's maximum end that its receipt is still taken (an immutable of the escrow). */
    async receiptGrace(): Promise<number> {
      grace ??= Number(await client.readContract({ ...contracts.escrow, functionName: "receiptGrace" }));
      return grace;
    },

    /** Seconds a host has to start a booked job (an immutable of the escrow). */
    async startTimeout(): Promise<number> {
      timeout ??= Number(await client.readContract({ ...contracts.escrow, functionName: "startTimeout" }));
      return timeout;
    },

    async now(): Promise<number> {
      return Number((await client.getBlock()).timestamp);
    },

    /** Sends `start` as the host signer; returns the chain's start time. */
    start: (id: bigint) => send(signer, contracts.escrow, "start", [id]),

    /** Sends a call to any contract (the supply verifier's) as the host signer or the operator, in that account's
     * turn with the agent's own transactions, with the agent's gas margin; returns its hash and block time. */
    transact: (
      as: "signer" | "operator",
      to: { address: Address; abi: Abi },
      functionName: string,
      args: readonly unknown[],
    ) => send(as === "signer" ? signer : operator, to, functionName, args),

    /** The operator's address: it pays for the agent's other transactions. */
    operator: operator.address,

    sign: (receipt: UsageReceipt) => signReceipt(signer, config.chainId, escrow, receipt),

    signAck: (ack: DispatchAck) => signDispatchAck(signer, config.chainId, escrow, ack),

    signConsent: (consent: HostSignerConsent) => signConsent(signer, config.chainId, registry, consent),

    submit: (receipt: UsageReceipt, signature: Hex) =>
      send(operator, contracts.escrow, "submitReceipt", [receipt, signature]),

    /** Cancels a job nobody started, as the operator, once anyone may: with this host's own acknowledgement, as
     * its no-show; without, a withdrawal whose reservation fee goes to the provider. */
    cancel: (id: bigint, ack: Hex = "0x") => send(operator, contracts.escrow, "cancel", [id, ack]),

    /** Ids of the jobs booked on host `hostId` in the last `blocks` blocks (read in bounded ranges). */
    async jobsBookedSince(hostId: bigint, blocks: bigint): Promise<bigint[]> {
      const latest = await client.getBlockNumber();
      const from = latest > blocks ? latest - blocks : 0n;
      const logs = await inBlockRanges(from, latest, (range) =>
        client.getContractEvents({ ...contracts.escrow, eventName: "JobCreated", args: { hostId }, ...range }),
      );
      return logs.map((log) => log.args.jobId!);
    },

    /** Calls `onBooked` for every job booked on host `hostId` from now on; returns the unwatch function. */
    watchBookings(hostId: bigint, onBooked: (jobId: bigint) => void, pollingInterval = 2_000): () => void {
      return client.watchContractEvent({
        ...contracts.escrow,
        eventName: "JobCreated",
        args: { hostId },
        pollingInterval,
        onLogs: (logs) => {
          for (const log of logs) if (log.args.jobId !== undefined) onBooked(log.args.jobId);
        },
        onError: (error) => console.error(`watching bookings: ${error.message}`),
      });
    },

    /** Sends `ProviderRegistry.observe()` as the operator (in turn with its receipts); resolves with its hash. */
    observe: async (): Promise<Hex> => (await send(operator, contracts.registry, "observe", [])).hash,

    /** Calls `onStop` for every job a buyer stops on-chain from now on (one log query per poll, whatever the
     * number of jobs); returns the unwatch function. */
    watchStops(onStop: (jobId: bigint) => void, pollingInterval = 2_000): () => void {
      return client.watchContractEvent({
        address: escrow,
        abi: jobEscrowAbi,
        eventName: "JobStopped",
        pollingInterval,
        onLogs: (logs) => {
          for (const log of logs) if (log.args.jobId !== undefined) onStop(log.args.jobId);
        },
        onError: (error) => console.error(`watching stops: ${error.message}`),
      });
    },
  };
}

export type HostChain = ReturnType<typeof hostChain>;
