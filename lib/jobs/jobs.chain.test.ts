/**
 * lib/jobs against the real contracts on anvil: the escrow locks exactly `jobCost` for every GPU class in
 * the spec table, and a receipt signed with `signReceipt` is the one JobEscrow accepts, while the same
 * receipt signed for another chain or another escrow is refused.
 */
import { keccak256, parseUnits, toHex, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anvilAccount, artifactContract as artifact, localSigner, startAnvil } from "../../scripts/lib/localchain";
import { deployProtocol, listProvider } from "../../scripts/lib/protocol";
import { freePort, stopAll } from "../../scripts/lib/proc";
import { GPU_CLASSES, ratingWad } from "../scu/ratings";
import { jobCost } from "./cost";
import { receiptDigest, signReceipt, type UsageReceipt } from "./receipt";
import { jobStatus } from "./status";

const CHAIN_ID = 31337;
const hostSigner = privateKeyToAccount(generatePrivateKey());

let deployer: ReturnType<typeof localSigner>;
let buyer: ReturnType<typeof localSigner>;
let rpcUrl: string;
let escrow: Address;
let registry: Address;
const hostIds = new Map<string, bigint>();

const read = <T>(address: Address, name: string, functionName: string, args: unknown[] = []) =>
  deployer.client.readContract({ address, abi: artifact(name).abi, functionName, args }) as Promise<T>;

beforeAll(async () => {
  ({ rpcUrl } = await startAnvil({ port: await freePort(), blockTime: 0 }));
  deployer = localSigner(rpcUrl);
  buyer = localSigner(rpcUrl, anvilAccount(2));
  const contracts = await deployProtocol(rpcUrl);
  ({ JobEscrow: escrow, ProviderRegistry: registry } = contracts);
  const { ComputeCredit: scu } = contracts;

  // The provider lists one host of every class, stakes and mints credits for the buyer.
  const ids = await listProvider(rpcUrl, contracts, anvilAccount(1), {
    hosts: GPU_CLASSES.map((gpu) => ({ signer: hostSigner.address, classId: gpu.id, gpus: 8, listedForSeconds: 30n * 86_400n })),
    stakeUsdc: parseUnits("100000", 6),
    credits: parseUnits("1000", 18),
    creditsTo: buyer.address,
  });
  GPU_CLASSES.forEach((gpu, i) => hostIds.set(gpu.id, ids[i]!));
  await buyer.send(scu, artifact("ComputeCredit").abi, "approve", [escrow, 2n ** 255n]);
}, 120_000);
afterAll(stopAll);

describe("lib/jobs equals the contracts", () => {
  it("quotes every class and duration as the escrow prices it", async () => {
    const durations = [60n, 61n, 3599n, 3600n, 86_400n + 7n, 7n * 86_400n];
    for (const gpu of GPU_CLASSES) {
      for (const gpus of [1n, 3n, 8n]) {
        for (const maxDuration of durations) {
          const onChain = await read<bigint>(escrow, "JobEscrow", "quote", [
            { hostId: hostIds.get(gpu.id)!, gpus: Number(gpus), maxDuration: Number(maxDuration), specHash: toHex(0, { size: 32 }) },
          ]);
          expect(jobCost(gpus, ratingWad(gpu), maxDuration), `${gpu.id} × ${gpus} for ${maxDuration}s`).toBe(onChain);
        }
      }
    }
  });

  it("signs a receipt the escrow accepts, and only on its own chain and escrow", async () => {
    const abi = artifact("JobEscrow").abi;
    await buyer.send(escrow, abi, "createJob", [
      { hostId: hostIds.get("h100-sxm")!, gpus: 2, maxDuration: 3600, specHash: keccak256(toHex("spec")) },
    ]);
    const jobId = await read<bigint>(escrow, "JobEscrow", "jobCount");
    const host = localSigner(rpcUrl, hostSigner);
    await deployer.client.request({ method: "anvil_setBalance" as never, params: [hostSigner.address, toHex(10n ** 18n)] as never });
    await host.send(escrow, abi, "start", [jobId]);
    await deployer.client.request({ method: "evm_increaseTime" as never, params: [600] as never });
    await deployer.client.request({ method: "evm_mine" as never, params: [] as never });
    const endedAt = (await deployer.client.getBlock()).timestamp;
    const receipt: UsageReceipt = { jobId, used: parseUnits("0.5", 18), resultHash: keccak256(toHex("outputs")), endedAt };

    expect(await read(escrow, "JobEscrow", "receiptDigest", [receipt])).toBe(receiptDigest(CHAIN_ID, escrow, receipt));
    const wrongChain = await signReceipt(hostSigner, CHAIN_ID + 1, escrow, receipt);
    const wrongEscrow = await signReceipt(hostSigner, CHAIN_ID, registry, receipt);
    for (const signature of [wrongChain, wrongEscrow]) {
      await expect(deployer.send(escrow, abi, "submitReceipt", [receipt, signature])).rejects.toThrow(/InvalidReceiptSignature/);
    }
    await deployer.send(escrow, abi, "submitReceipt", [receipt, await signReceipt(hostSigner, CHAIN_ID, escrow, receipt)]);
    const job = await read<{ status: number; used: bigint }>(escrow, "JobEscrow", "job", [jobId]);
    expect(jobStatus(job.status)).toBe("submitted");
    expect(job.used).toBe(receipt.used);
  });
});
