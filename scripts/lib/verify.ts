/**
 * Verifies hosts on a local chain, as the demo seed and the chain-backed tests need before a provider mints (only
 * verified hosts back a mint: docs/verification.md). The provider challenges each of its hosts (no fee: it would
 * pay itself) and the host's own prover answers, the agent's code (host/verifier/prover.ts) with the CPU runner
 * and the host's signer key: the real protocol, end to end. Only the clock is the harness's: it mines the blocks
 * whose hashes fix the seed and the audit (an automining chain mines none by itself) and moves the chain over the
 * fraud window instead of waiting it out.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { toHex, type Address, type Hex } from "viem";
import { privateKeyToAccount, type LocalAccount } from "viem/accounts";
import { supplyVerifierAbi } from "../../lib/contracts/abis";
import { cpuRunner } from "../../lib/verification/cpuRunner";
import { hostChain } from "../../host/hostChain";
import { Prover } from "../../host/verifier/prover";
import { verifierChain } from "../../host/verifier/verifierChain";
import { LOCAL_CHAIN_ID, localSigner } from "./localchain";

export interface HostToVerify {
  hostId: bigint;
  /** The host's signer key: the verifier takes the commitment and the reveal from it alone. */
  signerKey: Hex;
}

/** How often the harness mines a block while a host proves (ms): once a second, as the dev chain does. Faster
 * would run the chain's clock ahead of the wall's (a block's timestamp is at least its parent's plus one), past
 * the reveal window while the prover still works in wall time. */
const TICK_MS = 1_000;
/** The most one host's proof may take here (the local shape's work is a fraction of a second on the CPU). */
const TIMEOUT_MS = 120_000;

/**
 * As `provider`, challenges each of `hosts` and has its prover answer until the challenge passes; throws when one
 * fails or takes longer than TIMEOUT_MS. Gives each host signer gas (the commitment and the reveal are its
 * transactions).
 */
export async function verifyHosts(
  rpcUrl: string,
  contracts: { JobEscrow: Address; ProviderRegistry: Address; SupplyVerifier: Address },
  provider: LocalAccount,
  hosts: HostToVerify[],
): Promise<void> {
  const providerSigner = localSigner(rpcUrl, provider);
  const { client } = providerSigner;
  const rpc = (method: string, params: unknown[]) =>
    client.request({ method: method as never, params: params as never });
  for (const { hostId, signerKey } of hosts) {
    await rpc("anvil_setBalance", [privateKeyToAccount(signerKey).address, toHex(10n ** 20n)]);
    await providerSigner.send(contracts.SupplyVerifier, supplyVerifierAbi, "challenge", [hostId]);
  }
  const provers = hosts.map((host) => proverOf(rpcUrl, contracts, host));
  const stateDir = mkdtempSync(path.join(os.tmpdir(), "hourglass-verify-"));
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  const clock = runClock(rpc, provers, abort.signal);
  try {
    await Promise.all(provers.map((p) => p.prove(stateDir, abort.signal)));
  } finally {
    clearTimeout(timer);
    abort.abort();
    await clock.catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  }
  for (const p of provers) await p.check();
}

/**
 * The harness's clock while hosts prove: a block a second when the chain mines none by itself (an automining
 * chain; a chain with a block time is left alone), so chain time moves with the wall's; mining faster, or once per
 * host, would run it past the deadlines the provers keep in wall time (a block's timestamp is at least its
 * parent's plus one). Once every challenge is revealed, the fraud window at once.
 */
async function runClock(
  rpc: (method: string, params: unknown[]) => Promise<unknown>,
  provers: ReturnType<typeof proverOf>[],
  signal: AbortSignal,
) {
  let warped = false;
  let last = await rpc("eth_blockNumber", []);
  while (!signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    const statuses = await Promise.all(provers.map((p) => p.status()));
    if (!warped && statuses.every((status) => status === "revealed" || status === "passed")) {
      await rpc("evm_increaseTime", [toHex(await provers[0]!.fraudWindow())]);
      warped = true;
    }
    const now = await rpc("eth_blockNumber", []);
    if (now === last) await rpc("evm_mine", []);
    last = await rpc("eth_blockNumber", []);
  }
}

/** Host `hostId`'s own prover (the agent's code, the CPU runner, the host's signer key) for its open challenge. */
function proverOf(
  rpcUrl: string,
  contracts: { JobEscrow: Address; ProviderRegistry: Address; SupplyVerifier: Address },
  { hostId, signerKey }: HostToVerify,
) {
  const chain = hostChain({
    chainId: LOCAL_CHAIN_ID,
    rpcUrl,
    signerKey,
    operatorKey: signerKey,
    contracts,
  } as Parameters<typeof hostChain>[0]);
  const verifier = verifierChain(chain, contracts.SupplyVerifier);
  const lines: string[] = [];
  const id = verifier.lastChallengeId(hostId);
  return {
    status: async () => (await verifier.challenge(await id)).status,
    fraudWindow: async () => (await verifier.windows()).fraudWindow,
    async prove(stateDir: string, signal: AbortSignal) {
      const prover = new Prover({
        verifier,
        runner: cpuRunner,
        hostId: () => hostId,
        stateDir: path.join(stateDir, String(hostId)),
        log: (line) => lines.push(line),
        pollMs: 250,
      });
      try {
        await prover.carryOn(await verifier.challenge(await id), signal);
      } catch (error) {
        if (!signal.aborted) throw error;
      }
    },
    /** Throws unless the challenge passed, with the prover's log. */
    async check() {
      const status = await this.status();
      if (status !== "passed") {
        throw new Error(`host #${hostId}'s challenge #${await id} ended ${status}:\n  ${lines.join("\n  ")}`);
      }
    },
  };
}
