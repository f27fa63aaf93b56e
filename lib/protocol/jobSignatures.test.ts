import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  accessTypedData,
  dispatchTypedData,
  recoverAccessSigner,
  recoverDispatchSigner,
  type Dispatch,
} from "./jobSignatures";

const buyer = privateKeyToAccount(generatePrivateKey());
const escrow = "0x1d1499e622D69689cdf9004d05Ec547d650Ff211";
const dispatch: Dispatch = { jobId: 7n, specHash: `0x${"ab".repeat(32)}`, expiry: 1_900_000_000n };

describe("dispatch and access signatures", () => {
  it("recover the buyer who signed them", async () => {
    const signature = await buyer.signTypedData(dispatchTypedData(31337, escrow, dispatch));
    expect(await recoverDispatchSigner(31337, escrow, dispatch, signature)).toBe(buyer.address);
    const access = { jobId: 7n, action: "events", expiry: 1_900_000_000n } as const;
    const accessSignature = await buyer.signTypedData(accessTypedData(31337, escrow, access));
    expect(await recoverAccessSigner(31337, escrow, access, accessSignature)).toBe(buyer.address);
  });

  it("recover someone else for another chain, escrow, job or spec", async () => {
    const signature = await buyer.signTypedData(dispatchTypedData(31337, escrow, dispatch));
    const others = [
      recoverDispatchSigner(1, escrow, dispatch, signature),
      recoverDispatchSigner(31337, buyer.address, dispatch, signature),
      recoverDispatchSigner(31337, escrow, { ...dispatch, jobId: 8n }, signature),
      recoverDispatchSigner(31337, escrow, { ...dispatch, specHash: `0x${"cd".repeat(32)}` }, signature),
    ];
    for (const recovered of await Promise.all(others)) expect(recovered).not.toBe(buyer.address);
    const events = await buyer.signTypedData(
      accessTypedData(31337, escrow, { jobId: 7n, action: "events", expiry: 1n }),
    );
    expect(await recoverAccessSigner(31337, escrow, { jobId: 8n, action: "events", expiry: 1n }, events)).not.toBe(
      buyer.address,
    );
  });
});
