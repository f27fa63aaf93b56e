/**
 * EIP-2612 permits for USDC and SCU (both OpenZeppelin ERC20Permit): the buyer signs an allowance instead of
 * sending an approve transaction, and the router or escrow submits it with the trade. The domain comes from
 * the token itself (ERC-5267 `eip712Domain`), so a renamed or redeployed token cannot be signed for wrongly.
 */
import { parseSignature, type Address, type Hex } from "viem";

export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** What `eip712Domain()` returns: fields, name, version, chainId, verifyingContract, salt, extensions. */
export type Eip712DomainResult = readonly [Hex, string, string, bigint, Address, Hex, readonly bigint[]];

export interface PermitMessage {
  owner: Address;
  spender: Address;
  value: bigint;
  nonce: bigint;
  deadline: bigint;
}

export const permitTypedData = (
  [, name, version, chainId, verifyingContract]: Eip712DomainResult,
  message: PermitMessage,
) =>
  ({
    domain: { name, version, chainId, verifyingContract },
    types: PERMIT_TYPES,
    primaryType: "Permit",
    message,
  }) as const;

/** A signed permit as the router's PermitSignature struct (and the escrow's v, r, s arguments). */
export function permitSignature(value: bigint, deadline: bigint, signature: Hex) {
  const { r, s, yParity } = parseSignature(signature);
  return { value, deadline, v: 27 + (yParity ?? 0), r, s };
}
