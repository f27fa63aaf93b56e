/**
 * `npm run keeper` against a throwaway anvil with the protocol deployed: the real command records a price reading
 * when one is due (the newest is half a TWAP window old) and sends nothing when none is.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anvilAccount, anvilKey, artifactContract, localSigner, startAnvil } from "./lib/localchain";
import { freePort, stopAll } from "./lib/proc";
import { BIN, ROOT } from "./lib/paths";
import { deployProtocol, TEST_TWAP_WINDOW } from "./lib/protocol";

let rpcUrl: string;
let registry: Address;
const keeper = anvilAccount(9);

beforeAll(async () => {
  ({ rpcUrl } = await startAnvil({ port: await freePort(), blockTime: 0 }));
  registry = (await deployProtocol(rpcUrl)).ProviderRegistry;
}, 60_000);
afterAll(stopAll);

const chain = () => localSigner(rpcUrl).client;
const newest = async () =>
  (
    (await chain().readContract({
      address: registry,
      abi: artifactContract("ProviderRegistry").abi,
      functionName: "priceState",
    })) as readonly bigint[]
  )[3]!;
const sent = () => chain().getTransactionCount({ address: keeper.address });
const advance = async (seconds: number) => {
  await chain().request({ method: "evm_increaseTime" as never, params: [seconds] as never });
  await chain().request({ method: "evm_mine" as never, params: [] as never });
};
async function keepOnce(): Promise<string> {
  const { stdout } = await promisify(execFile)(
    path.join(BIN, "tsx"),
    ["scripts/keeper.ts", "--rpc", rpcUrl, "--key", anvilKey(9), "--registry", registry, "--once"],
    { cwd: ROOT, timeout: 30_000 },
  );
  return stdout;
}

describe("npm run keeper", () => {
  it("records a reading when the newest is half a window old, and nothing before", async () => {
    // The registry recorded its first reading at deployment.
    const deployed = await newest();
    expect(deployed).toBeGreaterThan(0n);
    await advance(TEST_TWAP_WINDOW / 2 - 10);
    expect(await keepOnce()).toMatch(/no reading due: the newest was \d+ s old, due at 900 s/);
    expect(await newest()).toBe(deployed);
    expect(await sent()).toBe(0);

    await advance(10);
    expect(await keepOnce()).toMatch(/recorded a price reading at \d+ \(the newest was \d+ s old\) in 0x[0-9a-f]{64}/);
    const recorded = await newest();
    expect(recorded).toBeGreaterThanOrEqual(deployed + BigInt(TEST_TWAP_WINDOW / 2));
    expect(await sent()).toBe(1);

    expect(await keepOnce()).toMatch(/no reading due/);
    expect(await newest()).toBe(recorded);
    expect(await sent()).toBe(1);
  }, 60_000);

  it("refuses bad arguments with the usage", async () => {
    const run = promisify(execFile)(path.join(BIN, "tsx"), ["scripts/keeper.ts", "--rpc", rpcUrl, "--key", "0x12"], {
      cwd: ROOT,
    });
    await expect(run).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--key: a 32-byte hex private key[\s\S]*usage: npm run keeper/),
    });
  }, 30_000);
});
