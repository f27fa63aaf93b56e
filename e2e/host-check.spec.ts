import type { DemoHostProcess } from "../scripts/lib/hosts";
import { freePort } from "../scripts/lib/proc";
import { expect, test } from "./fixtures";

const hosts = () => JSON.parse(process.env.HOURGLASS_E2E_HOSTS ?? "[]") as DemoHostProcess[];

test("the host check reports what a running agent says about itself", async ({ request }) => {
  const [host] = hosts();
  const response = await request.post("/api/hosts/check", { data: { endpoint: host!.url } });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ signer: host!.signer, hostId: host!.hostId, runtime: "process", slots: { max: 2 } });
  expect(body.version).toMatch(/^\d+\.\d+\.\d+$/);
  expect(body.benchmark).toHaveProperty("cpuMatmulGflops");
});

test("the host check says why an endpoint is not a host it can use", async ({ request, baseURL }) => {
  const check = async (endpoint: unknown) => {
    const response = await request.post("/api/hosts/check", { data: { endpoint } });
    return [response.status(), ((await response.json()) as { error: string }).error] as const;
  };
  expect(await check(`${baseURL}/`)).toEqual([502, "The endpoint's /health answered 404: that is not a running Hourglass host agent."]);
  expect((await check(`http://127.0.0.1:${await freePort()}`))[0]).toBe(502);
  expect(await check("http://169.254.169.254/")).toEqual([400, "The host's endpoint is a private or reserved address."]);
  expect(await check("ftp://example.com/")).toEqual([400, "The host's endpoint is not http(s)."]);
  expect((await check(42))[0]).toBe(400);
});
