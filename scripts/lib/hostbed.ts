/**
 * A whole job path on a throwaway chain, all real: anvil, the protocol's contracts, a provider with one listed
 * H100 host, a buyer holding credits, and the host agent (process runtime) serving its HTTP API on loopback,
 * its endpoint registered on-chain. Shared by the chain-backed host and route tests and the route benchmark.
 */
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseUnits, toHex, type Address, type Hex, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount, type LocalAccount } from "viem/accounts";
import { HostAgent } from "../../host/agent";
import { hostChain, type HostChain } from "../../host/hostChain";
import type { HostConfig } from "../../host/config";
import { ProcessRuntime } from "../../host/runtime/process";
import { hostServer, type HealthInfo } from "../../host/server";
import {
  ACCESS_EXPIRY_HEADER,
  ACCESS_SIGNATURE_HEADER,
  accessTypedData,
  dispatchTypedData,
  type AccessAction,
} from "../../lib/protocol/jobSignatures";
import { formatAccessToken } from "../../lib/protocol/accessToken";
import { readEvents, type JobEvent } from "../../lib/protocol/eventStream";
import { specHash, type JobSpec } from "../../lib/jobs/spec";
import type { ChainContext } from "../../lib/server/route";
import {
  anvilAccount,
  anvilKey,
  artifactContract as artifact,
  LOCAL_CHAIN_ID,
  localSigner,
  startAnvil,
  withAutomine,
  type Anvil,
} from "./localchain";
import { freePort, stopAll } from "./proc";
import { deployProtocol, listProvider, type ProtocolAddresses } from "./protocol";

export interface HostBedOptions {
  /** Seconds between blocks (default 1, as a real chain). */
  blockTime?: number;
  /** Jobs the agent runs at once (default 2). */
  maxConcurrentJobs?: number;
}

export type HostBed = Awaited<ReturnType<typeof startHostBed>>;

/** What `/health` says of an agent the tests build on `config` (the process runtime, no GPUs): for hostServer. */
export const processHostHealth =
  (config: HostConfig, signer: Address): (() => HealthInfo) =>
  () => ({
    hostId: config.hostId ?? null,
    signer,
    provider: config.provider,
    runtime: "process",
    maxJobs: config.maxConcurrentJobs,
    gpus: [],
  });

