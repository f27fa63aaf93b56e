// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title PoolAddress
/// @notice A pool's address from its factory and pair, without a call: CREATE2 with salt = the sorted pair.
library PoolAddress {
    function sortTokens(address tokenA, address tokenB) internal pure returns (address token0, address token1) {
        (token0, token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
    }

    function compute(address factory, bytes32 initCodeHash, address tokenA, address tokenB)
        internal
        pure
        returns (address)
    {
        (address token0, address token1) = sortTokens(tokenA, tokenB);
        bytes32 salt = keccak256(abi.encode(token0, token1));
        return address(uint160(uint256(keccak256(abi.encodePacked(hex"ff", factory, salt, initCodeHash)))));
    }
}
