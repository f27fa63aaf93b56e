/** The local chain: anvil, the deploy, the seed. Shared by `npm run dev` and the e2e harness. */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  createPublicClient,
  createWalletClient,
  http,
  parseUnits,
  stringToHex,
  toHex,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { mnemonicToAccount, type LocalAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { CONTRACTS_DIR, deploymentFile, FOUNDRY_BIN } from "./paths.ts";
import { DEMO_ACCOUNTS, DEMO_PROVIDERS, DEMO_USDC, POOL_SEED_USDC } from "./demo.ts";
import { run, startService, waitFor } from "./proc.ts";
import { ranOutOfGas, withGasMargin } from "../../lib/gas.ts";
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
export function localSigner(rpcUrl: string, account: LocalAccount = anvilAccount(0)) {
  // A local chain answers at once: poll for receipts every 250 ms rather than viem's default 4 s.
  const wallet = createWalletClient({ account, chain: foundry, transport: http(rpcUrl), pollingInterval: 250 });
  const client = createPublicClient({ chain: foundry, transport: http(rpcUrl), pollingInterval: 250 });
  return {
    address: account.address,
    client,
    async deploy(contract: Deployable, args: unknown[] = []): Promise<Address> {
      const hash = await wallet.deployContract({ abi: contract.abi, bytecode: contract.bytecode, args });
      return (await client.waitForTransactionReceipt({ hash })).contractAddress!;
    },
    /** Sends one call and returns the gas it used. */
    async send(address: Address, abi: Abi, functionName: string, args: unknown[]): Promise<bigint> {
      const { request } = await client.simulateContract({ account, address, abi, functionName, args } as never);
      // With the app's margin (lib/gas.ts): a cancel estimated in its job's booking second has no fee transfer
      // to pay for, and ran out of gas when mined a second later.
      const gas = withGasMargin(await client.estimateContractGas(request as never));
      const hash = await wallet.writeContract({ ...(request as object), gas } as never);
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") {
        const outOfGas = ranOutOfGas(receipt.gasUsed, gas) ? ` out of gas (${receipt.gasUsed} of ${gas})` : "";
        throw new Error(`${functionName} reverted${outOfGas}`);
      }
      return receipt.gasUsed;
    },
  };
}

export { DEMO_ACCOUNTS };

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
  const child = startService("anvil", path.join(FOUNDRY_BIN, "anvil"), args);
  const rpcUrl = `http://127.0.0.1:${port}`;
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) });
  await waitFor(`anvil on ${rpcUrl}`, async () => (await client.getChainId()) === LOCAL_CHAIN_ID);
  return { child, rpcUrl, blockTime };
}

export type Anvil = Awaited<ReturnType<typeof startAnvil>>;

/**
 * Runs `work` with a block mined per transaction, then goes back to the chain's block time: a deploy and
 * seed of some fifty transactions takes seconds instead of a minute.
 */
export async function withAutomine<T>({ rpcUrl, blockTime }: Anvil, work: () => Promise<T>): Promise<T> {
  if (blockTime === 0) return work();
  const client = createPublicClient({ transport: http(rpcUrl) });
  await client.request({ method: "evm_setAutomine" as never, params: [true] as never });
  try {
    return await work();
  } finally {
    await client.request({ method: "evm_setIntervalMining" as never, params: [blockTime] as never });
  }
}

/**
 * Local chains only: when the registry has no reference price (a fresh deploy has none for its first TWAP
 * window; a chain nobody recorded a reading on for two windows, such as a dev chain that was stopped, has none
 * either), records a reading, moves the chain on by a window and records another: one is then usable, and the
 * next window has a base (the host agents keep recording from there). Returns the seconds it moved the chain
 * on (0: the price was fresh).
 */
export async function ensureFreshPrice(rpcUrl: string, registry: Address): Promise<number> {
  // Imported here: the bindings lib/oracle.ts reads are generated after this module loads in `npm run dev`.
  const { readOracle } = await import("../../lib/oracle.ts");
  const deployer = localSigner(rpcUrl);
  const state = await readOracle(deployer.client, registry);
  if (state.fresh) return 0;
  const abi = artifactContract("ProviderRegistry").abi;
  // observe() records only when a reading is due (the registry's own rule); otherwise it does nothing.
  await deployer.send(registry, abi, "observe", []);
  await deployer.client.request({ method: "evm_increaseTime" as never, params: [state.twapWindow] as never });
  await deployer.client.request({ method: "evm_mine" as never, params: [] as never });
  await deployer.send(registry, abi, "observe", []);
  return state.twapWindow;
}

