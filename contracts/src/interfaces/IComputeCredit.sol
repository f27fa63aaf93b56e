// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IComputeCredit
/// @notice The Standard Compute Unit (SCU): 1 SCU is one hour of the reference GPU (A100 80GB SXM).
/// @dev One minter, the provider registry, fixed once at deployment and never changed: supply is created only
/// against a provider's obligation and destroyed only when one falls, so total supply always equals the
/// providers' outstanding obligations (PROTOCOL.md, invariant 1). The token has no owner. Even the minter burns
/// only its own credits or credits their holder allowed it to take.
interface IComputeCredit is IERC20 {
    /// @notice `caller` tried to mint or burn without being the minter.
    error ComputeCreditUnauthorizedMinter(address caller);
    /// @notice Only the deployer wires the minter (`caller` tried).
    error ComputeCreditNotDeployer(address caller);
    /// @notice The minter is already `minter`; it is set once.
    error ComputeCreditMinterAlreadySet(address minter);
    /// @notice The zero address cannot be the minter.
    error ComputeCreditInvalidMinter(address minter);

    /// @notice The minter was wired, for good.
    event MinterSet(address indexed minter);

    /// @notice The one account that may mint and burn (the provider registry); zero until wired.
    function minter() external view returns (address);

    /// @notice Wires the minter. Requirements: the deployer; not set before; not the zero address.
    function setMinter(address minter_) external;

    /// @notice Creates `amount` credits for `to`. Requirements: caller is the minter; `to` is not zero.
    function mint(address to, uint256 amount) external;

    /// @notice Destroys `amount` credits held by `from`. Requirements: caller is the minter; `from` is the
    /// minter itself or allowed it at least `amount` (spent like transferFrom's); `from` holds `amount`.
    function burn(address from, uint256 amount) external;
}
