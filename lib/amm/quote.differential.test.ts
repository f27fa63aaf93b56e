/**
 * The bigint quote math equals the contracts': PoolMath through the Quoter on thousands of random cases,
 * and whole quotes (amounts and price impact) from real pools on anvil. Cases come from a seeded PRNG:
 * set QUOTE_FUZZ_SEED to explore others; a failure prints its seed and case.
 */
import { maxUint256, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactContract as artifact, localSigner, startAnvil } from "../../scripts/lib/localchain";
import { freePort, stopAll } from "../../scripts/lib/proc";
import { getAmountIn, getAmountOut, quoteExactIn, quoteExactOut, type Hop } from "./quote";

type Outcome<T> = T | "revert";

const SEED = BigInt(process.env.QUOTE_FUZZ_SEED ?? "20261125");

/** splitmix64: small, seedable, good enough to spread cases across magnitudes. */
function prng(seed: bigint) {
  let state = seed;
  const next64 = () => {
    state = (state + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return z ^ (z >> 31n);
  };
  /** A uniformly random number of bits in [1, maxBits], then a random value of that many bits. */
  const bits = (maxBits: number) => {
    const n = 1 + Number(next64() % BigInt(maxBits));
    let v = 0n;
    for (let i = 0; i < Math.ceil(n / 64); i++) v = (v << 64n) | next64();
    return (v & ((1n << BigInt(n)) - 1n)) | (1n << BigInt(n - 1));
  };
  return { next64, bits, pick: <T>(xs: T[]) => xs[Number(next64() % BigInt(xs.length))]! };
}

let signer: ReturnType<typeof localSigner>;
const client = () => signer.client;
const deploy = (name: string, args: unknown[] = []) => signer.deploy(artifact(name), args);
const send = (address: Address, name: string, functionName: string, args: unknown[]) =>
  signer.send(address, artifact(name).abi, functionName, args);

let multicall: Address;
let quoter: Address;
let router: Address;

beforeAll(async () => {
  signer = localSigner((await startAnvil({ port: await freePort(), blockTime: 0 })).rpcUrl);
  multicall = await deploy("Multicall3");
  const factory = await deploy("PoolFactory", [signer.address]);
  router = await deploy("Router", [factory]);
  quoter = await deploy("Quoter", [router]);
}, 60_000);
afterAll(stopAll);

/** Runs `calls` against the Quoter in batches through Multicall3; a reverted call comes back as "revert". */
async function onChain(functionName: string, calls: unknown[][]): Promise<Outcome<bigint>[]> {
  const abi = artifact("Quoter").abi;
  const results = await client().multicall({
    multicallAddress: multicall,
    allowFailure: true,
    batchSize: 0,
    contracts: calls.map((args) => ({ address: quoter, abi, functionName, args })),
  });
  return results.map((r) => (r.status === "success" ? (r.result as bigint) : "revert"));
}

const offChain = (f: () => bigint): Outcome<bigint> => {
  try {
    return f();
  } catch {
    return "revert";
  }
};

describe(`quote math equals the contracts (seed ${SEED})`, () => {
  const fees = [0n, 1n, 5n, 30n, 100n];

  it("getAmountOut on 2,000 random cases", async () => {
    const r = prng(SEED);
    // Reserves up to 112 bits (what a pool holds), inputs up to 128: every on-chain product fits 256 bits.
    const cases = Array.from({ length: 2000 }, () => [r.bits(128), r.bits(112), r.bits(112), r.pick(fees)]);
    cases.push([1n, 1n, 1n, 30n], [0n, 5n, 5n, 30n], [10n ** 30n, 1n, 2n ** 112n - 1n, 30n]);
    const chain = await onChain("getAmountOut", cases);
    cases.forEach(([a, rIn, rOut, f], i) => {
      expect(
        offChain(() => getAmountOut(a!, rIn!, rOut!, f!)),
        `case ${i}: ${cases[i]}`,
      ).toBe(chain[i]);
    });
  }, 60_000);

  it("getAmountIn on 2,000 random cases, including outputs beyond the reserve", async () => {
    const r = prng(SEED + 1n);
    const cases = Array.from({ length: 2000 }, () => {
      const reserveOut = r.bits(112);
      // Mostly valid outputs, some at or past the reserve (both sides must refuse those).
      const amountOut = r.next64() % 10n === 0n ? reserveOut + (r.next64() % 3n) : r.bits(112) % reserveOut;
      return [amountOut, r.bits(112), reserveOut, r.pick(fees)];
    });
    const chain = await onChain("getAmountIn", cases);
    expect(chain.filter((x) => x === "revert").length).toBeGreaterThan(50);
    cases.forEach(([out, rIn, rOut, f], i) => {
      expect(
        offChain(() => getAmountIn(out!, rIn!, rOut!, f!)),
        `case ${i}: ${cases[i]}`,
      ).toBe(chain[i]);
    });
  }, 60_000);

  it("whole quotes, with price impact, from real pools on one and two hops", async () => {
    const r = prng(SEED + 2n);
    const tokens: Address[] = [];
    for (let i = 0; i < 4; i++) {
      const token = await deploy("MockERC20", [`T${i}`, 18]);
      await send(token, "MockERC20", "mint", [signer.address, 2n ** 200n]);
      await send(token, "MockERC20", "approve", [router, maxUint256]);
      tokens.push(token);
    }
    // A chain of pools T0–T1–T2–T3 with random reserves.
    const reserves: [bigint, bigint][] = [];
    for (let i = 0; i < 3; i++) {
      const pair: [bigint, bigint] = [r.bits(100) + 10n ** 6n, r.bits(100) + 10n ** 6n];
      reserves.push(pair);
      await send(router, "Router", "addLiquidity", [
        tokens[i],
        tokens[i + 1],
        pair[0],
        pair[1],
        0n,
        0n,
        signer.address,
        2n ** 40n,
      ]);
    }
    const hopsFor = (from: number, to: number): Hop[] =>
      Array.from({ length: to - from }, (_, k) => {
        const [a, b] = reserves[from + k]!;
        return { reserveIn: a, reserveOut: b, fee: 30n };
      });

    const cases = Array.from({ length: 300 }, () => {
      const from = Number(r.next64() % 2n);
      const to = from + 1 + Number(r.next64() % 2n);
      return { from, to, amount: r.bits(96) };
    });
    const pathOf = (c: (typeof cases)[number]) => tokens.slice(c.from, c.to + 1);
    const abi = artifact("Quoter").abi;
    for (const kind of ["quoteExactIn", "quoteExactOut"] as const) {
      const results = await client().multicall({
        multicallAddress: multicall,
        allowFailure: true,
        batchSize: 0,
        contracts: cases.map((c) => ({ address: quoter, abi, functionName: kind, args: [c.amount, pathOf(c)] })),
      });
      cases.forEach((c, i) => {
        let local: ReturnType<typeof quoteExactIn> | "revert";
        try {
          local = (kind === "quoteExactIn" ? quoteExactIn : quoteExactOut)(c.amount, hopsFor(c.from, c.to));
        } catch {
          local = "revert";
        }
        const chain = results[i]!.status === "success" ? (results[i]!.result as [bigint[], bigint]) : "revert";
        const label = `${kind} case ${i} (${c.amount} from T${c.from} to T${c.to})`;
        if (local === "revert" || chain === "revert") return expect(local, label).toBe(chain);
        expect(local.amounts, `${label}: amounts`).toEqual(chain[0]);
        expect(local.priceImpactWad, `${label}: price impact`).toBe(chain[1]);
      });
    }
  }, 120_000);
});
