import { hexToString } from "viem";
import { describe, expect, it } from "vitest";
import { readRegistration } from "./register";

const signer = "0x00000000000000000000000000000000000000aa" as const;
const input = { endpoint: "https://gpu1.example.com", classId: "h100-sxm", gpus: "8", region: "eu-west", days: "30" };
const check = { asked: input.endpoint, endpoint: input.endpoint, version: "1.0.0", signer, runtime: "docker", gpus: [], hostId: null, slots: { max: 4, free: 4 } };
const ctx = { check, now: 1_000, hosts: 0 };

describe("readRegistration", () => {
  it("builds the host's parameters, its signer from the agent", () => {
    const read = readRegistration(input, ctx);
    expect("params" in read && read.params).toMatchObject({ signer, gpuCount: 8, listedUntil: 1_000n + 30n * 86_400n, endpoint: input.endpoint, region: "eu-west" });
    expect("params" in read && hexToString(read.params.classId, { size: 32 })).toBe("h100-sxm");
  });

  it("asks for a check of this very endpoint, and refuses an agent that already serves a host", () => {
    expect(readRegistration(input, { ...ctx, check: undefined })).toEqual({ reason: "Check the endpoint first: the host's signer comes from its agent." });
    expect(readRegistration({ ...input, endpoint: "https://gpu2.example.com" }, ctx)).toMatchObject({ reason: /^Check the endpoint first/ });
    expect(readRegistration(input, { ...ctx, check: { ...check, hostId: 3 } })).toMatchObject({ reason: /^This agent already serves host #3/ });
  });

  it("says what is wrong with a field, in the registry's bounds", () => {
    expect(readRegistration({ ...input, endpoint: " " }, ctx)).toEqual({ reason: "Enter the URL the host agent listens on." });
    expect(readRegistration({ ...input, classId: "" }, ctx)).toEqual({ reason: "Pick a GPU class." });
    expect(readRegistration({ ...input, gpus: "0" }, ctx)).toEqual({ reason: "The GPU count must be from 1 to 1024." });
    expect(readRegistration({ ...input, gpus: "2.5" }, ctx)).toEqual({ reason: "Enter the GPU count as a whole number." });
    expect(readRegistration({ ...input, days: "731" }, ctx)).toEqual({ reason: "The listing length in days must be from 1 to 730." });
    expect(readRegistration({ ...input, region: "é".repeat(33) }, ctx)).toEqual({ reason: "A region is at most 64 bytes." });
    expect(readRegistration(input, { ...ctx, hosts: 32 })).toEqual({ reason: "A provider can register at most 32 hosts." });
  });
});
