/** The buyer's steps the e2e tests share: launch a job from /compute and wait for its receipt. */
import type { Page } from "@playwright/test";
import { formatAmount, SCU } from "../lib/tokens";
import { E2E_GPU_CLASS } from "./anvil";
import { expect } from "./fixtures";

/**
 * On /compute: one GPU of the e2e class (on host `hostId` if given, else the one the page picks) for up to
 * `hours`, the hello-GPU template, the quote checked against `locked`, launched with `button` (one permit, one
 * transaction, one dispatch signature). Returns the job's id once its page shows what the job printed.
 */
export async function launchHelloJob(page: Page, hours: string, button: RegExp, locked: bigint, hostId?: number) {
  await page.goto("/compute");
  if (hostId === undefined) await page.getByLabel("GPU class").selectOption(E2E_GPU_CLASS);
  else await page.getByRole("button", { name: `Pick host #${hostId}` }).click();
  await page.getByTestId("input-gpus").fill("1");
  await page.getByTestId("input-hours").fill(hours);
  await page.getByRole("radio", { name: /Hello, GPU/ }).check();
  await expect(page.getByTestId("quote-scu")).toHaveText(`${formatAmount(locked, SCU)} SCU`);
  await expect(page.getByTestId("quote-usdc")).toHaveText(/^\$\d+\.\d\d$/);
  await page.getByRole("button", { name: button }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/, { timeout: 30_000 });
  const jobId = page.url().split("/").pop()!;
  await expect(page.getByTestId("logs")).toContainText(`hello from job ${jobId} on 1 GPU(s)`, { timeout: 30_000 });
  return jobId;
}

/** The host bills per second and submits its receipt as soon as the job ends: no chain time has to pass. */
export async function awaitReceipt(page: Page) {
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "submitted", { timeout: 15_000 });
}
