// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IPoolFactory} from "./interfaces/IPoolFactory.sol";
import {Pool} from "./Pool.sol";

/// @title PoolFactory
/// @notice Creates pools with CREATE2 (salt = the sorted pair), so anyone computes a pool's address offline,
/// and owns two switches: the swap fee of future pools and the protocol's share of swap fees.
/// @dev The protocol fee is off at deployment. When the owner (the protocol's governance) switches it on, the
/// share goes to the recipient it names, the protocol treasury, which funds provider benchmarking and
/// dispute arbitration; LPs keep the rest. The cap keeps at least three quarters of every fee with LPs.
contract PoolFactory is IPoolFactory, Ownable2Step {
    /// @notice Highest swap fee a new pool may get: 1%.
    uint256 public constant MAX_SWAP_FEE = 100;
    /// @notice Highest protocol share: 25% of swap fees (Uniswap v2's switch was 1/6).
    uint256 public constant MAX_PROTOCOL_FEE_SHARE = 2_500;

    /// @inheritdoc IPoolFactory
    bytes32 public constant POOL_INIT_CODE_HASH = keccak256(type(Pool).creationCode);

    /// @inheritdoc IPoolFactory
    uint256 public defaultSwapFee = 30;

    address private _protocolFeeRecipient;
    uint96 private _protocolFeeShare;

    mapping(address token0 => mapping(address token1 => address)) private _pools;
    /// @inheritdoc IPoolFactory
    address[] public allPools;

    // Read by the pool's constructor, so the pool's creation code (and so its address) does not depend on them.
    address private transient _paramToken0;
    address private transient _paramToken1;
    uint256 private transient _paramFee;

    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @inheritdoc IPoolFactory
    function getPool(address tokenA, address tokenB) external view returns (address) {
        (address token0, address token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        return _pools[token0][token1];
    }

    /// @inheritdoc IPoolFactory
    function allPoolsLength() external view returns (uint256) {
        return allPools.length;
    }

    /// @inheritdoc IPoolFactory
    function protocolFee() external view returns (address recipient, uint256 share) {
        return (_protocolFeeRecipient, _protocolFeeShare);
    }

    /// @inheritdoc IPoolFactory
    function parameters() external view returns (address token0, address token1, uint256 fee) {
        return (_paramToken0, _paramToken1, _paramFee);
    }

    /// @inheritdoc IPoolFactory
    function createPool(address tokenA, address tokenB) external returns (address pool) {
        if (tokenA == tokenB) revert IdenticalTokens(tokenA);
        (address token0, address token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        if (token0 == address(0)) revert ZeroAddressToken();
        address existing = _pools[token0][token1];
        if (existing != address(0)) revert PoolExists(token0, token1, existing);

        uint256 fee = defaultSwapFee;
        (_paramToken0, _paramToken1, _paramFee) = (token0, token1, fee);
        pool = address(new Pool{salt: keccak256(abi.encode(token0, token1))}());
        (_paramToken0, _paramToken1, _paramFee) = (address(0), address(0), 0);

        _pools[token0][token1] = pool;
        allPools.push(pool);
        emit PoolCreated(token0, token1, pool, fee, allPools.length);
    }

    /// @inheritdoc IPoolFactory
    function setDefaultSwapFee(uint256 fee) external onlyOwner {
        if (fee > MAX_SWAP_FEE) revert SwapFeeTooHigh(fee, MAX_SWAP_FEE);
        defaultSwapFee = fee;
        emit DefaultSwapFeeSet(fee);
    }

    /// @inheritdoc IPoolFactory
    function setProtocolFee(address recipient, uint256 share) external onlyOwner {
        if (share > MAX_PROTOCOL_FEE_SHARE) revert ProtocolFeeShareTooHigh(share, MAX_PROTOCOL_FEE_SHARE);
        if (share != 0 && recipient == address(0)) revert ProtocolFeeRecipientMissing();
        _protocolFeeRecipient = recipient;
        // forge-lint: disable-next-line(unsafe-typecast)
        _protocolFeeShare = uint96(share); // ≤ MAX_PROTOCOL_FEE_SHARE by the check above
        emit ProtocolFeeSet(recipient, share);
    }
}
