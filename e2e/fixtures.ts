/** Playwright's test with the app's URL from global setup and a connected burner wallet on demand. */
import { test as base, expect, type Page } from "@playwright/test";

export const test = base.extend<{
  connectBurner: () => Promise<void>;
  takeTestUsdc: (amount: string) => Promise<void>;
  consoleErrors: string[];
}>({
  baseURL: async ({}, use) => {
    const url = process.env.HOURGLASS_E2E_URL;
    if (!url)
      throw new Error("HOURGLASS_E2E_URL is unset: run through `npm run test:e2e` so global setup starts the app.");
    await use(url);
  },
  // Every test fails on a console error or uncaught exception: hydration mismatches, React warnings, crashes.
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
      page.on("pageerror", (error) => errors.push(error.message));
      await use(errors);
      expect(errors, "errors in the browser console").toEqual([]);
    },
    { auto: true },
  ],
  connectBurner: async ({ page }, use) => {
    await use(() => connectBurner(page));
  },
  takeTestUsdc: async ({ page }, use) => {
    await use((amount) => takeTestUsdc(page, amount));
  },
});

/** Connects a fresh burner account (each test's browser context has its own) and waits for its gas money. */
export async function connectBurner(page: Page) {
  await page.goto("/wallet");
  await page.getByRole("button", { name: "Connect Wallet" }).first().click();
  // RainbowKit's modal can drop a click made while it animates open (seen once in CI: the click landed 50 ms
  // after the modal opened and nothing connected); click until the modal closes, which it does on connecting.
  const burner = page.getByRole("button", { name: /Burner wallet/ });
  await expect(async () => {
    if (await burner.isVisible()) await burner.click({ timeout: 2_000 });
    await expect(page.getByRole("dialog", { name: "Connect a Wallet" })).toBeHidden({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("balance-eth")).toHaveText("10");
}

/** On the wallet page, with the burner connected: the faucet's amount, as the balance shows it ("1,000"). */
export async function takeTestUsdc(page: Page, amount: string) {
  await page.getByLabel("Amount (USDC)").fill(amount);
  await page.getByRole("button", { name: "Get test USDC" }).click();
  await expect(page.getByTestId("balance-usdc")).toHaveText(amount);
}

export { expect };
