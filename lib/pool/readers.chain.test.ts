/**
 * Every reader of the SCU/USDC pool's state against a real pool on anvil: the compute page's offers, the
 * market overview, the pool page's snapshot and the price history all read it through lib/pool/calls.ts, so
 * they agree with the pool, fee included (the fee the pool was created with, not a constant of the reader's).
 */
import { createPublicClient, http, parseUnits, type Address, type PublicClient } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generatePrivateKey } from "viem/accounts";
import { anvilAccount, artifactContract as artifact, localSigner, startAnvil } from "../../scripts/lib/localchain";
import { freePort, stopAll } from "../../scripts/lib/proc";
import { deployProtocol, listProvider, type ProtocolAddresses } from "../../scripts/lib/protocol";
import { isScuToken0, reservesByToken } from "../amm/pool";
import { spotUsdcPerScu } from "../amm/price";
import { readOffers } from "../market/offers";
import { readMarket } from "../market/overview";
import { readPriceHistory } from "../market/priceHistory";
import { readPool } from "./snapshot";

let client: PublicClient;
let contracts: ProtocolAddresses & { PoolFactory: Address };

const poolAbi = artifact("Pool").abi;
const readPoolContract = <T>(functionName: string) =>
  client.readContract({ address: contracts.ScuUsdcPool, abi: poolAbi, functionName }) as Promise<T>;

beforeAll(async () => {
  const { rpcUrl } = await startAnvil({ port: await freePort(), blockTime: 0 });
  const deployer = localSigner(rpcUrl);
  const lp = localSigner(rpcUrl, anvilAccount(1));
  const protocol = await deployProtocol(rpcUrl);
  // The readers batch through Multicall3, which a bare anvil does not have.
  const multicall3 = await deployer.deploy(artifact("Multicall3"));
  client = createPublicClient({
    chain: { ...foundry, contracts: { multicall3: { address: multicall3 } } },
    transport: http(rpcUrl),
  }) as PublicClient;
  const PoolFactory = (await deployer.client.readContract({
    address: protocol.ScuUsdcPool,
    abi: poolAbi,
    functionName: "factory",
  })) as Address;
  contracts = { ...protocol, PoolFactory };

  // A provider mints 1,000 SCU to the LP, who pools them with 2,500 USDC; then a trader buys SCU with 100 USDC.
  await listProvider(rpcUrl, protocol, anvilAccount(2), {
    hosts: [{ signerKey: generatePrivateKey(), classId: "h100-sxm", gpus: 8, listedForSeconds: 30n * 86_400n }],
    stakeUsdc: parseUnits("100000", 6),
    credits: parseUnits("1000", 18),
    creditsTo: lp.address,
  });
  const scuAbi = artifact("ComputeCredit").abi;
  const usdcAbi = artifact("TestUSDC").abi;
  await deployer.send(protocol.USDC, usdcAbi, "mint", [lp.address, parseUnits("2600", 6)]);
  await lp.send(protocol.ComputeCredit, scuAbi, "transfer", [protocol.ScuUsdcPool, parseUnits("1000", 18)]);
  await lp.send(protocol.USDC, usdcAbi, "transfer", [protocol.ScuUsdcPool, parseUnits("2500", 6)]);
  await lp.send(protocol.ScuUsdcPool, poolAbi, "mint", [lp.address]);
  const token0 = await readPoolContract<Address>("token0");
  await lp.send(protocol.USDC, usdcAbi, "transfer", [protocol.ScuUsdcPool, parseUnits("100", 6)]);
  // USDC in, SCU out: zeroForOne when USDC is token0.
  await lp.send(protocol.ScuUsdcPool, poolAbi, "swapExactIn", [
    !isScuToken0(token0, protocol.ComputeCredit),
    lp.address,
  ]);
}, 180_000);
afterAll(() => stopAll());

it("reads the pool's reserves and the fee it charges the same way in every reader", async () => {
  const [token0, [reserve0, reserve1], fee] = await Promise.all([
    readPoolContract<Address>("token0"),
    readPoolContract<readonly [bigint, bigint, number]>("getReserves"),
    readPoolContract<bigint>("fee"),
  ]);
  expect(fee).toBeGreaterThan(0n);
  const scuIsToken0 = isScuToken0(token0, contracts.ComputeCredit);
  const pool = { ...reservesByToken(scuIsToken0, reserve0, reserve1), fee };
  expect(pool.usdc).toBe(parseUnits("2600", 6));
  const price = spotUsdcPerScu(pool.scu, pool.usdc)!;

  const offers = await readOffers(client, contracts);
  expect(offers.pool).toEqual(pool);

  const market = await readMarket(client, contracts);
  expect(market.reserves).toEqual({ scu: pool.scu, usdc: pool.usdc });
  expect(market.usdcPerScu).toBe(price);

  const snapshot = await readPool(client, contracts, 0n);
  expect(snapshot.state).toEqual(pool);
  expect(snapshot.scuIsToken0).toBe(scuIsToken0);
  expect(snapshot.events.filter((e) => e.kind === "swap")).toHaveLength(1);

  const history = await readPriceHistory(client, contracts, 0n, "all", snapshot.now);
  expect(history.at(-1)!.price).toBe(Number(price) / 1e6);
}, 60_000);
