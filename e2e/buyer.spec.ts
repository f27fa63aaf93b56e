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
  await page.goto("/compute");
  await page.getByLabel("GPU class").selectOption(E2E_GPU_CLASS);
  await page.getByTestId("input-gpus").fill("1");
  await page.getByTestId("input-hours").fill("1");
  await page.getByRole("radio", { name: /Hello, GPU/ }).check();
  const locked = jobCost(1, ratingWad(gpuClass(E2E_GPU_CLASS)), 3600);
  await expect(page.getByTestId("quote-scu")).toHaveText(`${formatAmount(locked, SCU)} SCU`);
  await expect(page.getByTestId("quote-usdc")).toHaveText(/^\$\d+\.\d\d$/);

  // One permit signature, one transaction, one dispatch signature; then the job's page.
  await page.getByRole("button", { name: /^Buy & launch/ }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/, { timeout: 30_000 });
  const jobId = page.url().split("/").pop();

  await expect(page.getByTestId("logs")).toContainText(`hello from job ${jobId} on 1 GPU(s)`, { timeout: 30_000 });
  await expect(page.getByTestId("logs")).toContainText("● ended (exit 0)");

  // The host bills whole minutes and waits for its minute to pass on-chain before it signs the receipt.
  await advanceTime(60);
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "submitted", { timeout: 30_000 });
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
  await page.goto("/compute");
  await page.getByLabel("GPU class").selectOption(E2E_GPU_CLASS);
  await page.getByTestId("input-hours").fill("0.5");
  await page.getByRole("button", { name: /^Use my credits/ }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/, { timeout: 30_000 });
  const second = page.url().split("/").pop();
  expect(second).not.toBe(jobId);
  await expect(page.getByTestId("logs")).toContainText(`hello from job ${second} on 1 GPU(s)`, { timeout: 30_000 });
});
