/** Signs an EIP-2612 permit with the connected wallet: the token's own domain and the owner's next nonce. */
import type { Address } from "viem";
import type { Config } from "wagmi";
import { getBlock, readContracts, signTypedData } from "wagmi/actions";
import { usdcAbi } from "../contracts/abis";
import { describeError } from "../errors";
import { permitSignature, permitTypedData } from "../permit";

/** How long a permit stays valid unless its trade sets a deadline of its own: long enough to confirm the
 * transaction in a wallet. */
const PERMIT_SECONDS = 30n * 60n;

/** A deadline `seconds` after the chain's latest block: the contracts judge it by chain time, not this
 * computer's clock. A trade that carries a permit gives both the same deadline. */
export async function permitDeadline(config: Config, seconds = PERMIT_SECONDS): Promise<bigint> {
  return (await getBlock(config)).timestamp + seconds;
}

export interface PermitRequest {
  /** USDC, SCU or the pool's LP share: all OpenZeppelin ERC20Permit, so one ABI reads any one's domain and nonce. */
  token: Address;
  owner: Address;
  spender: Address;
  value: bigint;
  /** From permitDeadline; without it, PERMIT_SECONDS from now in chain time. */
  deadline?: bigint;
}

/** The router's PermitSignature for `request`; a rejection in the wallet is thrown as its sentence. */
export async function signPermit(config: Config, { token, owner, spender, value, deadline }: PermitRequest) {
  const until = deadline ?? (await permitDeadline(config));
  const [domain, nonce] = await readContracts(config, {
    allowFailure: false,
    contracts: [
      { address: token, abi: usdcAbi, functionName: "eip712Domain" },
      { address: token, abi: usdcAbi, functionName: "nonces", args: [owner] },
    ],
  });
  const signature = await signTypedData(
    config,
    permitTypedData(domain, { owner, spender, value, nonce, deadline: until }),
  ).catch((error: unknown) => {
    throw new Error(describeError(error));
  });
  return permitSignature(value, until, signature);
}
