import type { Page } from "@playwright/test";
import { formatAmount, SCU } from "../lib/tokens";
import { jobCost, usageCap } from "../lib/jobs/cost";
import { gpuClass, ratingWad } from "../lib/scu/ratings";
import { advanceTime, E2E_GPU_CLASS } from "./chain";
import { expect, test } from "./fixtures";

test("a fresh account buys and launches a template job, watches it run, confirms and gets the unused credits back", async ({
  page,
  connectBurner,
  takeTestUsdc,
}) => {
  test.setTimeout(120_000);
  await connectBurner();
  await takeTestUsdc("1,000");

  // One GPU for up to an hour: the escrow locks the hour, the host bills the minute it runs.
  const locked = jobCost(1, ratingWad(gpuClass(E2E_GPU_CLASS)), 3600);
  const jobId = await launchHelloJob(page, "1", /^Buy & launch/, locked);
  await expect(page.getByTestId("logs")).toContainText("● ended (exit 0)");
  await awaitReceipt(page);
  const used = usageCap(locked, 60, 3600);
  await expect(page.getByTestId("job-used")).toHaveText(formatAmount(used, SCU));

  await page.getByRole("button", { name: "Confirm receipt" }).click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "settled");
  await expect(page.getByTestId("job-refund")).toHaveText(`${formatAmount(locked - used, SCU)} SCU`);
  await expect(page.getByTestId("timeline").locator("li").last()).toHaveAttribute("data-state", "done");

  // The refund is in the wallet: it held no SCU before.
  await page.goto("/wallet");
  await expect(page.getByTestId("balance-scu")).toHaveText(formatAmount(locked - used, SCU));

  // Those credits pay for a half-hour job outright: one SCU permit, one transaction, no swap.
  const second = await launchHelloJob(page, "0.5", /^Use my credits/, jobCost(1, ratingWad(gpuClass(E2E_GPU_CLASS)), 1800));
  expect(second).not.toBe(jobId);
});

test("a buyer who disputes the receipt sees the dispute recorded, and can no longer confirm", async ({ page, connectBurner, takeTestUsdc }) => {
  test.setTimeout(120_000);
  await connectBurner();
  await takeTestUsdc("1,000");
  await launchHelloJob(page, "1", /^Buy & launch/, jobCost(1, ratingWad(gpuClass(E2E_GPU_CLASS)), 3600));
  await awaitReceipt(page);

  await expect(page.getByText(/^Something wrong\? Dispute before \d{4}-\d\d-\d\d \d\d:\d\d UTC$/)).toBeVisible();
  await page.getByPlaceholder("What went wrong").fill("The output is not what the template prints.");
  await page.getByRole("button", { name: "Dispute the receipt" }).click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "disputed");
  await expect(page.getByTestId("timeline")).toContainText("You disputed the receipt; the arbiter decides.");
  await expect(page.getByRole("button", { name: "Confirm receipt" })).toHaveCount(0);
});

/**
 * On /compute: one GPU of the e2e class for up to `hours`, the hello-GPU template, the quote checked against
 * `locked`, launched with `button` (one permit, one transaction, one dispatch signature). Returns the job's id
 * once its page shows what the job printed.
 */
async function launchHelloJob(page: Page, hours: string, button: RegExp, locked: bigint) {
  await page.goto("/compute");
  await page.getByLabel("GPU class").selectOption(E2E_GPU_CLASS);
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

/** The host bills whole minutes and waits for its minute to pass on-chain before it signs the receipt. */
async function awaitReceipt(page: Page) {
  await advanceTime(60);
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "submitted", { timeout: 30_000 });
}
