import { expect, test } from "./fixtures";

/**
 * A browser-extension wallet: a minimal EIP-1193 provider injected as window.ethereum (no extension can be
 * installed in this Chromium). It answers account and chain requests itself, switches chain when asked (by
 * the site, or by its user through `window.walletUser.switchTo`), and forwards reads to the test chain.
 */
function injectWallet(rpcUrl: string) {
  const listeners: Record<string, ((arg: unknown) => void)[]> = {};
  let chainId = "0x1";
  let authorized = false;
  const account = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  const provider = {
    isMetaMask: false,
    async request({ method, params }: { method: string; params?: unknown[] }) {
      switch (method) {
        case "eth_requestAccounts":
          authorized = true;
          return [account];
        case "eth_accounts":
          // Like a real extension: no account is exposed until the site asks and the user agrees.
          return authorized ? [account] : [];
        case "eth_chainId":
          return chainId;
        case "wallet_switchEthereumChain":
          chainId = (params![0] as { chainId: string }).chainId;
          (listeners.chainChanged ?? []).forEach((l) => l(chainId));
          return null;
        case "wallet_requestPermissions":
        case "wallet_getPermissions":
          return [{ parentCapability: "eth_accounts" }];
        default: {
          const response = await fetch(rpcUrl, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
          });
          const body = (await response.json()) as { result?: unknown; error?: { message: string } };
          if (body.error) throw new Error(body.error.message);
          return body.result;
        }
      }
    },
    on(event: string, listener: (arg: unknown) => void) {
      (listeners[event] ??= []).push(listener);
    },
    removeListener(event: string, listener: (arg: unknown) => void) {
      listeners[event] = (listeners[event] ?? []).filter((l) => l !== listener);
    },
  };
  Object.defineProperty(window, "ethereum", { value: provider });
  Object.defineProperty(window, "walletUser", {
    value: {
      switchTo(id: string) {
        chainId = id;
        (listeners.chainChanged ?? []).forEach((l) => l(chainId));
      },
    },
  });
}

test("a wallet that moves to another network is asked to switch back, and the page works once it has", async ({
  page,
}) => {
  await page.addInitScript(injectWallet, process.env.HOURGLASS_E2E_RPC!);
  await page.goto("/wallet");
  await page.getByRole("button", { name: "Connect Wallet" }).first().click();
  await page.getByRole("button", { name: /Browser Wallet|Injected/i }).click();
  // Connecting from mainnet switched the wallet to the app's chain.
  await expect(page.getByTestId("balance-usdc")).toHaveText("50,000");

  // The user moves the wallet to mainnet.
  await page.evaluate(() =>
    (window as unknown as { walletUser: { switchTo(id: string): void } }).walletUser.switchTo("0x1"),
  );

  const prompt = page.getByRole("alert").filter({ hasText: "Wrong network" });
  await expect(prompt).toContainText("Your wallet is on chain 1. Hourglass runs on Anvil (local) (chain 31337).");
  await page.getByRole("button", { name: "Switch to Anvil (local)" }).click();

  await expect(prompt).toHaveCount(0);
  // Demo account 1, seeded with 50,000 test USDC.
  await expect(page.getByTestId("balance-usdc")).toHaveText("50,000");
});