/** Builds what deploys and scripts need; the test files (most of a cold via-ir build) wait for `forge test`. */
export async function buildContracts() {
  await run("forge", path.join(FOUNDRY_BIN, "forge"), ["build", "--skip", "test"], { cwd: CONTRACTS_DIR });
}

type DeploymentFile = Partial<Record<DeployedName, Address>>;

/**
 * For a harness that deploys to a throwaway chain (which rewrites the local deployment file): remembers the
 * dev chain's file, and returns the function that puts it back and regenerates the bindings, so a running
 * `npm run dev` keeps its chain and addresses.
 */
export function keepDevDeployment(): () => void {
  const file = deploymentFile(LOCAL_CHAIN_ID);
  const devDeployment = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  return () => {
    if (devDeployment === undefined) rmSync(file, { force: true });
    else writeFileSync(file, devDeployment);
    writeBindings();
  };
}

export function readDeployment(): DeploymentFile | undefined {
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
    if (
      name !== "Multicall3" &&
      withoutImmutables(code, artifact) !== withoutImmutables(artifact.deployedBytecode.object as Hex, artifact)
    ) {
      return `${name} changed since it was deployed`;
    }
  }
  return undefined;
}

/**
 * Deploys (and seeds) when the chain lacks the contracts, then regenerates the bindings.
 * Returns whether it deployed.
 */
export async function ensureDeployed(anvil: Anvil): Promise<boolean> {
  const reason = await deployNeeded(anvil.rpcUrl);
  if (reason === undefined) {
    writeBindings();
    const moved = await ensureFreshPrice(anvil.rpcUrl, readDeployment()!.ProviderRegistry!);
    if (moved > 0) {
      console.log(
        `${"[chain]".padEnd(9)} no reference price: nobody recorded a price reading for over two TWAP windows (the chain was stopped). ` +
          `Recorded one, moved the local chain on ${moved / 60} min and recorded another; the host agents keep it fresh from here.`,
      );
    }
    return false;
  }
  console.log(`${"[deploy]".padEnd(9)} deploying: ${reason}`);
  writeDeployInputs();
  await withAutomine(anvil, async () => {
    await run(
      "deploy",
      path.join(FOUNDRY_BIN, "forge"),
      [
        // --slow: one transaction at a time. Sent concurrently, a later nonce can reach anvil first and be queued,
        // and under automine anvil did not always promote it once the gap was mined: the deploy then hung.
        "script",
        "script/Deploy.s.sol",
        "--rpc-url",
        anvil.rpcUrl,
        "--private-key",
        anvilKey(0),
        "--broadcast",
        "--slow",
      ],
      { cwd: CONTRACTS_DIR },
    );
    writeBindings();
    await seed(anvil.rpcUrl);
  });
  return true;
}

/**
 * Demo data on a fresh chain: test USDC for the demo accounts, and the three demo providers: each registers
 * its hosts (each host's signer key consenting), proves them (scripts/lib/verify.ts), stakes and mints credits
 * against them; the first puts its
 * credits in the SCU/USDC pool. No SCU exists but what a provider minted against listed capacity (PROTOCOL.md,
 * invariant 1), here as anywhere. A fresh registry has no reference price for a TWAP window, so the chain is
 * moved on by one before the first mint.
 */
