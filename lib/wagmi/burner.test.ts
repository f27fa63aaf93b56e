/** The burner connector through wagmi, against a real anvil: connect, send, sign. */
import {
  createPublicClient,
  http,
  parseEther,
  recoverMessageAddress,
  recoverTypedDataAddress,
  type Address,
} from "viem";
import { foundry } from "viem/chains";
import { createConfig } from "wagmi";
import {
  connect,
  disconnect,
  getAccount,
  reconnect,
  sendTransaction,
  signMessage,
  signTypedData,
  waitForTransactionReceipt,
} from "wagmi/actions";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startAnvil } from "../../scripts/lib/localchain";
import { freePort, stopAll } from "../../scripts/lib/proc";
import { burner } from "./burner";

/** The browser's localStorage, which Node lacks: a plain in-memory Storage. */
class MemoryStorage {
  private items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
  clear = () => this.items.clear();
}

let rpcUrl: string;
beforeAll(async () => {
  ({ rpcUrl } = await startAnvil({ port: await freePort() }));
}, 30_000);
afterAll(stopAll);
beforeEach(() => vi.stubGlobal("localStorage", new MemoryStorage()));

function setup() {
  const chain = { ...foundry, rpcUrls: { default: { http: [rpcUrl] } } };
  const config = createConfig({ chains: [chain], connectors: [burner()], transports: { [chain.id]: http(rpcUrl) } });
  return { config, client: createPublicClient({ chain, transport: http(rpcUrl) }) };
}

describe("burner connector", () => {
  it("connects a fresh account and gives it gas money on the local chain", async () => {
    const { config, client } = setup();
    const { accounts } = await connect(config, { connector: config.connectors[0]! });
    expect(accounts).toHaveLength(1);
    expect(await client.getBalance({ address: accounts[0] })).toBe(parseEther("10"));
  });

  it("keeps the same account across sessions in one browser, and another browser gets another", async () => {
    const first = setup();
    const { accounts: a } = await connect(first.config, { connector: first.config.connectors[0]! });
    await disconnect(first.config);
    const again = setup();
    const { accounts: b } = await connect(again.config, { connector: again.config.connectors[0]! });
    expect(b[0]).toBe(a[0]);

    vi.stubGlobal("localStorage", new MemoryStorage());
    const other = setup();
    const { accounts: c } = await connect(other.config, { connector: other.config.connectors[0]! });
    expect(c[0]).not.toBe(a[0]);
  });

  it("reconnects by itself after a reload, until disconnected", async () => {
    const first = setup();
    await connect(first.config, { connector: first.config.connectors[0]! });
    const reloaded = setup();
    await reconnect(reloaded.config);
    expect(getAccount(reloaded.config).status).toBe("connected");

    await disconnect(reloaded.config);
    const afterDisconnect = setup();
    await reconnect(afterDisconnect.config);
    expect(getAccount(afterDisconnect.config).status).toBe("disconnected");
  });

  it("signs and sends transactions with its own key", async () => {
    const { config, client } = setup();
    const { accounts } = await connect(config, { connector: config.connectors[0]! });
    const to: Address = "0x000000000000000000000000000000000000dEaD";
    const hash = await sendTransaction(config, { to, value: parseEther("0.5") });
    const receipt = await waitForTransactionReceipt(config, { hash });
    expect(receipt.status).toBe("success");
    expect(receipt.from.toLowerCase()).toBe(accounts[0].toLowerCase());
    expect(await client.getBalance({ address: to })).toBeGreaterThanOrEqual(parseEther("0.5"));
  });

  it("signs messages and EIP-712 typed data that recover to its address", async () => {
    const { config } = setup();
    const { accounts } = await connect(config, { connector: config.connectors[0]! });

    const message = "hourglass";
    const signature = await signMessage(config, { message });
    expect(await recoverMessageAddress({ message, signature })).toBe(accounts[0]);

    const typedData = {
      domain: { name: "Hourglass", version: "1", chainId: foundry.id },
      types: {
        Dispatch: [
          { name: "jobId", type: "uint256" },
          { name: "expiry", type: "uint64" },
        ],
      },
      primaryType: "Dispatch",
      message: { jobId: 2n ** 200n, expiry: 1_700_000_000n },
    } as const;
    const typedSignature = await signTypedData(config, typedData);
    expect(await recoverTypedDataAddress({ ...typedData, signature: typedSignature })).toBe(accounts[0]);
  });
});
