// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IPoolFactory
/// @notice Creates one pool per token pair at a deterministic address, and holds the protocol fee switch.
interface IPoolFactory {
    /// @notice A pool pairs two different tokens.
    error IdenticalTokens(address token);
    /// @notice The zero address is not a token.
    error ZeroAddressToken();
    /// @notice The pair already has a pool, at `pool`.
    error PoolExists(address token0, address token1, address pool);
    /// @notice A swap fee above the cap (`maxFee` basis points).
    error SwapFeeTooHigh(uint256 fee, uint256 maxFee);
    /// @notice A protocol fee share above the cap (`maxShare` basis points of swap fees).
    error ProtocolFeeShareTooHigh(uint256 share, uint256 maxShare);
    /// @notice A protocol fee switched on needs a recipient.
    error ProtocolFeeRecipientMissing();

    event PoolCreated(address indexed token0, address indexed token1, address pool, uint256 fee, uint256 poolCount);
    event DefaultSwapFeeSet(uint256 fee);
    event ProtocolFeeSet(address indexed recipient, uint256 share);

    /// @notice Pool for the pair (either order), or the zero address.
    function getPool(address tokenA, address tokenB) external view returns (address pool);
    function allPoolsLength() external view returns (uint256);
    function allPools(uint256 index) external view returns (address);

    /// @notice keccak256 of the pool's creation code: with the factory and the sorted pair it fixes the address.
    function POOL_INIT_CODE_HASH() external view returns (bytes32);

    /// @notice Swap fee (basis points) given to pools created from now on.
    function defaultSwapFee() external view returns (uint256);

    /// @notice Who receives the protocol's share and how large it is, in basis points of swap fees (0 = off).
    function protocolFee() external view returns (address recipient, uint256 share);

    /// @notice The pool under construction reads its tokens and fee here (set only during `createPool`).
    function parameters() external view returns (address token0, address token1, uint256 fee);

    /// @notice Creates the pool for a pair at its deterministic address.
    function createPool(address tokenA, address tokenB) external returns (address pool);

    /// @dev Requirements: caller is the owner; `fee` ≤ the cap.
    function setDefaultSwapFee(uint256 fee) external;

    /// @dev Requirements: caller is the owner; `share` ≤ the cap; a recipient when `share` > 0.
    function setProtocolFee(address recipient, uint256 share) external;
}
