/**
 * lib/jobs against the real contracts on anvil: the escrow locks exactly `jobCost` for every GPU class in
 * the spec table, bills a receipt exactly as `billing` says (before and after a stop, past the maximum, for a
 * one-second run), and a receipt signed with `signReceipt` is the one JobEscrow accepts, while the same
 * receipt signed for another chain or another escrow is refused; the DispatchAck digest is the escrow's.
 */
import { keccak256, parseUnits, toHex, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anvilAccount, artifactContract as artifact, localSigner, startAnvil } from "../../scripts/lib/localchain";
import { deployProtocol, listProvider } from "../../scripts/lib/protocol";
import { freePort, stopAll } from "../../scripts/lib/proc";
import { GPU_CLASSES, ratingWad } from "../scu/ratings";
import { billing, jobCost, meterRun } from "./cost";
import { dispatchAckDigest, receiptDigest, signReceipt, type UsageReceipt } from "../protocol/hostSignatures";
import { jobStatus } from "./status";

const CHAIN_ID = 31337;
// One signer key per host: a key serves one host.
const signerKeys = new Map(GPU_CLASSES.map((gpu) => [gpu.id, generatePrivateKey()]));
const hostSigner = privateKeyToAccount(signerKeys.get("h100-sxm")!);

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
    hosts: GPU_CLASSES.map((gpu) => ({
      signerKey: signerKeys.get(gpu.id)!,
      classId: gpu.id,
      gpus: 8,
      listedForSeconds: 30n * 86_400n,
    })),
    stakeUsdc: parseUnits("100000", 6),
    credits: parseUnits("1000", 18),
    creditsTo: buyer.address,
  });
  GPU_CLASSES.forEach((gpu, i) => hostIds.set(gpu.id, ids[i]!));
  await buyer.send(scu, artifact("ComputeCredit").abi, "approve", [escrow, 2n ** 255n]);
  await deployer.client.request({
    method: "anvil_setBalance" as never,
    params: [hostSigner.address, toHex(10n ** 18n)] as never,
  });
}, 120_000);
afterAll(stopAll);

const escrowAbi = () => artifact("JobEscrow").abi;
const rpc = (method: string, params: unknown[] = []) =>
  deployer.client.request({ method: method as never, params: params as never });
const advance = async (seconds: number) => {
  await rpc("evm_increaseTime", [seconds]);
  await rpc("evm_mine");
};

interface OnChainJob {
  status: number;
  used: bigint;
  locked: bigint;
  maxDuration: number;
  startedAt: bigint;
  stoppedAt: bigint;
  endedAt: bigint;
  specHash: Hex;
}

/** Funds a two-H100 job of `maxDuration` seconds and starts it as its host; returns its id. */
async function startedJob(maxDuration = 3600, signer: PrivateKeyAccount = hostSigner): Promise<bigint> {
  await buyer.send(escrow, escrowAbi(), "createJob", [
    { hostId: hostIds.get("h100-sxm")!, gpus: 2, maxDuration, specHash: keccak256(toHex(`spec ${maxDuration}`)) },
  ]);
  const jobId = await read<bigint>(escrow, "JobEscrow", "jobCount");
  await localSigner(rpcUrl, signer).send(escrow, escrowAbi(), "start", [jobId]);
  return jobId;
}

/** The escrow's `billing` view against lib/jobs at one block, for a receipt of `used` ending at `endedAt`. */
async function expectBillingAsEscrow(jobId: bigint, used: bigint, endedAt: bigint) {
  const block = await deployer.client.getBlock();
  const job = await read<OnChainJob>(escrow, "JobEscrow", "job", [jobId]);
  const [billedEnd, scu] = (await deployer.client.readContract({
    address: escrow,
    abi: escrowAbi(),
    functionName: "billing",
    args: [jobId, used, endedAt],
    blockNumber: block.number,
  })) as [bigint, bigint];
  const ours = billing(
    {
      locked: job.locked,
      maxDuration: job.maxDuration,
      startedAt: Number(job.startedAt),
      stoppedAt: Number(job.stoppedAt),
    },
    used,
    Number(endedAt),
    Number(block.timestamp),
  );
  expect({ billedEnd: Number(billedEnd), scu }, `used ${used}, ended ${endedAt} at ${block.timestamp}`).toEqual(ours);
  return ours;
}

