/**
 * The whole protocol deployed from forge artifacts onto a throwaway anvil, for chain-backed tests that must
 * not touch the dev chain's deployment file (which `forge script` writes). Parameters are Deploy.s.sol's defaults
 * (contracts/script/Parameters.sol, through `npm run codegen`); the GPU classes come from lib/scu/gpus.json.
 */
import { stringToHex, type Address, type Hex } from "viem";
import { privateKeyToAccount, type LocalAccount } from "viem/accounts";
import { CONSENT_LIFETIME_SECONDS, signConsent } from "../../lib/protocol/consent";
import { parametersConstants } from "../../lib/contracts/constants";
import { GPU_CLASSES, ratingWad } from "../../lib/scu/ratings";
import { artifactContract as artifact, ensureFreshPrice, LOCAL_CHAIN_ID, localSigner } from "./localchain";
import { verifyHosts } from "./verify";

const P = parametersConstants;
/** The registry's risk parameters (contracts/script/Parameters.sol, as Deploy.s.sol and the forge tests use). */
export const TEST_REGISTRY_CONFIG = {
  mintRatioBps: P.MINT_RATIO_BPS,
  collateralRatioBps: P.COLLATERAL_RATIO_BPS,
  liquidationBonusBps: P.LIQUIDATION_BONUS_BPS,
  liquidationMaxPremiumBps: P.LIQUIDATION_MAX_PREMIUM_BPS,
  unbondingDelay: P.UNBONDING_DELAY,
  floorPrice: BigInt(P.FLOOR_PRICE),
};
/** The price oracle's window (PriceOracle), seconds. */
export const TEST_TWAP_WINDOW = P.TWAP_WINDOW;
export const TEST_ESCROW_CONFIG = {
  startTimeout: P.START_TIMEOUT,
  receiptGrace: P.RECEIPT_GRACE,
  disputeWindow: P.DISPUTE_WINDOW,
  rulingPeriod: P.RULING_PERIOD,
  disputeBondBps: P.DISPUTE_BOND_BPS,
};

/** The supply verifier's parameters on the local chain (Parameters.verifierConfig(true), as Deploy.s.sol uses there). */
export const TEST_VERIFIER_CONFIG = {
  shape: {
    rows: P.LOCAL_ROWS,
    cols: P.LOCAL_COLS,
    inner: P.LOCAL_INNER,
    tileRows: P.LOCAL_TILE_ROWS,
    groupTiles: P.LOCAL_GROUP_TILES,
  },
  targetSeconds: P.LOCAL_TARGET_SECONDS,
  commitOverhead: P.LOCAL_COMMIT_OVERHEAD,
  toleranceBps: P.LOCAL_TOLERANCE_BPS,
  revealWindow: P.REVEAL_WINDOW,
  fraudWindow: P.LOCAL_FRAUD_WINDOW,
  verifiedFor: P.VERIFIED_FOR,
  dutyCycleBps: P.DUTY_CYCLE_BPS,
  failureSlashBps: P.FAILURE_SLASH_BPS,
};

export const classIdHex = (id: string) => stringToHex(id, { size: 32 });

export interface ProtocolAddresses {
  ComputeCredit: Address;
  ComputeStandard: Address;
  USDC: Address;
  ScuUsdcPool: Address;
  PriceOracle: Address;
  ProviderRegistry: Address;
  JobEscrow: Address;
  SupplyVerifier: Address;
}

/** Deploys SCU, the standard (every class), test USDC, the pool, its price oracle, the registry and escrow, wired
 * as Deploy.s.sol does.
 * The registry has no reference price for its first TWAP window: `listProvider` moves the chain past it. */
