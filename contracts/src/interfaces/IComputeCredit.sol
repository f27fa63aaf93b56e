// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IComputeCredit
/// @notice The Standard Compute Unit (SCU): 1 SCU is one hour of the reference GPU (A100 80GB SXM).
/// @dev Supply is created only by authorised minters (the provider registry) and destroyed only by them,
/// so total supply always equals the providers' outstanding obligations (PROTOCOL.md, invariant 1).
interface IComputeCredit is IERC20 {
    /// @notice `caller` tried to mint or burn without being an authorised minter.
    error ComputeCreditUnauthorizedMinter(address caller);

    /// @notice The zero address cannot be a minter.
    error ComputeCreditInvalidMinter(address minter);

    /// @notice `minter`'s authorisation changed to `allowed`.
    event MinterSet(address indexed minter, bool allowed);

    /// @notice Whether `account` may mint and burn.
    function isMinter(address account) external view returns (bool);

    /// @notice Grants or revokes minting and burning rights.
    /// @dev Requirements: caller is the owner; `minter` is not the zero address.
    function setMinter(address minter, bool allowed) external;

    /// @notice Creates `amount` credits for `to`.
    /// @dev Requirements: caller is a minter; `to` is not the zero address.
    function mint(address to, uint256 amount) external;

    /// @notice Destroys `amount` credits held by `from`.
    /// @dev Requirements: caller is a minter; `from` holds at least `amount`. Minters are protocol contracts
    /// that burn only credits they hold or that `from` hands in within the same call (retire, job pay-in).
    function burn(address from, uint256 amount) external;
}
