/** Signs an EIP-2612 permit with the connected wallet: the token's own domain and the owner's next nonce. */
import type { Address } from "viem";
import type { Config } from "wagmi";
import { readContracts, signTypedData } from "wagmi/actions";
import { usdcAbi } from "../contracts/abis";
import { describeError } from "../errors";
import { permitSignature, permitTypedData } from "../permit";

export interface PermitRequest {
  /** USDC or SCU: both are OpenZeppelin ERC20Permit, so one ABI reads either's domain and nonce. */
  token: Address;
  owner: Address;
  spender: Address;
  value: bigint;
  deadline: bigint;
}

/** The router's PermitSignature for `request`; a rejection in the wallet is thrown as its sentence. */
export async function signPermit(config: Config, { token, owner, spender, value, deadline }: PermitRequest) {
  const [domain, nonce] = await readContracts(config, {
    allowFailure: false,
    contracts: [
      { address: token, abi: usdcAbi, functionName: "eip712Domain" },
      { address: token, abi: usdcAbi, functionName: "nonces", args: [owner] },
    ],
  });
  const signature = await signTypedData(config, permitTypedData(domain, { owner, spender, value, nonce, deadline })).catch((error: unknown) => {
    throw new Error(describeError(error));
  });
  return permitSignature(value, deadline, signature);
}
