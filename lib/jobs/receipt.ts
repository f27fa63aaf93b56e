/**
 * The EIP-712 UsageReceipt a host signs when a job ends (PROTOCOL.md, "Signatures"). One definition for the
 * host agent that signs it, the route and UI that show it, and the tests; JobEscrow verifies the same type
 * under a domain bound to the chain and the escrow's address, so a receipt cannot be replayed elsewhere.
 */
import { hashTypedData, type Address, type Hex, type LocalAccount } from "viem";

export const RECEIPT_DOMAIN_NAME = "Hourglass JobEscrow";
export const RECEIPT_DOMAIN_VERSION = "1";

export const RECEIPT_TYPES = {
  UsageReceipt: [
    { name: "jobId", type: "uint256" },
    { name: "used", type: "uint256" },
    { name: "resultHash", type: "bytes32" },
    { name: "endedAt", type: "uint64" },
  ],
} as const;

export interface UsageReceipt {
  jobId: bigint;
  /** SCU (wei) the job used: at most what it locked, and at most its price for the time it ran. */
  used: bigint;
  /** keccak256 of the job's outputs. */
  resultHash: Hex;
  /** Unix seconds the job ended. */
  endedAt: bigint;
}

export const receiptDomain = (chainId: number, escrow: Address) =>
  ({ name: RECEIPT_DOMAIN_NAME, version: RECEIPT_DOMAIN_VERSION, chainId, verifyingContract: escrow }) as const;

const typedData = (chainId: number, escrow: Address, receipt: UsageReceipt) =>
  ({ domain: receiptDomain(chainId, escrow), types: RECEIPT_TYPES, primaryType: "UsageReceipt", message: receipt }) as const;

/** The digest JobEscrow.receiptDigest returns for `receipt`. */
export const receiptDigest = (chainId: number, escrow: Address, receipt: UsageReceipt): Hex =>
  hashTypedData(typedData(chainId, escrow, receipt));

/** The host signer's signature over `receipt` (65 bytes, low s, as the escrow requires). */
export const signReceipt = (signer: LocalAccount, chainId: number, escrow: Address, receipt: UsageReceipt) =>
  signer.signTypedData(typedData(chainId, escrow, receipt));
