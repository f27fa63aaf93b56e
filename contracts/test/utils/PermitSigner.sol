// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IRouter} from "../../src/interfaces/IRouter.sol";

/// @notice Signs EIP-2612 permits the way a wallet would, valid for an hour.
abstract contract PermitSigner is Test {
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    function signPermit(IERC20Permit token, uint256 key, address holder, address spender, uint256 value)
        internal
        view
        returns (IRouter.PermitSignature memory sig)
    {
        sig.value = value;
        sig.deadline = vm.getBlockTimestamp() + 1 hours;
        bytes32 structHash =
            keccak256(abi.encode(PERMIT_TYPEHASH, holder, spender, value, token.nonces(holder), sig.deadline));
        (sig.v, sig.r, sig.s) =
            vm.sign(key, keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash)));
    }
}
