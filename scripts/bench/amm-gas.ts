/**
 * Whole-transaction gas of our router against Uniswap v2's, on one anvil with the same token contracts
 * (SCU and test USDC from this repo), each call in its own block. Uniswap v2 is deployed from its npm build
 * artifacts (@uniswap/v2-core, @uniswap/v2-periphery), used here only as a baseline and never copied.
 * Usage: npm run bench:amm   (builds the contracts first)
 */
import { createRequire } from "node:module";
import { maxUint256, parseUnits, type Abi, type Address, type Hex } from "viem";
import { artifactContract as ours, buildContracts, localSigner, startAnvil } from "../lib/localchain.ts";
import { freePort, stopAll } from "../lib/proc.ts";

const require = createRequire(import.meta.url);
const v2 = (file: string) => {
  const json = require(`@uniswap/${file}.json`) as { abi: Abi; bytecode: string };
  return { abi: json.abi, bytecode: (json.bytecode.startsWith("0x") ? json.bytecode : `0x${json.bytecode}`) as Hex };
};

/** Targets from the issue, in gas per whole transaction. */
const TARGETS: Record<string, number> = {
  "swap, 1 hop": 78_000,
  "swap, 2 hops": Infinity,
  "add liquidity": 123_000,
  "remove liquidity": 96_000,
};

await buildContracts();
const anvil = await startAnvil({ port: await freePort(), blockTime: 0 });
try {
  const { address: me, client, deploy, send } = localSigner(anvil.rpcUrl);

  /** Each measured call is the first in a block 12 s after the last, so both pools update their price
   * accumulators (which a second trade in the same second skips). */
  async function measured(address: Address, abi: Abi, functionName: string, args: unknown[]): Promise<bigint> {
    await client.request({ method: "evm_increaseTime" as never, params: [12] as never });
    return send(address, abi, functionName, args);
  }
  // The same tokens for both: SCU (18 decimals), test USDC (6) and a second SCU-like token for two hops.
  const credit = ours("ComputeCredit");
  const testUsdc = ours("TestUSDC");
  const scu = await deploy(credit);
  const gpu = await deploy(credit);
  const usdc = await deploy(testUsdc, [me]);
  for (const token of [scu, gpu]) {
    // Here the deployer is its token's one minter (on a deployment, the registry is).
    await send(token, credit.abi, "setMinter", [me]);
    await send(token, credit.abi, "mint", [me, parseUnits("100000000", 18)]);
  }
  await send(usdc, testUsdc.abi, "mint", [me, parseUnits("100000000", 6)]);

  const factory = await deploy(ours("PoolFactory"), [me]);
  const routers = {
    hourglass: { address: await deploy(ours("Router"), [factory]), abi: ours("Router").abi },
    "uniswap v2": {
      address: await deploy(v2("v2-periphery/build/UniswapV2Router02"), [
        await deploy(v2("v2-core/build/UniswapV2Factory"), [me]),
        await deploy(v2("v2-periphery/build/WETH9")),
      ]),
      abi: v2("v2-periphery/build/UniswapV2Router02").abi,
    },
  };

  const deadline = 2n ** 40n;
  const results: Record<string, Record<string, bigint>> = {};
  for (const [name, router] of Object.entries(routers)) {
    for (const token of [scu, gpu, usdc]) await send(token, credit.abi, "approve", [router.address, maxUint256]);
    const add = (a: Address, b: Address, amountA: bigint, amountB: bigint, call = send) =>
      call(router.address, router.abi, "addLiquidity", [a, b, amountA, amountB, 0n, 0n, me, deadline]);
    // Create and seed the pools (not measured): $1.40 per SCU, and 2 GPU-tokens per SCU.
    await add(scu, usdc, parseUnits("1000000", 18), parseUnits("1400000", 6));
    await add(scu, gpu, parseUnits("500000", 18), parseUnits("1000000", 18));
    const pool = (await client.readContract({
      address: router.address,
      abi: [{ type: "function", name: "factory", inputs: [], outputs: [{ type: "address" }], stateMutability: "view" }],
      functionName: "factory",
    })) as Address;
    const poolAddress = (await client.readContract({
      address: pool,
      abi: [
        {
          type: "function",
          name: name === "hourglass" ? "getPool" : "getPair",
          inputs: [{ type: "address" }, { type: "address" }],
          outputs: [{ type: "address" }],
          stateMutability: "view",
        },
      ],
      functionName: name === "hourglass" ? "getPool" : "getPair",
      args: [scu, usdc],
    })) as Address;
    await send(poolAddress, credit.abi, "approve", [router.address, maxUint256]);

    const swap = (path: Address[]) =>
      measured(router.address, router.abi, "swapExactTokensForTokens", [parseUnits("1000", 6), 0n, path, me, deadline]);
    // A market that has traded before: its price accumulators are already non-zero.
    await swap([usdc, scu, gpu]);
    results[name] = {
      "swap, 1 hop": await swap([usdc, scu]),
      "swap, 2 hops": await swap([usdc, scu, gpu]),
      "add liquidity": await add(scu, usdc, parseUnits("1000", 18), parseUnits("1400", 6), measured),
      "remove liquidity": await measured(router.address, router.abi, "removeLiquidity", [
        scu,
        usdc,
        parseUnits("1", 15),
        0n,
        0n,
        me,
        deadline,
      ]),
    };
  }

  const rows = Object.keys(TARGETS).map((op) => {
    const ourGas = results.hourglass![op]!;
    const v2Gas = results["uniswap v2"]![op]!;
    const saved = (100 * Number(v2Gas - ourGas)) / Number(v2Gas);
    const target = TARGETS[op]!;
    return `| ${op} | ${ourGas.toLocaleString("en-US")} | ${v2Gas.toLocaleString("en-US")} | ${saved.toFixed(1)}% | ${Number.isFinite(target) ? `≤ ${target.toLocaleString("en-US")} ${Number(ourGas) <= target ? "✓" : "✗"}` : "—"} |`;
  });
  console.log(
    ["", "| operation | Hourglass | Uniswap v2 | saved | target |", "| --- | --- | --- | --- | --- |", ...rows].join(
      "\n",
    ),
  );
} finally {
  await stopAll();
}
