import type { Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { dispatchTypedData, MAX_SIGNATURE_LIFETIME } from "./jobSignatures";
import { checkSignedRequest, requestSigner, type BuyerRequest, type JobOnChain } from "./signedRequest";

const buyer = privateKeyToAccount(generatePrivateKey());
const hostSigner = privateKeyToAccount(generatePrivateKey()).address;
const escrow = "0x1d1499e622D69689cdf9004d05Ec547d650Ff211";
const now = 1_900_000_000;
const specHash = `0x${"ab".repeat(32)}` as const;
const job: JobOnChain = { buyer: buyer.address, hostId: 3n, signer: hostSigner, status: "created", specHash };
const host = { id: 3n, signer: hostSigner };
const dispatch = (expiry = BigInt(now + 3600)) =>
  ({ kind: "dispatch", message: { jobId: 7n, specHash, expiry } }) as const;
const access: BuyerRequest = { kind: "access", message: { jobId: 7n, action: "events", expiry: BigInt(now + 3600) } };

describe("the check of a buyer's signed request, as the route and the host make it", () => {
  it("lets the job's buyer dispatch it to its host, and recovers who signed", async () => {
    const request = dispatch();
    const signature = await buyer.signTypedData(dispatchTypedData(31337, escrow, request.message));
    expect(await requestSigner(31337, escrow, request, signature)).toBe(buyer.address);
    expect(await requestSigner(31337, escrow, request, "0x12")).toBeUndefined();
    expect(checkSignedRequest(request, buyer.address, job, host, now)).toBeUndefined();
    expect(checkSignedRequest(access, buyer.address, { ...job, status: "running" }, host, now)).toBeUndefined();
  });

  it("refuses an expired signature and one good for longer than MAX_SIGNATURE_LIFETIME", () => {
    expect(checkSignedRequest(dispatch(BigInt(now)), buyer.address, job, host, now)).toEqual({
      status: 401,
      error: "The signature has expired. Sign again.",
    });
    expect(
      checkSignedRequest(dispatch(BigInt(now + MAX_SIGNATURE_LIFETIME)), buyer.address, job, host, now),
    ).toBeUndefined();
    expect(
      checkSignedRequest(dispatch(BigInt(now + MAX_SIGNATURE_LIFETIME + 1)), buyer.address, job, host, now),
    ).toEqual({
      status: 401,
      error: "A signature may be valid for at most 24 hours. Sign again.",
    });
  });

  it("refuses, in this order: no job, another host's job, a job booked with another signer, a malformed signature, a stranger", () => {
    const refusal = (j: JobOnChain, signer: Address | undefined, h: typeof host | undefined) =>
      checkSignedRequest(access, signer, j, h, now);
    expect(refusal({ ...job, status: "none" }, undefined, undefined)).toEqual({
      status: 404,
      error: "There is no job #7.",
    });
    expect(refusal({ ...job, hostId: 4n }, undefined, host)).toEqual({
      status: 403,
      error: "Job #7 is for host #4, not this one.",
    });
    expect(refusal(job, buyer.address, undefined)).toEqual({
      status: 403,
      error: "Job #7 is for host #3, not this one.",
    });
    expect(refusal({ ...job, signer: buyer.address }, undefined, host)).toEqual({
      status: 403,
      error: "Job #7 expects another signer than this host's.",
    });
    expect(refusal(job, undefined, host)).toEqual({ status: 401, error: "The signature is malformed." });
    expect(refusal(job, hostSigner, host)).toEqual({ status: 401, error: "Only job #7's buyer can read its events." });
  });

  it("refuses a dispatch of a job not waiting to start, or of another spec than the funded one", () => {
    expect(checkSignedRequest(dispatch(), buyer.address, { ...job, status: "running" }, host, now)).toEqual({
      status: 409,
      error: "Job #7 is running, not waiting to start.",
    });
    expect(
      checkSignedRequest(dispatch(), buyer.address, { ...job, specHash: `0x${"cd".repeat(32)}` }, host, now),
    ).toEqual({
      status: 400,
      error: "The spec does not match the hash the job was funded with.",
    });
  });
});
