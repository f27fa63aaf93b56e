// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ITestUSDC
/// @notice A USDC stand-in for local chains: 6 decimals, permit, and a public faucet.
interface ITestUSDC is IERC20 {
    /// @notice A faucet request of zero.
    error FaucetZeroAmount();

    /// @notice `requested` is more than the faucet gives in one call (`cap`).
    error FaucetAmountTooLarge(uint256 requested, uint256 cap);

    /// @notice `account` drew from the faucet too recently; it may again from `availableAt` (unix seconds).
    error FaucetCooldown(address account, uint256 availableAt);

    /// @notice The faucet sent `amount` to `to`.
    event FaucetDrip(address indexed to, uint256 amount);

    /// @notice Most the faucet gives in one call, in base units.
    function FAUCET_CAP() external view returns (uint256);

    /// @notice Seconds an account waits between faucet calls.
    function FAUCET_COOLDOWN() external view returns (uint256);

    /// @notice When `account` may next use the faucet (unix seconds; 0 if it never has).
    function faucetAvailableAt(address account) external view returns (uint256);

    /// @notice Sends `amount` test USDC to the caller.
    /// @dev Requirements: 0 < `amount` ≤ FAUCET_CAP; the caller's cooldown has passed.
    function faucet(uint256 amount) external;

    /// @notice Owner-only mint, for seeding demo accounts and pools.
    function mint(address to, uint256 amount) external;
}
