/**
 * The provider's whole loop across three roles, in real Chromium against a real chain and a real host agent:
 * a provider starts an agent (no host id yet), registers it from the provider page after the endpoint check,
 * stakes, mints credits and sells some into the pool; a buyer launches a job on that very host; the job runs,
 * is receipted and confirmed; the provider's dashboard shows the job, what it earned and the obligation it paid
 * down; unbonded stake is held until the delay has passed on-chain, then withdrawn.
 *
 * Runs after every other test (its own Playwright project): it sells into the pool and moves chain time by
 * the unbonding delay, which would disturb tests that price trades or wait on deadlines.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEther, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { parametersConstants } from "../lib/contracts/constants";
import { jobCost, usageCap } from "../lib/jobs/cost";
import { parseWithBigints } from "../lib/json";
import type { ProviderReport } from "../lib/provider/report";
import { gpuClass, ratingWad } from "../lib/scu/ratings";
import { formatAmount, SCU } from "../lib/tokens";
import { startUnregisteredHost } from "../scripts/lib/hosts";
import { freePort } from "../scripts/lib/proc";
import { advanceTime, E2E_GPU_CLASS, rpcUrl } from "./anvil";
import { connectBurner, expect, takeTestUsdc, test } from "./fixtures";
import { awaitReceipt, launchJob } from "./jobs";

/** The registry's unbonding delay in the dev deployment (contracts/script/Deploy.s.sol). */
const UNBONDING_DELAY = 9 * 86_400;

/** A host agent as a provider runs it before registering: its own signer and operator keys, no host id, and the
 * provider's wallet in its config, the only one it consents to be registered by. */
async function startUnregisteredAgent(provider: Address) {
  const dir = mkdtempSync(path.join(tmpdir(), "hourglass-e2e-provider-"));
  const {
    url,
    signer,
    process: child,
  } = await startUnregisteredHost(rpcUrl(), {
    dir,
    port: await freePort(),
    signerKey: generatePrivateKey(),
    operatorKey: generatePrivateKey(),
    provider,
    observeEverySeconds: 0,
  });
  return {
    url,
    signer,
    health: async () => (await (await fetch(`${url}/health`)).json()) as { hostId: number | null },
    stop: () => process.kill(-child.pid!, "SIGKILL"),
  };
}