export async function deployProtocol(rpcUrl: string): Promise<ProtocolAddresses> {
  const deployer = localSigner(rpcUrl);
  const deploy = (name: string, args: unknown[] = []) => deployer.deploy(artifact(name), args);
  const call = (address: Address, name: string, functionName: string, args: unknown[]) =>
    deployer.send(address, artifact(name).abi, functionName, args);

  const scu = await deploy("ComputeCredit");
  const standard = await deploy("ComputeStandard", [deployer.address]);
  for (const gpu of GPU_CLASSES)
    await call(standard, "ComputeStandard", "addGpuClass", [classIdHex(gpu.id), gpu.name, ratingWad(gpu)]);
  const usdc = await deploy("TestUSDC", [deployer.address]);
  const factory = await deploy("PoolFactory", [deployer.address]);
  await call(factory, "PoolFactory", "createPool", [scu, usdc]);
  const pool = (await deployer.client.readContract({
    address: factory,
    abi: artifact("PoolFactory").abi,
    functionName: "getPool",
    args: [scu, usdc],
  })) as Address;
  const oracle = await deploy("PriceOracle", [pool, scu, TEST_TWAP_WINDOW]);
  const registry = await deploy("ProviderRegistry", [scu, usdc, standard, oracle, TEST_REGISTRY_CONFIG]);
  const escrow = await deploy("JobEscrow", [registry, scu, deployer.address, deployer.address, TEST_ESCROW_CONFIG]);
  // Every class proves the local chain's CPU-sized rate, as Deploy.s.sol deploys it on anvil.
  const verifier = await deploy("SupplyVerifier", [
    registry,
    scu,
    TEST_VERIFIER_CONFIG,
    GPU_CLASSES.map((gpu) => classIdHex(gpu.id)),
    GPU_CLASSES.map(() => BigInt(P.LOCAL_MFLOPS_PER_GPU)),
  ]);
  await call(registry, "ProviderRegistry", "setEscrow", [escrow, verifier]);
  await call(scu, "ComputeCredit", "setMinter", [registry]);
  return {
    ComputeCredit: scu,
    ComputeStandard: standard,
    USDC: usdc,
    ScuUsdcPool: pool,
    PriceOracle: oracle,
    ProviderRegistry: registry,
    JobEscrow: escrow,
    SupplyVerifier: verifier,
  };
}

export interface TestHost {
  /** The host's signer key: it signs its consent to be registered by the provider. */
  signerKey: Hex;
  classId: string;
  gpus: number;
  listedForSeconds: bigint;
  endpoint?: string;
}

/**
 * As `account`: registers `hosts` (each with its signer key's consent), has each prove its throughput
 * (`verifyHosts`), stakes `stakeUsdc` (test USDC minted by
 * the deployer) and mints `credits` SCU to `creditsTo`, first moving the chain on to a fresh reference price if
 * there is none. Returns the host ids in order.
 */
export async function listProvider(
  rpcUrl: string,
  contracts: ProtocolAddresses,
  account: LocalAccount,
  {
    hosts,
    stakeUsdc,
    credits,
    creditsTo,
  }: { hosts: TestHost[]; stakeUsdc: bigint; credits: bigint; creditsTo: Address },
): Promise<bigint[]> {
  const deployer = localSigner(rpcUrl);
  const provider = localSigner(rpcUrl, account);
  const registryAbi = artifact("ProviderRegistry").abi;
  const now = (await deployer.client.getBlock()).timestamp;
  const ids: bigint[] = [];
  for (const host of hosts) {
    const signer = privateKeyToAccount(host.signerKey);
    const deadline = now + BigInt(CONSENT_LIFETIME_SECONDS);
    const consent = await signConsent(signer, LOCAL_CHAIN_ID, contracts.ProviderRegistry, {
      provider: provider.address,
      deadline,
    });
    await provider.send(contracts.ProviderRegistry, registryAbi, "registerHost", [
      {
        signer: signer.address,
        classId: classIdHex(host.classId),
        gpuCount: host.gpus,
        listedUntil: now + host.listedForSeconds,
        endpoint: host.endpoint ?? "https://host.example",
        region: "local",
      },
      deadline,
      consent,
    ]);
    ids.push(
      (await deployer.client.readContract({
        address: contracts.ProviderRegistry,
        abi: registryAbi,
        functionName: "hostCount",
      })) as bigint,
    );
  }
  // Only verified hosts back a mint: each host proves its throughput first, its own prover answering.
  await verifyHosts(
    rpcUrl,
    contracts,
    account,
    hosts.map((host, i) => ({ hostId: ids[i]!, signerKey: host.signerKey })),
  );
  await deployer.send(contracts.USDC, artifact("TestUSDC").abi, "mint", [provider.address, stakeUsdc]);
  await provider.send(contracts.USDC, artifact("TestUSDC").abi, "approve", [contracts.ProviderRegistry, stakeUsdc]);
  await provider.send(contracts.ProviderRegistry, registryAbi, "stake", [stakeUsdc]);
  await ensureFreshPrice(rpcUrl, contracts.ProviderRegistry);
  await provider.send(contracts.ProviderRegistry, registryAbi, "mint", [credits, creditsTo]);
  return ids;
}
