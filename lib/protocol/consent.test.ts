import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { consentAnswerSchema, consentRequestSchema, recoverConsentSigner, signConsent } from "./consent";

const signer = privateKeyToAccount(generatePrivateKey());
const registry = "0x1d1499e622D69689cdf9004d05Ec547d650Ff211";
const provider = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const consent = { provider, deadline: 1_900_000_000n } as const;

describe("the host signer's consent", () => {
  it("recovers the signer, and someone else for another chain, registry, provider or deadline", async () => {
    const signature = await signConsent(signer, 31337, registry, consent);
    expect(await recoverConsentSigner(31337, registry, consent, signature)).toBe(signer.address);
    const others = await Promise.all([
      recoverConsentSigner(1, registry, consent, signature),
      recoverConsentSigner(31337, provider, consent, signature),
      recoverConsentSigner(31337, registry, { ...consent, provider: signer.address }, signature),
      recoverConsentSigner(31337, registry, { ...consent, deadline: consent.deadline + 1n }, signature),
    ]);
    for (const recovered of others) expect(recovered).not.toBe(signer.address);
  });

  it("travels as JSON: a strict request, an answer with its deadline as a decimal string", async () => {
    expect(consentRequestSchema.parse({ provider: provider.toLowerCase() })).toEqual({ provider });
    for (const body of [{}, { provider: "0x12" }, { provider, extra: 1 }, { provider: 5 }, null]) {
      expect(consentRequestSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
    const signature = await signConsent(signer, 31337, registry, consent);
    const answer = { provider, signer: signer.address, deadline: "1900000000", signature };
    expect(consentAnswerSchema.parse(answer)).toEqual({ ...answer, deadline: 1_900_000_000n });
    expect(consentAnswerSchema.safeParse({ ...answer, deadline: "-1" }).success).toBe(false);
    expect(consentAnswerSchema.safeParse({ ...answer, signature: "0x1234" }).success).toBe(false);
  });
});
