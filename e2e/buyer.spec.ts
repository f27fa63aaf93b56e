import { readFileSync } from "node:fs";
import { formatAmount, SCU } from "../lib/tokens";
import { jobCost, usageCap } from "../lib/jobs/cost";
import { gpuClass, ratingWad } from "../lib/scu/ratings";
import { E2E_GPU_CLASS } from "./anvil";
import { expect, test } from "./fixtures";
import { awaitReceipt, INFERENCE, launchJob } from "./jobs";

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
  const jobId = await launchJob(page, "1", /^Buy & launch/, locked);
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
  const second = await launchJob(page, "0.5", /^Use my credits/, jobCost(1, ratingWad(gpuClass(E2E_GPU_CLASS)), 1800));
  expect(second).not.toBe(jobId);
});

test("a buyer launches the inference server, chats with it from the job page, extends the job, stops it and downloads its transcript", async ({
  page,
  connectBurner,
  takeTestUsdc,
}) => {
  test.setTimeout(150_000);
  await connectBurner();
  await takeTestUsdc("1,000");
  const locked = jobCost(1, ratingWad(gpuClass(E2E_GPU_CLASS)), 3600);
  await launchJob(page, "1", /^Buy & launch/, locked, undefined, INFERENCE);

  // The chat box calls the job's service through the route with a "service" token; the answer streams in.
  await expect(page.getByTestId("service-url")).toContainText(/\/api\/jobs\/\d+\/http\/8000\//);
  await page.getByLabel("Message").fill("what does a host prove");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByTestId("chat-messages")).toContainText(/Model: \S+( \S+){3,}/, { timeout: 20_000 });

  // The extension is paid from the wallet: some SCU first.
  await page.goto("/swap");
  await page.getByTestId("swap-amount").fill("100");
  await page.getByRole("button", { name: "Swap USDC for SCU" }).click();
  await expect(page.getByTestId("swap-amount")).toHaveValue("", { timeout: 30_000 });
  await page.goBack();
  await page.getByTestId("extend-hours").fill("1");
  await expect(page.getByTestId("extend-cost")).toContainText(`Locks ${formatAmount(locked, SCU)} SCU more`);
  await page.getByRole("button", { name: "Extend", exact: true }).click();
  await expect(page.getByTestId("job-locked")).toHaveText(formatAmount(2n * locked, SCU), { timeout: 30_000 });

  await page.getByRole("button", { name: "Stop now (billing ends now)" }).click();
  await awaitReceipt(page);

  // Its outputs, kept by the host and listed with their hashes: the transcript holds the chat.
  await page.getByRole("button", { name: "Show the job's files" }).click();
  const link = page.getByTestId("job-outputs").getByRole("link", { name: "transcript.jsonl" });
  await expect(link).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("manifest-hash")).toContainText(/Manifest hash 0x[0-9a-f]{64}/);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const text = readFileSync(await download.path(), "utf8");
  expect(JSON.parse(text.split("\n")[0]!)).toMatchObject({ prompt: "what does a host prove" });
});

test("a buyer who disputes the receipt sees the dispute recorded, and can no longer confirm", async ({
  page,
  connectBurner,
  takeTestUsdc,
}) => {
  test.setTimeout(120_000);
  await connectBurner();
  await takeTestUsdc("1,000");
  await launchJob(page, "1", /^Buy & launch/, jobCost(1, ratingWad(gpuClass(E2E_GPU_CLASS)), 3600));
  await awaitReceipt(page);

  await expect(page.getByText(/^Something wrong\? Dispute before \d{4}-\d\d-\d\d \d\d:\d\d UTC$/)).toBeVisible();
  await page.getByPlaceholder("What went wrong").fill("The output is not what the template prints.");
  // The bond (10% of the job) comes out of the refund the receipt leaves: nothing more from the wallet.
  await expect(page.getByTestId("dispute-bond")).toContainText("Disputing posts a bond of");
  await page.getByRole("button", { name: "Dispute the receipt" }).click();
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "disputed");
  await expect(page.getByTestId("timeline")).toContainText("You disputed the receipt; the arbiter decides.");
  await expect(page.getByRole("button", { name: "Confirm receipt" })).toHaveCount(0);
});
