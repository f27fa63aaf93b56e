/**
 * A burner wallet for the local chain: a private key kept in this browser's localStorage that signs
 * transactions and EIP-712 messages itself, so a browser with no extension (and Playwright) can use the app.
 * Each browser profile gets its own fresh account; on connect it is given gas money with anvil's setBalance.
 * Never offered on a public chain: the key is not protected by anything.
 */
import type { Wallet } from "@rainbow-me/rainbowkit";
import {
  createTestClient,
  createWalletClient,
  getAddress,
  hexToBigInt,
  hexToNumber,
  http,
  numberToHex,
  parseEther,
  SwitchChainError,
  type Chain,
  type EIP1193RequestFn,
  type Hex,
  type RpcTransactionRequest,
  type TypedDataDefinition,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getBalance } from "viem/actions";
import { createConnector } from "wagmi";

const KEY_STORAGE = "hourglass.burner.key";
const CONNECTED_STORAGE = "hourglass.burner.connected";
/** A fresh burner gets this much ETH on the local chain: thousands of transactions' gas. */
const GAS_TOPUP = parseEther("10");
const GAS_TOPUP_BELOW = parseEther("1");

function burnerKey(): Hex {
  const stored = localStorage.getItem(KEY_STORAGE);
  if (stored && /^0x[0-9a-fA-F]{64}$/.test(stored)) return stored as Hex;
  const key = generatePrivateKey();
  localStorage.setItem(KEY_STORAGE, key);
  return key;
}

/** An eth_sendTransaction request (hex quantities) as viem transaction parameters. */
function fromRpcRequest(tx: RpcTransactionRequest) {
  const big = (v: Hex | undefined) => (v === undefined ? undefined : hexToBigInt(v));
  const fees =
    tx.gasPrice !== undefined
      ? { gasPrice: big(tx.gasPrice) }
      : { maxFeePerGas: big(tx.maxFeePerGas), maxPriorityFeePerGas: big(tx.maxPriorityFeePerGas) };
  return {
    to: tx.to ?? undefined,
    data: tx.data,
    value: big(tx.value),
    gas: big(tx.gas),
    nonce: tx.nonce === undefined ? undefined : hexToNumber(tx.nonce),
    ...fees,
  };
}

type BurnerProvider = { request: EIP1193RequestFn };

export function burner() {
  return createConnector<BurnerProvider>((config) => {
    let chainId: number = config.chains[0].id;
    const chain = (): Chain => config.chains.find((c) => c.id === chainId) ?? config.chains[0];
    const transport = () => http(chain().rpcUrls.default.http[0]);

    const request = (async ({ method, params }: { method: string; params?: unknown }) => {
      const account = privateKeyToAccount(burnerKey());
      const wallet = createWalletClient({ account, chain: chain(), transport: transport() });
      const args = (params ?? []) as unknown[];
      switch (method) {
        case "eth_accounts":
        case "eth_requestAccounts":
          return [account.address];
        case "eth_chainId":
          return numberToHex(chainId);
        case "eth_sendTransaction":
          return wallet.sendTransaction(fromRpcRequest(args[0] as RpcTransactionRequest) as never);
        case "personal_sign":
          return account.signMessage({ message: { raw: args[0] as Hex } });
        case "eth_signTypedData_v4":
          return account.signTypedData(JSON.parse(args[1] as string) as TypedDataDefinition);
        case "wallet_switchEthereumChain": {
          const next = hexToNumber((args[0] as { chainId: Hex }).chainId);
          if (!config.chains.some((c) => c.id === next)) {
            throw new SwitchChainError(new Error(`Chain ${next} is not configured`));
          }
          chainId = next;
          config.emitter.emit("change", { chainId });
          return null;
        }
        default:
          // Reads and everything else go to the node.
          return wallet.request({ method, params } as never);
      }
    }) as EIP1193RequestFn;
    const provider: BurnerProvider = { request };

    return {
      id: "burner",
      name: "Burner wallet",
      type: "burner",
      async connect({ chainId: wanted } = {}) {
        if (wanted && wanted !== chainId) await this.switchChain!({ chainId: wanted });
        const address = privateKeyToAccount(burnerKey()).address;
        const testClient = createTestClient({ mode: "anvil", chain: chain(), transport: transport() });
        if ((await getBalance(testClient, { address })) < GAS_TOPUP_BELOW) {
          await testClient.setBalance({ address, value: GAS_TOPUP });
        }
        localStorage.setItem(CONNECTED_STORAGE, "1");
        return { accounts: [address] as never, chainId };
      },
      async disconnect() {
        localStorage.removeItem(CONNECTED_STORAGE);
      },
      async getAccounts() {
        return [privateKeyToAccount(burnerKey()).address];
      },
      async getChainId() {
        return chainId;
      },
      async getProvider() {
        return provider;
      },
      async isAuthorized() {
        return localStorage.getItem(CONNECTED_STORAGE) === "1";
      },
      async switchChain({ chainId: next }) {
        await request({ method: "wallet_switchEthereumChain", params: [{ chainId: numberToHex(next) }] });
        return chain();
      },
      onAccountsChanged(accounts) {
        config.emitter.emit("change", { accounts: accounts.map((a) => getAddress(a)) });
      },
      onChainChanged(id) {
        config.emitter.emit("change", { chainId: Number(id) });
      },
      onDisconnect() {
        config.emitter.emit("disconnect");
      },
    };
  });
}

const ICON =
  "data:image/svg+xml;utf8," +
  encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 28 28"><rect width="28" height="28" rx="6" fill="#f59e0b"/><path d="M14 5c1 4 6 6 6 11a6 6 0 0 1-12 0c0-3 2-4 3-6 1 2 2 3 3 3 0-3-1-5 0-8z" fill="#1c1917"/></svg>`,
  );

/** The burner as a RainbowKit wallet, listed first on the local chain. */
export const burnerWallet = (): Wallet => ({
  id: "burner",
  name: "Burner wallet",
  shortName: "Burner",
  iconUrl: ICON,
  iconBackground: "#f59e0b",
  installed: true,
  createConnector: (walletDetails) => createConnector((config) => ({ ...burner()(config), ...walletDetails })),
});
