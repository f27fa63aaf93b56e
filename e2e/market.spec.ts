import { createPublicClient, http } from "viem";
import { poolState } from "../lib/amm/pool";
import { scuUsdcPoolAbi } from "../lib/contracts/abis";
import { spotUsdcPerScu, usdcPerGpuHour } from "../lib/amm/price";
import { readDeployment } from "../scripts/lib/localchain";
import { GPU_CLASSES, gpuClass, ratingWad } from "../lib/scu/ratings";
import { formatUsd } from "../lib/tokens";
import { expect, test } from "./fixtures";

test("the market page prices every GPU class from the pool, without a wallet or its code", async ({ page }) => {
  await page.goto("/");
  // Other tests trade and book GPUs on the same chain: check the page against the pool at the block it shows.
  const block = BigInt(await page.getByTestId("market-block").innerText());
  const client = createPublicClient({ transport: http(process.env.HOURGLASS_E2E_RPC) });
  const contracts = readDeployment()!;
  const [token0, [r0, r1]] = await Promise.all([
    client.readContract({
      address: contracts.ScuUsdcPool!,
      abi: scuUsdcPoolAbi,
      functionName: "token0",
      blockNumber: block,
    }),
    client.readContract({
      address: contracts.ScuUsdcPool!,
      abi: scuUsdcPoolAbi,
      functionName: "getReserves",
      blockNumber: block,
    }),
  ]);
  const { scu, usdc } = poolState(token0, contracts.ComputeCredit!, r0, r1, 0n);
  const price = spotUsdcPerScu(scu, usdc)!;
  await expect(page.getByTestId("scu-price")).toHaveText(formatUsd(price, 4));

  for (const gpu of GPU_CLASSES) {
    await expect(page.getByTestId(`index-${gpu.id}`).getByTestId("usd-per-hour")).toHaveText(
      formatUsd(usdcPerGpuHour(price, ratingWad(gpu))),
    );
  }
  const h100 = page.getByTestId("index-h100-sxm");
  await expect(h100).toContainText("on 2 hosts");

  // The rating's working is one click away.
  await page.getByTestId("index-h100-sxm").getByText(gpuClass("h100-sxm").name).click();
  await expect(page.getByTestId("index-h100-sxm")).toContainText(
    "√((989.4 TFLOPS ÷ 312) × (3.35 TB/s ÷ 2.039)) = 2.283",
  );

  // The chart is server-rendered SVG with no chart code loaded; pointing at it brings the interactive one
  // (recharts). RainbowKit (whose provider marks the page with data-rk) never mounts here (BENCHMARKS.md has
  // what the page loads).
  const chart = page.getByRole("img", { name: /SCU price chart/ });
  await expect(chart.getByTestId("static-chart").locator("path")).toHaveCount(2);
  await expect(page.locator(".recharts-surface")).toHaveCount(0);
  await chart.hover();
  await expect(chart.locator(".recharts-surface")).toBeVisible();
  await expect(page.locator("[data-rk]")).toHaveCount(0);
});

test("the header's connect button leads to the wallet page, which loads the wallet", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Connect wallet" }).click();
  await expect(page).toHaveURL(/\/wallet$/);
  await expect(page.getByRole("button", { name: "Connect Wallet" }).first()).toBeVisible();
  await expect(page.locator("[data-rk]")).not.toHaveCount(0);
  await expect(page.getByRole("link", { name: "Connect wallet" })).toBeHidden();
});
