/**
 * What a host signer signs in the escrow's EIP-712 domain (PROTOCOL.md, "Signatures"): the UsageReceipt when a
 * job ends, and the DispatchAck when it accepts a dispatch, which the buyer can present to `cancel` to record a
 * no-show if the host then never starts. One definition for the host agent that signs them, the app that
 * shows and presents them, and the tests; JobEscrow verifies the same types under a domain bound to the chain
 * and the escrow's address, so neither can be replayed elsewhere.
 */
import { hashTypedData, recoverTypedDataAddress, type Address, type Hex, type LocalAccount } from "viem";

const RECEIPT_DOMAIN_NAME = "Hourglass JobEscrow";
const RECEIPT_DOMAIN_VERSION = "1";

const RECEIPT_TYPES = {
  UsageReceipt: [
    { name: "jobId", type: "uint256" },
    { name: "used", type: "uint256" },
    { name: "resultHash", type: "bytes32" },
    { name: "endedAt", type: "uint64" },
  ],
  DispatchAck: [
    { name: "jobId", type: "uint256" },
    { name: "specHash", type: "bytes32" },
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

const receiptDomain = (chainId: number, escrow: Address) =>
  ({ name: RECEIPT_DOMAIN_NAME, version: RECEIPT_DOMAIN_VERSION, chainId, verifyingContract: escrow }) as const;

const typedData = (chainId: number, escrow: Address, receipt: UsageReceipt) =>
  ({
    domain: receiptDomain(chainId, escrow),
    types: RECEIPT_TYPES,
    primaryType: "UsageReceipt",
    message: receipt,
  }) as const;

/** The digest JobEscrow.receiptDigest returns for `receipt`. */
export const receiptDigest = (chainId: number, escrow: Address, receipt: UsageReceipt): Hex =>
  hashTypedData(typedData(chainId, escrow, receipt));

/** The host signer's signature over `receipt` (65 bytes, low s, as the escrow requires). */
export const signReceipt = (signer: LocalAccount, chainId: number, escrow: Address, receipt: UsageReceipt) =>
  signer.signTypedData(typedData(chainId, escrow, receipt));

/** The host's acknowledgement that it accepted job `jobId`'s dispatch of the spec the job was funded with. */
export interface DispatchAck {
  jobId: bigint;
  specHash: Hex;
}

const ackTypedData = (chainId: number, escrow: Address, ack: DispatchAck) =>
  ({ domain: receiptDomain(chainId, escrow), types: RECEIPT_TYPES, primaryType: "DispatchAck", message: ack }) as const;

/** The digest JobEscrow.dispatchAckDigest returns for `ack`. */
export const dispatchAckDigest = (chainId: number, escrow: Address, ack: DispatchAck): Hex =>
  hashTypedData(ackTypedData(chainId, escrow, ack));

/** The host signer's DispatchAck (65 bytes, low s): `cancel(jobId, ack)` takes it. */
export const signDispatchAck = (signer: LocalAccount, chainId: number, escrow: Address, ack: DispatchAck) =>
  signer.signTypedData(ackTypedData(chainId, escrow, ack));

/** Who signed a DispatchAck (viem rejects malformed signatures by throwing). */
export const recoverDispatchAckSigner = (chainId: number, escrow: Address, ack: DispatchAck, signature: Hex) =>
  recoverTypedDataAddress({ ...ackTypedData(chainId, escrow, ack), signature });
