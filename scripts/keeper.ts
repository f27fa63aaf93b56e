/**
 * `npm run keeper -- --rpc <url> --key <hex key> [--chain-id N] [--every S] [--registry 0x…] [--once]`: keeps
 * the registry's reference price alive on any chain, recording a price reading whenever one is due
 * (lib/oracle.ts), checking every S seconds (60 by default). The key only pays gas: anyone may record. The
 * registry comes from lib/contracts/deployments/<chainId>.json unless --registry names it. Prints one line a
 * check; --once checks once and exits (for cron).
 */
import { parseArgs } from "node:util";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  isAddress,
  isHex,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getDeployment } from "../lib/chain.ts";
import { providerRegistryAbi } from "../lib/contracts/abis.ts";
import { describeError } from "../lib/errors.ts";
import { describeOutcome, observeIfDue } from "../lib/oracle.ts";

const USAGE =
  "usage: npm run keeper -- --rpc <url> --key <hex key> [--chain-id N] [--every S] [--registry 0x…] [--once]";

class UsageError extends Error {}

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      rpc: { type: "string" },
      key: { type: "string" },
      "chain-id": { type: "string" },
      every: { type: "string" },
      registry: { type: "string" },
      once: { type: "boolean", default: false },
    },
  });
  const { rpc, key, registry } = values;
  if (!rpc || !/^https?:\/\/\S+$/.test(rpc)) throw new UsageError("--rpc: an http(s) URL of the chain's RPC");
  if (!key || !isHex(key) || key.length !== 66)
    throw new UsageError("--key: a 32-byte hex private key (0x + 64 hex digits)");
  const every = Number(values.every ?? 60);
  if (!Number.isInteger(every) || every < 1 || every > 86_400)
    throw new UsageError("--every: whole seconds from 1 to 86400");
  const chainId = values["chain-id"] === undefined ? undefined : Number(values["chain-id"]);
  if (chainId !== undefined && (!Number.isSafeInteger(chainId) || chainId <= 0))
    throw new UsageError("--chain-id: a positive whole number");
  if (registry !== undefined && !isAddress(registry)) throw new UsageError("--registry: an address");
  return { rpc, key: key as Hex, every, chainId, registry: registry as Address | undefined, once: values.once };
}

async function main() {
  const opts = options(process.argv.slice(2));
  const client = createPublicClient({ transport: http(opts.rpc), pollingInterval: 1_000 });
  const chainId = opts.chainId ?? (await client.getChainId());
  const registry = opts.registry ?? getDeployment(chainId)?.contracts.ProviderRegistry;
  if (!registry) throw new UsageError(`--registry: none given and no deployment is known for chain ${chainId}`);
  const account = privateKeyToAccount(opts.key);
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [opts.rpc] } },
  });
  const wallet = createWalletClient({ account, chain, transport: http(opts.rpc) });
  const sendObserve = async () => {
    const { request } = await client.simulateContract({
      account,
      address: registry,
      abi: providerRegistryAbi,
      functionName: "observe",
    });
    const hash = await wallet.writeContract(request);
    await client.waitForTransactionReceipt({ hash });
    return hash;
  };
  console.log(
    `keeping the reference price of registry ${registry} on chain ${chainId} fresh as ${account.address}, checking every ${opts.every} s`,
  );
  for (;;) {
    try {
      console.log(`${new Date().toISOString()} ${describeOutcome(await observeIfDue(client, registry, sendObserve))}`);
    } catch (error) {
      console.error(`${new Date().toISOString()} could not record a reading: ${describeError(error)}`);
      if (opts.once) process.exitCode = 1;
    }
    if (opts.once) return;
    await new Promise((r) => setTimeout(r, opts.every * 1000));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : describeError(error));
  process.exit(error instanceof UsageError ? 2 : 1);
});