async function seed(rpcUrl: string) {
  // Imported here: the bindings are generated by this run, after this module loaded.
  const { computeCreditAbi, providerRegistryAbi, routerAbi, usdcAbi } = await import("../../lib/contracts/abis.ts");
  const { CONSENT_LIFETIME_SECONDS, signConsent } = await import("../../lib/protocol/consent.ts");
  const { verifyHosts } = await import("./verify.ts");
  const deployment = readDeployment();
  const [usdc, scu, router, registry, escrow, verifier] = [
    deployment?.USDC,
    deployment?.ComputeCredit,
    deployment?.Router,
    deployment?.ProviderRegistry,
    deployment?.JobEscrow,
    deployment?.SupplyVerifier,
  ];
  if (!usdc || !scu || !router || !registry || !escrow || !verifier) {
    throw new Error("seed: the deployment file lacks an address it needs");
  }
  const owner = localSigner(rpcUrl);
  const now = (await owner.client.getBlock()).timestamp;

  for (const index of DEMO_ACCOUNTS) {
    await owner.send(usdc, usdcAbi, "mint", [anvilAccount(index).address, parseUnits(DEMO_USDC, 6)]);
  }
  const providers = DEMO_PROVIDERS.map((demo) => ({ demo, provider: localSigner(rpcUrl, anvilAccount(demo.account)) }));
  for (const { demo, provider } of providers) {
    const hostIds: bigint[] = [];
    for (const host of demo.hosts) {
      const signer = anvilAccount(host.signerIndex);
      const deadline = now + BigInt(CONSENT_LIFETIME_SECONDS);
      const consent = await signConsent(signer, LOCAL_CHAIN_ID, registry, { provider: provider.address, deadline });
      await provider.send(registry, providerRegistryAbi, "registerHost", [
        {
          signer: signer.address,
          classId: stringToHex(host.classId, { size: 32 }),
          gpuCount: host.gpus,
          listedUntil: now + BigInt(host.listedDays) * 86_400n,
          endpoint: `http://127.0.0.1:${host.port}`,
          region: host.region,
        },
        deadline,
        consent,
      ]);
      hostIds.push(
        await provider.client.readContract({ address: registry, abi: providerRegistryAbi, functionName: "hostCount" }),
      );
      // Host signers start jobs on-chain, so they need gas.
      await owner.client.request({
        method: "anvil_setBalance" as never,
        params: [anvilAccount(host.signerIndex).address, toHex(10n ** 20n)] as never,
      });
    }
    // Only verified hosts back a mint: each demo host proves its throughput, its own prover answering (the agents
    // that start after the seed answer later challenges).
    await verifyHosts(
      rpcUrl,
      { JobEscrow: escrow, ProviderRegistry: registry, SupplyVerifier: verifier },
      anvilAccount(demo.account),
      demo.hosts.map((host, i) => ({ hostId: hostIds[i]!, signerKey: anvilKey(host.signerIndex) })),
    );
    const stake = parseUnits(demo.stakeUsdc, 6);
    await owner.send(usdc, usdcAbi, "mint", [provider.address, stake]);
    await provider.send(usdc, usdcAbi, "approve", [registry, stake]);
    await provider.send(registry, providerRegistryAbi, "stake", [stake]);
  }
  await ensureFreshPrice(rpcUrl, registry);
  for (const [i, { demo, provider }] of providers.entries()) {
    const credits = parseUnits(demo.mintScu, 18);
    await provider.send(registry, providerRegistryAbi, "mint", [credits, provider.address]);
    if (i === 0) {
      const poolUsdc = parseUnits(POOL_SEED_USDC, 6);
      await owner.send(usdc, usdcAbi, "mint", [provider.address, poolUsdc]);
      await provider.send(scu, computeCreditAbi, "approve", [router, credits]);
      await provider.send(usdc, usdcAbi, "approve", [router, poolUsdc]);
      const later = (await owner.client.getBlock()).timestamp;
      await provider.send(router, routerAbi, "addLiquidity", [
        scu,
        usdc,
        credits,
        poolUsdc,
        credits,
        poolUsdc,
        provider.address,
        later + 3600n,
      ]);
    }
  }
  const hosts = DEMO_PROVIDERS.reduce((n, p) => n + p.hosts.length, 0);
  console.log(
    `${"[seed]".padEnd(9)} ${DEMO_ACCOUNTS.length} demo accounts got ${DEMO_USDC} test USDC each; ${DEMO_PROVIDERS.length} demo providers listed ${hosts} hosts, staked and minted; ` +
      `the SCU/USDC pool holds ${DEMO_PROVIDERS[0]!.mintScu} SCU and ${POOL_SEED_USDC} USDC`,
  );
}
