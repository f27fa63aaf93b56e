/** The local chain: anvil, the deploy, the seed. Shared by `npm run dev` and the e2e harness. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createPublicClient, createWalletClient, http, parseUnits, toHex, type Abi, type Address, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { BIN, CONTRACTS_DIR, deploymentFile } from "./paths.ts";
import { run, startService, waitFor } from "./proc.ts";
import {
  CONTRACTS,
  LOCAL_CHAIN_ID,
  readArtifact,
  writeBindings,
  writeDeployInputs,
  type Artifact,
  type DeployedName,
} from "../codegen.ts";

export { LOCAL_CHAIN_ID };
/** Anvil's well-known test mnemonic: its accounts are funded with 10,000 ETH each and are public knowledge. */
const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

export const anvilAccount = (index: number) => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index });
export const anvilKey = (index: number): Hex => toHex(anvilAccount(index).getHdKey().privateKey!);

/** A contract ready to deploy: its ABI and creation code. */
export interface Deployable {
  abi: Abi;
  bytecode: Hex;
}

/** A forge artifact as a deployable contract. */
export function artifactContract(name: string): Deployable {
  const { abi, bytecode } = readArtifact(name);
  return { abi: abi as Abi, bytecode: bytecode.object as Hex };
}

/**
 * Deploys and transacts as one anvil account (default: the deployer), each call simulated first (so a revert
 * arrives decoded) and awaited until mined. Used by the seed, the benchmarks and the chain-backed tests.
 */
export function localSigner(rpcUrl: string, account = anvilAccount(0)) {
  const wallet = createWalletClient({ account, chain: foundry, transport: http(rpcUrl) });
  const client = createPublicClient({ chain: foundry, transport: http(rpcUrl) });
  return {
    address: account.address,
    client,
    async deploy(contract: Deployable, args: unknown[] = []): Promise<Address> {
      const hash = await wallet.deployContract({ abi: contract.abi, bytecode: contract.bytecode, args });
      return (await client.waitForTransactionReceipt({ hash })).contractAddress!;
    },
    /** Sends one call and returns the gas it used. */
    async send(address: Address, abi: Abi, functionName: string, args: unknown[]): Promise<bigint> {
      await client.simulateContract({ account, address, abi, functionName, args } as never);
      const hash = await wallet.writeContract({ address, abi, functionName, args } as never);
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
      return receipt.gasUsed;
    },
  };
}

/** Account 0 deploys and owns the contracts; 1–3 are demo users with test USDC. */
export const DEMO_ACCOUNTS = [1, 2, 3];
const DEMO_USDC = parseUnits("50000", 6);
/** The pool's seed: $1.40 per SCU, mid-range of what an A100-hour traded at in late 2026 ($1.1–1.7). */
const SEED_POOL_SCU = parseUnits("100000", 18);
const SEED_POOL_USDC = parseUnits("140000", 6);

export interface AnvilOptions {
  port: number;
  /** Seconds between blocks (default 1, as in dev); 0 mines one block per transaction. */
  blockTime?: number;
  /** Load from and dump to this file, so a restart keeps the chain. Omit for a throwaway chain. */
  statePath?: string;
}

export async function startAnvil({ port, statePath, blockTime = 1 }: AnvilOptions) {
  const args = ["--quiet", "--port", String(port), "--chain-id", String(LOCAL_CHAIN_ID)];
  if (blockTime > 0) args.push("--block-time", String(blockTime));
  // Dump every few seconds too, so even a killed dev session loses at most that much.
  if (statePath) args.push("--state", statePath, "--state-interval", "5");
  const child = startService("anvil", path.join(BIN, "anvil"), args);
  const rpcUrl = `http://127.0.0.1:${port}`;
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) });
  await waitFor(`anvil on ${rpcUrl}`, async () => (await client.getChainId()) === LOCAL_CHAIN_ID);
  return { child, rpcUrl };
}

/** Builds what deploys and scripts need; the test files (most of a cold via-ir build) wait for `forge test`. */
export async function buildContracts() {
  await run("forge", path.join(BIN, "forge"), ["build", "--skip", "test"], { cwd: CONTRACTS_DIR });
}

type DeploymentFile = Partial<Record<DeployedName, Address>>;

function readDeployment(): DeploymentFile | undefined {
  const file = deploymentFile(LOCAL_CHAIN_ID);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as DeploymentFile) : undefined;
}