export async function startHostBed({ blockTime = 1, maxConcurrentJobs = 2 }: HostBedOptions = {}) {
  const anvil: Anvil = await startAnvil({ port: await freePort(), blockTime });
  const { rpcUrl } = anvil;
  const deployer = localSigner(rpcUrl);
  const provider = localSigner(rpcUrl, anvilAccount(1));
  const buyerAccount = anvilAccount(2);
  const buyer = localSigner(rpcUrl, buyerAccount);
  const signerKey = generatePrivateKey();

  const { contracts, hostId } = await withAutomine(anvil, async () => {
    const contracts: ProtocolAddresses = await deployProtocol(rpcUrl);
    const [hostId] = await listProvider(rpcUrl, contracts, anvilAccount(1), {
      hosts: [{ signerKey, classId: "h100-sxm", gpus: 8, listedForSeconds: 30n * 86_400n }],
      stakeUsdc: parseUnits("100000", 6),
      credits: parseUnits("1000", 18),
      creditsTo: buyerAccount.address,
    });
    await buyer.send(contracts.ComputeCredit, artifact("ComputeCredit").abi, "approve", [
      contracts.JobEscrow,
      2n ** 255n,
    ]);
    await deployer.client.request({
      method: "anvil_setBalance" as never,
      params: [privateKeyToAccount(signerKey).address, toHex(10n ** 18n)] as never,
    });
    return { contracts, hostId: hostId! };
  });

  const config: HostConfig = {
    signerKey,
    operatorKey: anvilKey(7),
    provider: provider.address,
    rpcUrl,
    chainId: LOCAL_CHAIN_ID,
    hostId: Number(hostId),
    contracts: { JobEscrow: contracts.JobEscrow, ProviderRegistry: contracts.ProviderRegistry },
    runtime: "process",
    listen: "127.0.0.1:0",
    maxConcurrentJobs,
    journalDir: mkdtempSync(path.join(tmpdir(), "host-journal-")),
    outputCapBytes: 1 << 20,
    heartbeatSeconds: 15,
    // The price duty is tested on its own; here it would only add transactions between a test's steps.
    observeEverySeconds: 0,
    reapEverySeconds: 0,
    logRetentionDays: 14,
  };
  const chain = hostChain(config);
  // While `held` is set, the agent's receipts wait before they are submitted: a test lands a stop in between.
  let held: Promise<void> | undefined;
  const agentChain: HostChain = {
    ...chain,
    submit: async (...args) => {
      await held;
      return chain.submit(...args);
    },
  };
  const agent = new HostAgent(config, agentChain, new ProcessRuntime());
  const unwatch = agent.watchChain(500);
  const server: Server = hostServer(agent, processHostHealth(config, chain.signer));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const hostUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const escrowAbi = artifact("JobEscrow").abi;
  const registryAbi = artifact("ProviderRegistry").abi;
  const expiry = () => BigInt(Math.floor(Date.now() / 1000) + 600);

  await provider.send(contracts.ProviderRegistry, registryAbi, "setEndpoint", [hostId, hostUrl]);

  const bed = {
    anvil,
    rpcUrl,
    contracts,
    hostId,
    hostUrl,
    server,
    agent,
    chain,
    config,
    deployer,
    provider,
    buyer,
    buyerAccount,
    signerKey,
    /** What the app's routes see, with loopback hosts allowed (as `npm run dev` runs them). */
    ctx: {
      client: deployer.client as PublicClient,
      chainId: LOCAL_CHAIN_ID,
      escrow: contracts.JobEscrow,
      registry: contracts.ProviderRegistry,
      allowLoopback: true,
      timeoutMs: 5000,
      // The tests move the host's endpoint between requests.
      endpointTtlMs: 0,
    } satisfies ChainContext,

    rpc: (method: string, params: unknown[] = []) =>
      deployer.client.request({ method: method as never, params: params as never }),
    /** Lets `seconds` pass on-chain at once. */
    advance: async (seconds: number) => {
      await bed.rpc("evm_increaseTime", [seconds]);
      await bed.rpc("evm_mine");
    },
    read: <T>(address: Address, name: string, functionName: string, args: unknown[] = []) =>
      deployer.client.readContract({ address, abi: artifact(name).abi, functionName, args }) as Promise<T>,
    job: (jobId: bigint) =>
      bed.read<{
        status: number;
        used: bigint;
        locked: bigint;
        maxDuration: number;
        startedAt: bigint;
        stoppedAt: bigint;
        endedAt: bigint;
      }>(contracts.JobEscrow, "JobEscrow", "job", [jobId]),
    escrow: (functionName: string, args: unknown[], as = buyer) =>
      as.send(contracts.JobEscrow, escrowAbi, functionName, args),
    setEndpoint: (endpoint: string) =>
      provider.send(contracts.ProviderRegistry, registryAbi, "setEndpoint", [hostId, endpoint]),

    /** Holds the agent's receipt submissions until the returned function is called. */
    holdReceipts(): () => void {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },

    /** Funds a job for `spec` on the host (or `onHost`; two GPUs) and returns its id. */
    async createJob(spec: JobSpec, maxDuration = 3600, onHost = hostId): Promise<bigint> {
      await bed.escrow("createJob", [{ hostId: onHost, gpus: 2, maxDuration, specHash: specHash(spec) }]);
      return bed.read<bigint>(contracts.JobEscrow, "JobEscrow", "jobCount");
    },

    /** The body of a dispatch request (route or host), signed by `signer`. */
    async dispatchBody(jobId: bigint, spec: JobSpec, signer: LocalAccount = buyerAccount) {
      const message = { jobId, specHash: specHash(spec), expiry: expiry() };
      const signature = await signer.signTypedData(dispatchTypedData(LOCAL_CHAIN_ID, contracts.JobEscrow, message));
      return { spec, expiry: String(message.expiry), signature };
    },

    /** An Access signature for `action` on `jobId`, as the route and the host take it. */
    async access(
      jobId: bigint,
      action: AccessAction,
      signer: LocalAccount = buyerAccount,
    ): Promise<{ expiry: string; signature: Hex }> {
      const message = { jobId, action, expiry: expiry() };
      return {
        expiry: String(message.expiry),
        signature: await signer.signTypedData(accessTypedData(LOCAL_CHAIN_ID, contracts.JobEscrow, message)),
      };
    },

    /** An access token (lib/protocol/accessToken.ts) for `action` on `jobId`, signed by `signer`, expiring at
     * `expiry` (unix seconds; ten minutes ahead by default). */
    async token(jobId: bigint, action: AccessAction, signer: LocalAccount = buyerAccount, at = expiry()) {
      const message = { jobId, action, expiry: at };
      const signature = await signer.signTypedData(accessTypedData(LOCAL_CHAIN_ID, contracts.JobEscrow, message));
      return formatAccessToken({ ...message, signature });
    },

    /** POSTs a dispatch straight to a host agent. */
    async dispatch(jobId: bigint, spec: JobSpec, signer: LocalAccount = buyerAccount, url = hostUrl) {
      return fetch(`${url}/jobs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jobId: String(jobId), ...(await bed.dispatchBody(jobId, spec, signer)) }),
      });
    },

    /** Reads a job's event stream straight from a host agent until its final event, calling `onEvent` for each. */
    async events(jobId: bigint, onEvent: (event: JobEvent) => Promise<void> | void, url = hostUrl, lastEventId = 0) {
      const { expiry: e, signature } = await bed.access(jobId, "events");
      const response = await fetch(`${url}/jobs/${jobId}/events`, {
        headers: {
          "last-event-id": String(lastEventId),
          [ACCESS_EXPIRY_HEADER]: e,
          [ACCESS_SIGNATURE_HEADER]: signature,
        },
      });
      if (response.status !== 200) throw new Error(`events: ${response.status} ${await response.text()}`);
      await readEvents(response.body!, onEvent);
    },

    async close() {
      unwatch();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return bed;
}

/** Tears down a bed (if it got as far as starting) and every process this one started: anvil, host agents. */
export async function stopHostBed(bed: HostBed | undefined) {
  try {
    await bed?.close();
  } finally {
    await stopAll();
  }
}
