import { trader, tradeBeforeNextTransaction } from "./anvil";
import { expect, test } from "./fixtures";

test("the swap quotes from the pool and warns about loose slippage", async ({ page, connectBurner }) => {
  await connectBurner();
  await page.goto("/swap");
  await expect(page.getByTestId("swap-slippage")).toHaveValue("0.5");
  await page.getByTestId("swap-amount").fill("100");
  await expect(page.getByTestId("swap-out")).toHaveText(/^\d+\.\d+$/);
  await expect(page.getByText("Not enough USDC: you have 0 USDC.")).toBeVisible();
  await page.getByTestId("swap-slippage").fill("2");
  await expect(page.getByText(/^Above 1%/)).toBeVisible();
  await page.getByTestId("swap-slippage").fill("6");
  await expect(page.getByText(/^Above 5%/)).toBeVisible();
});

test("a swap with slippage too tight for a concurrent price move shows the decoded error and loses nothing", async ({
  page,
  connectBurner,
  takeTestUsdc,
}) => {
  await connectBurner();
  await takeTestUsdc("1,000");
  await page.goto("/swap");
  await page.getByTestId("swap-amount").fill("100");
  await page.getByTestId("swap-slippage").fill("0.1");
  await expect(page.getByTestId("swap-min")).toHaveText(/SCU$/);

  // After the wallet signed and before the chain has the transaction, another trader buys SCU: the swap
  // passed simulation and is mined against a higher price.
  const move = await tradeBeforeNextTransaction(page, () => trader(9).buyScu("5000"));
  await page.getByRole("button", { name: "Swap USDC for SCU" }).click();

  await expect(page.getByTestId("swap-error")).toHaveText(
    /^The price moved: you would receive [\d.,]+ SCU, below your minimum of [\d.,]+ SCU\./,
  );
  expect(move.moved).toBe(true);
  // Reverted: the USDC is all there and no SCU arrived.
  await page.goto("/wallet");
  await expect(page.getByTestId("balance-usdc")).toHaveText("1,000");
  await expect(page.getByTestId("balance-scu")).toHaveText("0");
});