/** Runtime code with the immutable slots zeroed: what stays the same between two deploys of one build. */
function withoutImmutables(code: Hex, artifact: Artifact): string {
  const bytes = code.slice(2).split("");
  for (const refs of Object.values(artifact.deployedBytecode.immutableReferences ?? {})) {
    for (const { start, length } of refs) bytes.fill("0", start * 2, (start + length) * 2);
  }
  return bytes.join("");
}

/**
 * Why the chain at `rpcUrl` needs a (re)deploy, or undefined when every contract the deployments file names
 * is there with the code of the current build. Editing a contract thus redeploys on the next `npm run dev`.
 */
async function deployNeeded(rpcUrl: string): Promise<string | undefined> {
  const deployment = readDeployment();
  if (!deployment) return "no deployment on this chain yet";
  const client = createPublicClient({ transport: http(rpcUrl) });
  for (const [name, artifactName] of Object.entries(CONTRACTS) as [DeployedName, string][]) {
    const address = deployment[name];
    if (!address) return `${name} is new`;
    const code = await client.getCode({ address });
    if (!code || code === "0x") return `${name} is missing from the chain`;
    const artifact = readArtifact(artifactName);
    // Multicall3 may be a canonical deployment of other code; only its presence matters.
    if (name !== "Multicall3" && withoutImmutables(code, artifact) !== withoutImmutables(artifact.deployedBytecode.object as Hex, artifact)) {
      return `${name} changed since it was deployed`;
    }
  }
  return undefined;
}

/**
 * Deploys (and seeds) when the chain lacks the contracts, then regenerates the bindings.
 * Returns whether it deployed.
 */
export async function ensureDeployed(rpcUrl: string): Promise<boolean> {
  const reason = await deployNeeded(rpcUrl);
  if (reason !== undefined) {
    console.log(`${"[deploy]".padEnd(9)} deploying: ${reason}`);
    writeDeployInputs();
    await run("deploy", path.join(BIN, "forge"), [
      "script", "script/Deploy.s.sol", "--rpc-url", rpcUrl, "--private-key", anvilKey(0), "--broadcast", "--slow",
    ], { cwd: CONTRACTS_DIR });
  }
  writeBindings();
  if (reason !== undefined) await seed(rpcUrl);
  return reason !== undefined;
}

/** Demo data on a fresh chain: test USDC for the demo accounts, and liquidity in the SCU/USDC pool. */
async function seed(rpcUrl: string) {
  // Imported here: the bindings are generated by this run, after this module loaded.
  const { computeCreditAbi, routerAbi, usdcAbi } = await import("../../lib/contracts/abis.ts");
  const deployment = readDeployment();
  const [usdc, scu, router] = [deployment?.USDC, deployment?.ComputeCredit, deployment?.Router];
  if (!usdc || !scu || !router) throw new Error("seed: the deployment file lacks USDC, ComputeCredit or Router");
  const owner = localSigner(rpcUrl);
  const me = owner.address;

  for (const index of DEMO_ACCOUNTS) await owner.send(usdc, usdcAbi, "mint", [anvilAccount(index).address, DEMO_USDC]);
  // Until the provider registry mints SCU against listed capacity, the local chain's owner mints the pool's
  // seed credits directly, as a minter for this one transaction. Local chain only: Deploy.s.sol never does.
  await owner.send(scu, computeCreditAbi, "setMinter", [me, true]);
  await owner.send(scu, computeCreditAbi, "mint", [me, SEED_POOL_SCU]);
  await owner.send(scu, computeCreditAbi, "setMinter", [me, false]);
  await owner.send(usdc, usdcAbi, "mint", [me, SEED_POOL_USDC]);
  await owner.send(scu, computeCreditAbi, "approve", [router, SEED_POOL_SCU]);
  await owner.send(usdc, usdcAbi, "approve", [router, SEED_POOL_USDC]);
  await owner.send(router, routerAbi, "addLiquidity", [
    scu, usdc, SEED_POOL_SCU, SEED_POOL_USDC, SEED_POOL_SCU, SEED_POOL_USDC, me, 2n ** 40n,
  ]);
  console.log(
    `${"[seed]".padEnd(9)} ${DEMO_ACCOUNTS.length} demo accounts got 50,000 test USDC each; the SCU/USDC pool holds 100,000 SCU and 140,000 USDC ($1.40 per SCU)`,
  );
}
