import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hostCheckTypedData } from "../lib/provider/hostcheck";
import type { DemoHostProcess } from "../scripts/lib/hosts";
import { LOCAL_CHAIN_ID } from "../scripts/lib/localchain";
import { freePort } from "../scripts/lib/proc";
import { contracts } from "./anvil";
import { expect, test } from "./fixtures";

const hosts = () => JSON.parse(process.env.HOURGLASS_E2E_HOSTS ?? "[]") as DemoHostProcess[];
/** A wallet that signs its checks, as the provider page's does. */
const wallet = privateKeyToAccount(generatePrivateKey());

/** A check of `endpoint` signed by the wallet for this chain's registry, good for two minutes. */
async function signedCheck(endpoint: unknown) {
  const expiry = BigInt(Math.floor(Date.now() / 1000) + 120);
  const signature = await wallet.signTypedData(
    hostCheckTypedData(LOCAL_CHAIN_ID, contracts().ProviderRegistry!, { endpoint: String(endpoint), expiry }),
  );
  return { endpoint, provider: wallet.address, expiry: String(expiry), signature };
}

test("the host check reports what a running agent says about itself, for a wallet's signed request", async ({
  request,
}) => {
  const [host] = hosts();
  const response = await request.post("/api/hosts/check", { data: await signedCheck(host!.url) });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ signer: host!.signer, hostId: host!.hostId, runtime: "process", slots: { max: 2 } });
  expect(body.version).toMatch(/^\d+\.\d+\.\d+$/);
  expect(body.benchmark).toHaveProperty("cpuMatmulGflops");
});

test("the host check says why an endpoint is not a host it can use, and tells a prober no more", async ({
  request,
  baseURL,
}) => {
  const check = async (data: unknown) => {
    const response = await request.post("/api/hosts/check", { data });
    return [response.status(), ((await response.json()) as { error: string }).error] as const;
  };
  const notAnAgent = (await check(await signedCheck(`${baseURL}/`)))!;
  expect(notAnAgent[0]).toBe(502);
  // A web server that is not an agent and a closed port read the same.
  expect(await check(await signedCheck(`http://127.0.0.1:${await freePort()}`))).toEqual(notAnAgent);
  expect(await check(await signedCheck("http://169.254.169.254/"))).toEqual([
    400,
    "The host's endpoint is a private or reserved address.",
  ]);
  expect(await check(await signedCheck("ftp://example.com/"))).toEqual([400, "The host's endpoint is not http(s)."]);
  expect((await check(await signedCheck(42)))[0]).toBe(400);
  // Nobody's signature, or someone's for another endpoint: refused before anything is called.
  const [host] = hosts();
  expect((await check({ endpoint: host!.url }))[0]).toBe(400);
  expect((await check({ ...(await signedCheck(`${baseURL}/`)), endpoint: host!.url }))[0]).toBe(401);
});
