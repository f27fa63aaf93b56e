/**
 * lib/provider/limits.ts against the real registry on anvil: the most it says a provider may mint is accepted,
 * and one wei more is refused, for a provider bound by its stake and one bound by its listed capacity.
 */
import { parseUnits, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anvilAccount, artifactContract as artifact, localSigner, startAnvil } from "../../scripts/lib/localchain";
import { deployProtocol, listProvider, type ProtocolAddresses } from "../../scripts/lib/protocol";
import { freePort, stopAll } from "../../scripts/lib/proc";
import { mintLimits } from "./limits";

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
  const [p, obligationBound, referencePrice, collateralRatioBps] = await Promise.all([
    read<{ stake: bigint; obligation: bigint; jobCredits: bigint }>("provider", [account]),
    read<bigint>("obligationBound", [account]),
    read<bigint>("referencePrice"),
    read<bigint>("collateralRatioBps"),
  ]);
  return mintLimits({ stake: p.stake, obligation: p.obligation, jobCredits: p.jobCredits, obligationBound, referencePrice, collateralRatioBps });
}

const host = (gpus: number, days: bigint) => ({ signer: privateKeyToAccount(generatePrivateKey()).address, classId: "h100-sxm", gpus, listedForSeconds: days * 86_400n });

describe("mintLimits on the registry", () => {
  it.each([
    ["its stake", anvilAccount(1), host(8, 365n), parseUnits("1234.567891", 6), "stake"],
    ["its listed capacity", anvilAccount(2), host(1, 2n), parseUnits("1000000", 6), "capacity"],
  ] as const)("a provider bound by %s mints the most it is told, and not a wei more", async (_, account, listed, stakeUsdc, limitedBy) => {
    await listProvider(rpcUrl, contracts, account, { hosts: [listed], stakeUsdc, credits: parseUnits("1", 18), creditsTo: account.address });
    const limits = await limitsOf(account.address);
    expect(limits.limitedBy).toBe(limitedBy);
    expect(limits.maxMint).toBeGreaterThan(0n);

    // The limits hold at the block they were read in: capacity falls every second and the TWAP moves, so each
    // mint is made to land at that block's time (an automined block otherwise takes the wall clock's).
    const { client } = localSigner(rpcUrl);
    const { timestamp } = await client.getBlock();
    const atReadTime = () => client.request({ method: "evm_setNextBlockTimestamp" as never, params: [Number(timestamp)] as never });
    const provider = localSigner(rpcUrl, account);
    await atReadTime();
    await expect(provider.send(contracts.ProviderRegistry, abi(), "mint", [limits.maxMint + 1n, account.address])).rejects.toThrow(
      limitedBy === "stake" ? /InsufficientStake/ : /ExceedsCapacity/,
    );
    await atReadTime();
    await provider.send(contracts.ProviderRegistry, abi(), "mint", [limits.maxMint, account.address]);
    expect((await limitsOf(account.address)).maxMint).toBe(0n);
  });
});