describe("lib/jobs equals the contracts", () => {
  it("quotes every class and duration as the escrow prices it", async () => {
    const durations = [60n, 61n, 3599n, 3600n, 86_400n + 7n, 7n * 86_400n];
    for (const gpu of GPU_CLASSES) {
      for (const gpus of [1n, 3n, 8n]) {
        for (const maxDuration of durations) {
          const onChain = await read<bigint>(escrow, "JobEscrow", "quote", [
            {
              hostId: hostIds.get(gpu.id)!,
              gpus: Number(gpus),
              maxDuration: Number(maxDuration),
              specHash: toHex(0, { size: 32 }),
            },
          ]);
          expect(jobCost(gpus, ratingWad(gpu), maxDuration), `${gpu.id} × ${gpus} for ${maxDuration}s`).toBe(onChain);
        }
      }
    }
  });

  it("bills a receipt as the escrow does: before and after a stop, past the maximum, a one-second run", async () => {
    const jobId = await startedJob();
    const { startedAt, locked } = await read<OnChainJob>(escrow, "JobEscrow", "job", [jobId]);
    await advance(600);
    const most = locked;
    // Before a stop: to the receipt's end, or the chain's now when the receipt ends later; at most what it asks.
    await expectBillingAsEscrow(jobId, most, startedAt + 300n);
    await expectBillingAsEscrow(jobId, most, startedAt + 5000n);
    await expectBillingAsEscrow(jobId, 12345n, startedAt + 300n);
    // A one-second run, or a receipt ending before the start: the minimum charge.
    const short = await expectBillingAsEscrow(jobId, most, startedAt + 1n);
    expect(short.scu).toBe(meterRun({ locked, maxDuration: 3600, startedAt: Number(startedAt), stoppedAt: 0 }, 1).used);
    await expectBillingAsEscrow(jobId, most, startedAt - 10n);
    // After a stop: never past it.
    await buyer.send(escrow, escrowAbi(), "stop", [jobId]);
    await advance(100);
    await expectBillingAsEscrow(jobId, most, startedAt + 300n);
    await expectBillingAsEscrow(jobId, most, startedAt + 900n);
    // Past the maximum: never past it, and never more than was locked.
    const unstopped = await startedJob(1800); // the shortest job: two start timeouts
    const started = (await read<OnChainJob>(escrow, "JobEscrow", "job", [unstopped])).startedAt;
    await advance(2000);
    const capped = await expectBillingAsEscrow(unstopped, 2n ** 200n, started + 1900n);
    expect(capped).toEqual({
      billedEnd: Number(started) + 1800,
      scu: (await read<OnChainJob>(escrow, "JobEscrow", "job", [unstopped])).locked,
    });
  });

  it("spells the host's DispatchAck as the escrow does", async () => {
    const ack = { jobId: 42n, specHash: keccak256(toHex("a spec")) };
    expect(await read(escrow, "JobEscrow", "dispatchAckDigest", [ack.jobId, ack.specHash])).toBe(
      dispatchAckDigest(CHAIN_ID, escrow, ack),
    );
  });

  it("signs a receipt the escrow accepts, and only on its own chain and escrow", async () => {
    const abi = escrowAbi();
    const jobId = await startedJob();
    await advance(600);
    const endedAt = (await deployer.client.getBlock()).timestamp;
    const receipt: UsageReceipt = {
      jobId,
      used: parseUnits("0.5", 18),
      resultHash: keccak256(toHex("outputs")),
      endedAt,
    };

    expect(await read(escrow, "JobEscrow", "receiptDigest", [receipt])).toBe(receiptDigest(CHAIN_ID, escrow, receipt));
    const wrongChain = await signReceipt(hostSigner, CHAIN_ID + 1, escrow, receipt);
    const wrongEscrow = await signReceipt(hostSigner, CHAIN_ID, registry, receipt);
    for (const signature of [wrongChain, wrongEscrow]) {
      await expect(deployer.send(escrow, abi, "submitReceipt", [receipt, signature])).rejects.toThrow(
        /InvalidReceiptSignature/,
      );
    }
    await deployer.send(escrow, abi, "submitReceipt", [
      receipt,
      await signReceipt(hostSigner, CHAIN_ID, escrow, receipt),
    ]);
    const job = await read<{ status: number; used: bigint }>(escrow, "JobEscrow", "job", [jobId]);
    expect(jobStatus(job.status)).toBe("submitted");
    expect(job.used).toBe(receipt.used);
  });
});
