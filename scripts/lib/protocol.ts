/**
 * The whole protocol deployed from forge artifacts onto a throwaway anvil, for chain-backed tests that must
 * not touch the dev chain's deployment file (which `forge script` writes). Parameters match Deploy.s.sol's
 * defaults; the GPU classes come from lib/scu/gpus.json.
 */
import { stringToHex, type Address } from "viem";
import type { LocalAccount } from "viem/accounts";
import { GPU_CLASSES, ratingWad } from "../../lib/scu/ratings";
import { artifactContract as artifact, localSigner } from "./localchain";

export const TEST_REGISTRY_CONFIG = {
  mintRatioBps: 5000, collateralRatioBps: 15000, liquidationBonusBps: 500, liquidationMaxPremiumBps: 500,
  twapWindow: 1800, unbondingDelay: 9 * 86400, floorPrice: 1_000_000n,
};
export const TEST_ESCROW_CONFIG = { startTimeout: 900, receiptGrace: 3600, disputeWindow: 86400 };

export const classIdHex = (id: string) => stringToHex(id, { size: 32 });

export interface ProtocolAddresses {
  ComputeCredit: Address;
  ComputeStandard: Address;
  USDC: Address;
  ScuUsdcPool: Address;
  ProviderRegistry: Address;
  JobEscrow: Address;
}

/** Deploys SCU, the standard (every class), test USDC, the pool, registry and escrow, wired as Deploy.s.sol does. */
export async function deployProtocol(rpcUrl: string): Promise<ProtocolAddresses> {
  const deployer = localSigner(rpcUrl);
  const deploy = (name: string, args: unknown[] = []) => deployer.deploy(artifact(name), args);
  const call = (address: Address, name: string, functionName: string, args: unknown[]) =>
    deployer.send(address, artifact(name).abi, functionName, args);

  const scu = await deploy("ComputeCredit", [deployer.address]);
  const standard = await deploy("ComputeStandard", [deployer.address]);
  for (const gpu of GPU_CLASSES) await call(standard, "ComputeStandard", "addGpuClass", [classIdHex(gpu.id), gpu.name, ratingWad(gpu)]);
  const usdc = await deploy("TestUSDC", [deployer.address]);
  const factory = await deploy("PoolFactory", [deployer.address]);
  await call(factory, "PoolFactory", "createPool", [scu, usdc]);
  const pool = (await deployer.client.readContract({
    address: factory, abi: artifact("PoolFactory").abi, functionName: "getPool", args: [scu, usdc],
  })) as Address;
  const registry = await deploy("ProviderRegistry", [scu, usdc, standard, pool, TEST_REGISTRY_CONFIG]);
  const escrow = await deploy("JobEscrow", [registry, scu, deployer.address, deployer.address, TEST_ESCROW_CONFIG]);
  await call(registry, "ProviderRegistry", "setEscrow", [escrow]);
  await call(scu, "ComputeCredit", "setMinter", [registry, true]);
  return { ComputeCredit: scu, ComputeStandard: standard, USDC: usdc, ScuUsdcPool: pool, ProviderRegistry: registry, JobEscrow: escrow };
}

export interface TestHost {
  signer: Address;
  classId: string;
  gpus: number;
  listedForSeconds: bigint;
  endpoint?: string;
}

/**
 * As `account`: registers `hosts`, stakes `stakeUsdc` (test USDC minted by the deployer) and mints `credits`
 * SCU to `creditsTo`. Returns the host ids in order.
 */
export async function listProvider(
  rpcUrl: string,
  contracts: ProtocolAddresses,
  account: LocalAccount,
  { hosts, stakeUsdc, credits, creditsTo }: { hosts: TestHost[]; stakeUsdc: bigint; credits: bigint; creditsTo: Address },
): Promise<bigint[]> {
  const deployer = localSigner(rpcUrl);
  const provider = localSigner(rpcUrl, account);
  const registryAbi = artifact("ProviderRegistry").abi;
  const now = (await deployer.client.getBlock()).timestamp;
  const ids: bigint[] = [];
  for (const host of hosts) {
    await provider.send(contracts.ProviderRegistry, registryAbi, "registerHost", [{
      signer: host.signer, classId: classIdHex(host.classId), gpuCount: host.gpus, listedUntil: now + host.listedForSeconds,
      endpoint: host.endpoint ?? "https://host.example", region: "local",
    }]);
    ids.push((await deployer.client.readContract({ address: contracts.ProviderRegistry, abi: registryAbi, functionName: "hostCount" })) as bigint);
  }
  await deployer.send(contracts.USDC, artifact("TestUSDC").abi, "mint", [provider.address, stakeUsdc]);
  await provider.send(contracts.USDC, artifact("TestUSDC").abi, "approve", [contracts.ProviderRegistry, stakeUsdc]);
  await provider.send(contracts.ProviderRegistry, registryAbi, "stake", [stakeUsdc]);
  await provider.send(contracts.ProviderRegistry, registryAbi, "mint", [credits, creditsTo]);
  return ids;
}
