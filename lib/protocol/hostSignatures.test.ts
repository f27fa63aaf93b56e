import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { recoverDispatchAckSigner, signDispatchAck, type DispatchAck } from "./hostSignatures";

const host = privateKeyToAccount(generatePrivateKey());
const escrow = "0x1d1499e622D69689cdf9004d05Ec547d650Ff211";
const ack: DispatchAck = { jobId: 7n, specHash: `0x${"ab".repeat(32)}` };

describe("the host's dispatch acknowledgement", () => {
  it("recovers the host signer, and someone else for another chain, escrow, job or spec", async () => {
    const signature = await signDispatchAck(host, 31337, escrow, ack);
    expect(await recoverDispatchAckSigner(31337, escrow, ack, signature)).toBe(host.address);
    const others = await Promise.all([
      recoverDispatchAckSigner(1, escrow, ack, signature),
      recoverDispatchAckSigner(31337, host.address, ack, signature),
      recoverDispatchAckSigner(31337, escrow, { ...ack, jobId: 8n }, signature),
      recoverDispatchAckSigner(31337, escrow, { ...ack, specHash: `0x${"cd".repeat(32)}` }, signature),
    ]);
    for (const recovered of others) expect(recovered).not.toBe(host.address);
  });
});
