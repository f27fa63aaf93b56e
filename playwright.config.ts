import { defineConfig } from "@playwright/test";
import { chromiumExecutable } from "./scripts/lib/chromium";

/**
 * End-to-end tests in real Chromium against a real anvil and a production build of the app, which
 * e2e/global-setup.ts starts on free ports and stops afterwards.
 */
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    },
    trace: "retain-on-failure",
  },
  // The LP tests compare previews with what transactions pay out, so they run once every other test (and its
  // trades) has finished; the provider's loop then moves chain time by the unbonding delay, last of all.
  projects: [
    { name: "app", testIgnore: /(pool|provider)\.spec\.ts/ },
    { name: "pool", testMatch: /pool\.spec\.ts/, dependencies: ["app"] },
    { name: "provider", testMatch: /provider\.spec\.ts/, dependencies: ["pool"] },
  ],
});
