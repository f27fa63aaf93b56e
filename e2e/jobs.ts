/** The buyer's steps the e2e tests share: launch a job from /compute and wait for its receipt. */
import type { Page } from "@playwright/test";
import { formatAmount, SCU } from "../lib/tokens";
import { E2E_GPU_CLASS } from "./anvil";
import { expect } from "./fixtures";

/** A template to launch, and a line it prints (given the job's id) once it runs. */
export interface LaunchedTemplate {
  radio: RegExp;
  printed: (jobId: string) => string;
}
export const HELLO: LaunchedTemplate = { radio: /Hello, GPU/, printed: (id) => `hello from job ${id} on 1 GPU(s)` };
/** The OpenAI-compatible inference server: it serves until stopped. */
export const INFERENCE: LaunchedTemplate = { radio: /Inference server/, printed: () => "serving on port 8000" };

/**
 * On /compute: one GPU of the e2e class (on host `hostId` if given, else the one the page picks) for up to
 * `hours`, a template (the hello-GPU one unless told), the quote checked against `locked`, launched with `button`
 * (one permit, one transaction, one dispatch signature). Returns the job's id once its page shows what the job
 * printed.
 */
export async function launchJob(
  page: Page,
  hours: string,
  button: RegExp,
  locked: bigint,
  hostId?: number,
  template: LaunchedTemplate = HELLO,
) {
  await page.goto("/compute");
  if (hostId === undefined) await page.getByLabel("GPU class").selectOption(E2E_GPU_CLASS);
  else await page.getByRole("button", { name: `Pick host #${hostId}` }).click();
  await page.getByTestId("input-gpus").fill("1");
  await page.getByTestId("input-hours").fill(hours);
  await page.getByRole("radio", { name: template.radio }).check();
  await expect(page.getByTestId("quote-scu")).toHaveText(`${formatAmount(locked, SCU)} SCU`);
  await expect(page.getByTestId("quote-usdc")).toHaveText(/^\$\d+\.\d\d$/);
  await page.getByRole("button", { name: button }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/, { timeout: 30_000 });
  const jobId = page.url().split("/").pop()!;
  await expect(page.getByTestId("logs")).toContainText(template.printed(jobId), { timeout: 30_000 });
  return jobId;
}

/** The host bills per second and submits its receipt as soon as the job ends: no chain time has to pass. */
export async function awaitReceipt(page: Page) {
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "submitted", { timeout: 15_000 });
}
