import { WAD } from "../lib/math";
import { GPU_CLASSES, gpuClass, ratingWad } from "../lib/scu/ratings";
import { formatAmount, USDC } from "../lib/tokens";
import { DEMO_PROVIDERS, POOL_SEED_USDC } from "../scripts/lib/demo";
import { expect, test } from "./fixtures";

// The seeded pool: the first demo provider's credits beside POOL_SEED_USDC.
const price = (BigInt(POOL_SEED_USDC) * 10n ** 6n * WAD) / (BigInt(DEMO_PROVIDERS[0]!.mintScu) * WAD);

test("the market page prices every GPU class from the pool, without a wallet or its code", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("scu-price")).toHaveText(`$${formatAmount(price, USDC, 4)}`);

  for (const gpu of GPU_CLASSES) {
    await expect(page.getByTestId(`index-${gpu.id}`).getByTestId("usd-per-hour")).toHaveText(`$${formatAmount((price * ratingWad(gpu)) / WAD, USDC)}`);
  }
  const h100Gpus = DEMO_PROVIDERS.flatMap((p) => p.hosts).filter((h) => h.classId === "h100-sxm").reduce((n, h) => n + h.gpus, 0);
  await expect(page.getByTestId("index-h100-sxm")).toContainText(`${h100Gpus} (0)`);

  // The rating's working is one click away.
  await page.getByTestId("index-h100-sxm").getByText(gpuClass("h100-sxm").name).click();
  await expect(page.getByTestId("index-h100-sxm")).toContainText("√((989.4 TFLOPS ÷ 312) × (3.35 TB/s ÷ 2.039)) = 2.283");

  // The chart draws once in view; RainbowKit (whose provider marks the page with data-rk) never mounts here
  // (BENCHMARKS.md has what the page loads).
  await page.getByRole("img", { name: /SCU price chart/ }).scrollIntoViewIfNeeded();
  await expect(page.locator(".recharts-surface")).toBeVisible();
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