test("a provider lists a host, mints and sells credits, serves a buyer's job, sees it earned, and unbonds stake after the delay", async ({
  page,
  browser,
  connectBurner: connectProvider,
  takeTestUsdc: takeProviderUsdc,
}) => {
  test.setTimeout(240_000);
  // The provider: a fresh wallet with test USDC, and an agent set up for that wallet.
  await connectProvider();
  const providerKey = await page.evaluate(() => localStorage.getItem("hourglass.burner.key"));
  const agent = await startUnregisteredAgent(privateKeyToAccount(providerKey as Hex).address);
  try {
    // The agent checked (its signer consents to serve this wallet), then registered with 300 USDC of stake.
    await takeProviderUsdc("1,000");
    await page.goto("/provider");
    await page.getByTestId("host-endpoint").fill(agent.url);
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await expect(page.getByTestId("host-check-signer")).toHaveText(agent.signer);
    await expect(page.getByTestId("host-check")).toContainText(
      "not yet: it serves the host registered with its signer",
    );
    await expect(page.getByTestId("host-check-provider")).toContainText("(this wallet)");
    await expect(page.getByTestId("host-check-consent")).toContainText(
      "its signer consents to serve this wallet until",
    );
    await expect(page.getByRole("button", { name: "Register host" })).toBeDisabled();
    await expect(page.getByText("Pick a GPU class.")).toBeVisible();
    await page.getByTestId("host-class").selectOption(E2E_GPU_CLASS);
    await page.getByTestId("host-gpus").fill("2");
    await page.getByTestId("host-region").fill("e2e-west");
    await page.getByTestId("host-days").fill("30");
    await page.getByTestId("host-stake").fill("300");
    await expect(page.getByTestId("host-adds")).toContainText("to your mint bound");
    await page.getByRole("button", { name: "Register host" }).click();

    const hostRow = page.getByTestId("hosts-panel").locator("tbody tr").first();
    await expect(hostRow).toContainText(`2 × ${gpuClass(E2E_GPU_CLASS).name}`, { timeout: 30_000 });
    const hostId = Number((await hostRow.locator("td").first().innerText()).replace("#", ""));
    await expect(page.getByTestId(`host-status-${hostId}`)).toHaveText("active");
    await expect(page.getByTestId("stake-total")).toHaveText("$300.00");
    // The agent finds the host registered with its signer.
    await expect.poll(async () => (await agent.health()).hostId, { timeout: 15_000 }).toBe(hostId);

    // Move the endpoint (the same agent by another name): checked first, and the buyer's job goes there.
    const hosts = page.getByTestId("hosts-panel");
    await hosts.getByRole("button", { name: "Endpoint" }).click();
    const moved = agent.url.replace("127.0.0.1", "localhost");
    await hosts.getByTestId("endpoint-input").fill(moved);
    await expect(hosts.getByRole("button", { name: "Save endpoint" })).toBeDisabled();
    await expect(hosts.getByText("Check the endpoint first.")).toBeVisible();
    await hosts.getByRole("button", { name: "Check", exact: true }).click();
    await expect(hosts.getByTestId("host-check-signer")).toHaveText(agent.signer);
    await hosts.getByRole("button", { name: "Save endpoint" }).click();
    await expect(hostRow).toContainText(moved);

    // Only verified hosts back a mint: the provider asks its host to prove its throughput (no fee: it would pay
    // itself), and the agent computes the work, commits and reveals the audited tiles; once the fraud window has
    // passed (moved on here rather than waited out), the agent finalizes and the host is verified.
    const verification = page.getByTestId(`host-verification-${hostId}`);
    await expect(verification).toHaveAttribute("data-verification", "unverified");
    await page
      .getByTestId(`challenge-actions-${hostId}`)
      .getByRole("button", { name: "Request a challenge · no fee" })
      .click();
    await expect(verification).toContainText("revealed the audited tiles", { timeout: 60_000 });
    await advanceTime(parametersConstants.LOCAL_FRAUD_WINDOW);
    await expect(verification).toHaveAttribute("data-verification", "verified", { timeout: 30_000 });
    await expect(verification).toContainText("% of rated");

    // Mint 20 SCU within the live limits, then sell 10 into the pool.
    await page.getByTestId("mint-amount").fill("20");
    await page.getByRole("button", { name: "Mint credits" }).click();
    await expect(page.getByTestId("credits-obligation")).toHaveText("20 SCU");
    // The listings run down, and with them the bound: extending the listing moves the date it backs the obligation to.
    const backedUntil = page.getByTestId("credits-backed-until");
    await expect(backedUntil).toContainText(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    const when = async () => Date.parse(`${(await backedUntil.innerText()).slice(0, 16).replace(" ", "T")}Z`);
    const before = await when();
    await hosts.getByRole("button", { name: "Listing" }).click();
    await hosts.getByTestId("listing-days").fill("731");
    await expect(hosts.getByText("The listing length in days must be from 1 to 730.")).toBeVisible();
    await hosts.getByTestId("listing-days").fill("60");
    await hosts.getByRole("button", { name: "Save listing" }).click();
    // Thirty more days of two RTX 4090s back 20 SCU about thirty days longer.
    await expect.poll(when).toBeGreaterThan(before + 29 * 86_400_000);
    await page.goto("/swap");
    await page.getByRole("button", { name: "Switch to selling SCU for USDC" }).click();
    await page.getByTestId("swap-amount").fill("10");
    await page.getByRole("button", { name: "Swap SCU for USDC" }).click();
    await expect(page.getByTestId("swap-amount")).toHaveValue(""); // cleared once the swap is in a block
    await page.goto("/wallet");
    await expect(page.getByTestId("balance-scu")).toHaveText("10");

    // The buyer, in its own browser context: one GPU of the provider's host for up to an hour.
    const buyerContext = await browser.newContext();
    const buyer = await buyerContext.newPage();
    await connectBurner(buyer);
    await takeTestUsdc(buyer, "1,000");
    const locked = jobCost(1, ratingWad(gpuClass(E2E_GPU_CLASS)), 3600);
    const jobId = await launchJob(buyer, "1", /^Buy & launch/, locked, hostId);
    await expect(buyer.getByTestId("logs")).toContainText("● ended (exit 0)");
    await awaitReceipt(buyer);
    await buyer.getByRole("button", { name: "Confirm receipt" }).click();
    await expect(buyer.getByTestId("job-status")).toHaveAttribute("data-status", "settled");
    await buyerContext.close();

    // The dashboard a minute later (its charts need two buckets of history): the job, what it paid, the record,
    // and the obligation paid down by it. The one-second job bills its minimum charge, a minute.
    await advanceTime(60);
    const used = usageCap(locked, 60, 3600);
    await page.goto("/provider");
    await expect(page.getByTestId(`served-${jobId}`)).toContainText("settled");
    await expect(page.getByTestId(`served-${jobId}`).locator("td").last()).toHaveText(formatAmount(used, SCU));
    await expect(page.getByTestId("jobs-served")).toHaveText("1");
    await expect(page.getByTestId("earned-scu")).toHaveText(`${formatAmount(used, SCU)} SCU`);
    await expect(page.getByTestId("earned-usd")).toHaveText(/^\$\d+\.\d\d at the price when paid$/);
    await expect(page.getByTestId("reliability-inputs")).toHaveText(
      "1 completed · 0 no-shows · 0 disputes lost · 0 challenges failed",
    );
    await expect(page.getByTestId("credits-obligation")).toHaveText(
      `${formatAmount(parseEther("20") - used, SCU)} SCU`,
    );
    await expect(page.getByRole("img", { name: /^Provider charts: earnings and utilization/ })).toBeVisible();
    // The whole dashboard fits a phone's width: its tables scroll in their own boxes.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 720 });

    // Pausing the only host would leave the obligation unbacked: the button says so.
    await expect(hosts.getByRole("button", { name: "Pause" })).toBeDisabled();
    await expect(hosts).toContainText("Without this host your capacity backs 0 SCU, less than your");

    // Unbonding: nothing leaves before the delay, everything asked for after it.
    const withdraw = page.getByRole("button", { name: "Withdraw unbonded stake" });
    await expect(withdraw).toBeDisabled();
    await expect(
      page.getByText("Nothing is unbonding: start unbonding first, then withdraw after the delay."),
    ).toBeVisible();
    await page.getByTestId("unbond-amount").fill("100");
    await page.getByRole("button", { name: "Start unbonding" }).click();
    await expect(page.getByTestId("stake-unbonding")).toHaveText("$100.00");
    await expect(page.getByText(/^Unbonding stake unlocks in 9 days, at /)).toBeVisible();
    await expect(withdraw).toBeDisabled();
    await advanceTime(UNBONDING_DELAY - 120);
    await expect(page.getByText(/^Unbonding stake unlocks in 2 minutes, at /)).toBeVisible();
    await expect(withdraw).toBeDisabled();
    await advanceTime(180);
    // Nine days passed with no price reading (the test's agents record none): withdrawing while the provider
    // owes credits waits for one. Recorded from the page, it is usable a TWAP window later.
    await expect(withdraw).toBeDisabled();
    await expect(
      page.getByText(/^No fresh price reading, which withdrawing needs while you have an obligation or open jobs: /),
    ).toBeVisible();
    await page.getByRole("button", { name: "Record a price reading" }).click();
    await expect(page.getByTestId("price-status")).toContainText("the price is fresh from");
    await advanceTime(30 * 60);
    await expect(withdraw).toBeEnabled();
    await withdraw.click();
    await expect(page.getByTestId("stake-total")).toHaveText("$200.00");
    await expect(page.getByTestId("stake-unbonding")).toHaveText("—");
    await expect(withdraw).toBeDisabled();
  } finally {
    agent.stop();
  }
});

test("the provider route answers a non-address with a reason, and an account that never provided with an empty book", async ({
  request,
}) => {
  const bad = await request.get("/api/providers/0x1234");
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toEqual({ error: "The account must be a 0x-prefixed 20-byte address." });
  const nobody = await request.get(`/api/providers/${privateKeyToAccount(generatePrivateKey()).address}`);
  expect(nobody.status()).toBe(200);
  const { dashboard } = parseWithBigints<ProviderReport>(await nobody.text());
  expect(dashboard).toMatchObject({ hosts: [], jobs: [], stake: 0n, obligation: 0n, limits: { maxMint: 0n } });
});
