import { expect, test } from "./fixtures";

test("without a wallet the wallet page explains what connecting gives", async ({ page }) => {
  await page.goto("/wallet");
  await expect(page.getByRole("heading", { name: "Wallet" })).toBeVisible();
  await expect(page.getByText("Connect a wallet to see your balances and get test USDC.")).toBeVisible();
});

test("a fresh account takes test USDC and sees its balance change", async ({ page, connectBurner }) => {
  await connectBurner();
  await expect(page.getByTestId("balance-usdc")).toHaveText("0");
  await expect(page.getByTestId("balance-scu")).toHaveText("0");

  await page.getByLabel("Amount (USDC)").fill("2,500");
  await page.getByRole("button", { name: "Get test USDC" }).click();

  const toast = page.getByRole("status").filter({ hasText: "Get 2,500 USDC" });
  await expect(toast).toContainText(/Confirmed in block \d+/);
  await expect(page.getByTestId("balance-usdc")).toHaveText("2,500");
  // Gas was paid from the burner's own ETH.
  await expect(page.getByTestId("balance-eth")).not.toHaveText("10");
});

test("a faucet request over the cap shows the decoded error and changes nothing", async ({ page, connectBurner }) => {
  await connectBurner();
  await page.getByLabel("Amount (USDC)").fill("20000");
  await page.getByRole("button", { name: "Get test USDC" }).click();

  const sentence = "You asked for 20,000 USDC, but the faucet gives at most 10,000 USDC per request.";
  await expect(page.locator("#faucet-error")).toHaveText(sentence);
  await expect(page.getByRole("status").filter({ hasText: "Get 20,000 USDC" })).toContainText(`Failed${sentence}`);
  // Caught in simulation: nothing was sent, so no gas was spent and no USDC arrived.
  await expect(page.getByTestId("balance-usdc")).toHaveText("0");
  await expect(page.getByTestId("balance-eth")).toHaveText("10");
});

test("a second request within the cooldown says when the faucet opens again", async ({ page, connectBurner }) => {
  await connectBurner();
  await page.getByRole("button", { name: "Get test USDC" }).click();
  await expect(page.getByTestId("balance-usdc")).toHaveText("1,000");

  await page.getByRole("button", { name: "Get test USDC" }).click();
  await expect(page.locator("#faucet-error")).toHaveText(
    /^This account used the faucet recently\. You can use it again in (1 hour|60 minutes|59 minutes)\.$/,
  );
  await expect(page.getByTestId("balance-usdc")).toHaveText("1,000");
});

test("input the faucet cannot take is explained before anything is signed", async ({ page, connectBurner }) => {
  await connectBurner();
  await page.getByLabel("Amount (USDC)").fill("12abc");
  await page.getByRole("button", { name: "Get test USDC" }).click();
  await expect(page.locator("#faucet-error")).toHaveText("Enter a number, like 1000 or 2.5.");
  await expect(page.getByRole("status")).toHaveCount(0);
});
