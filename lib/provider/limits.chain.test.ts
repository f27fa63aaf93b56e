/**
 * lib/provider/limits.ts and actions.ts against the real registry on anvil: the most they say a provider may
 * mint is accepted, and one wei more is refused, for a provider bound by its stake and one bound by its mint
 * bound; the stake they say is required, and the bounds they compute from the dashboard's hosts, are the
 * registry's; the page's "Max" still mints a minute after the read, and stays clear of liquidation for a day.
 */
import { createPublicClient, http, parseUnits, type Address, type PublicClient } from "viem";
import { foundry } from "viem/chains";
import { generatePrivateKey } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anvilAccount, artifactContract as artifact, localSigner, startAnvil } from "../../scripts/lib/localchain";
import { deployProtocol, listProvider, type ProtocolAddresses } from "../../scripts/lib/protocol";
import { freePort, stopAll } from "../../scripts/lib/proc";
import {
  backedUntil,
  mintableBoundAt,
  mintBoundAt,
  mintMaxWithLeeway,
  MINT_LEEWAY_SECONDS,
  obligationBoundAt,
} from "./actions";
import { mintLimits } from "./limits";
import { readProvider } from "./dashboard";

let rpcUrl: string;
let contracts: ProtocolAddresses;
const abi = () => artifact("ProviderRegistry").abi;

beforeAll(async () => {
  ({ rpcUrl } = await startAnvil({ port: await freePort(), blockTime: 0 }));
  contracts = await deployProtocol(rpcUrl);
}, 60_000);

afterAll(stopAll);

async function limitsOf(account: Address) {
  const { client } = localSigner(rpcUrl);
  const read = <T>(functionName: string, args: unknown[] = []) =>
    client.readContract({ address: contracts.ProviderRegistry, abi: abi(), functionName, args }) as Promise<T>;
  const [p, mintBound, [, , fresh, , bookingPrice], collateralRatioBps, required] = await Promise.all([
    read<{ stake: bigint; obligation: bigint; jobCredits: bigint; disputeStake: bigint }>("provider", [account]),
    read<bigint>("mintBound", [account]),
    read<readonly [bigint, bigint, boolean, bigint, bigint, bigint]>("priceState"),
    read<bigint>("collateralRatioBps"),
    read<bigint>("requiredStake", [account]),
  ]);
  const limits = mintLimits({ ...p, mintBound, priceFresh: fresh, bookingPrice, collateralRatioBps });
  expect(limits.required).toBe(required);
  return limits;
}

const host = (gpus: number, days: bigint) => ({
  signerKey: generatePrivateKey(),
  classId: "h100-sxm",
  gpus,
  listedForSeconds: days * 86_400n,
});

describe("mintLimits on the registry", () => {
  it.each([
    ["its stake", anvilAccount(1), host(8, 365n), parseUnits("1234.567891", 6), "stake"],
    ["its listed capacity", anvilAccount(2), host(1, 2n), parseUnits("1000000", 6), "capacity"],
  ] as const)(
    "a provider bound by %s mints the most it is told, and not a wei more",
    async (_, account, listed, stakeUsdc, limitedBy) => {
      await listProvider(rpcUrl, contracts, account, {
        hosts: [listed],
        stakeUsdc,
        credits: parseUnits("1", 18),
        creditsTo: account.address,
      });
      const limits = await limitsOf(account.address);
      expect(limits.limitedBy).toBe(limitedBy);
      expect(limits.maxMint).toBeGreaterThan(0n);

      // The limits hold at the block they were read in: the mint bound falls every second and the TWAP moves, so each
      // mint is made to land at that block's time (an automined block otherwise takes the wall clock's).
      const { client } = localSigner(rpcUrl);
      const { timestamp } = await client.getBlock();
      const atReadTime = () =>
        client.request({ method: "evm_setNextBlockTimestamp" as never, params: [Number(timestamp)] as never });
      const provider = localSigner(rpcUrl, account);
      await atReadTime();
      await expect(
        provider.send(contracts.ProviderRegistry, abi(), "mint", [limits.maxMint + 1n, account.address]),
      ).rejects.toThrow(limitedBy === "stake" ? /InsufficientStake/ : /ExceedsCapacity/);
      await atReadTime();
      await provider.send(contracts.ProviderRegistry, abi(), "mint", [limits.maxMint, account.address]);
      expect((await limitsOf(account.address)).maxMint).toBe(0n);
    },
    // Listing a provider proves its hosts first (a challenge, a block a second): seconds, not milliseconds.
    60_000,
  );
});

describe("the provider page's bounds on the registry", () => {
  it("computes the registry's bounds from the hosts, and Max mints a minute after the read", async () => {
    const account = anvilAccount(3);
    await listProvider(rpcUrl, contracts, account, {
      hosts: [host(2, 3n), host(1, 400n)],
      stakeUsdc: parseUnits("1000000", 6),
      credits: parseUnits("1", 18),
      creditsTo: account.address,
    });
    // The dashboard batches its reads through Multicall3, which a fresh chain does not have.
    const multicall3 = await localSigner(rpcUrl).deploy(artifact("Multicall3"));
    const client = createPublicClient({
      chain: { ...foundry, contracts: { multicall3: { address: multicall3 } } },
      transport: http(rpcUrl),
    }) as PublicClient;
    const d = await readProvider(client, contracts, account.address, 0n);
    expect(d.price.fresh).toBe(true);
    expect(mintableBoundAt(d, d.now)).toBe(d.mintBound);
    // Every host here is verified for days: the bound a pause must leave counts the same hosts.
    expect(mintBoundAt(d, d.now)).toBe(d.mintBound);
    expect(obligationBoundAt(d, d.now)).toBe(d.obligationBound);

    const max = mintMaxWithLeeway(d);
    expect(max).toBeGreaterThan(0n);
    await client.request({
      method: "evm_setNextBlockTimestamp" as never,
      params: [d.now + MINT_LEEWAY_SECONDS] as never,
    });
    await localSigner(rpcUrl, account).send(contracts.ProviderRegistry, abi(), "mint", [max, account.address]);
    const after = await readProvider(client, contracts, account.address, 0n);
    expect(after.obligation).toBe(d.obligation + max);
    expect(backedUntil(after)).toBeGreaterThanOrEqual(after.now + after.params.mintHeadroom);
  }, 60_000);
});
