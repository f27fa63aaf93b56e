// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IComputeCredit} from "./interfaces/IComputeCredit.sol";

/// @title ComputeCredit
/// @notice The SCU token: an ERC-20 with EIP-2612 permit, 18 decimals, minted and burned only by the provider
/// registry, which the deployer wires once. No owner: nobody can add a minter later.
contract ComputeCredit is ERC20, ERC20Permit, IComputeCredit {
    /// @inheritdoc IComputeCredit
    address public minter;
    address private immutable _deployer;

    constructor() ERC20("Hourglass Standard Compute Unit", "SCU") ERC20Permit("Hourglass Standard Compute Unit") {
        _deployer = msg.sender;
    }

    modifier onlyMinter() {
        if (msg.sender != minter) revert ComputeCreditUnauthorizedMinter(msg.sender);
        _;
    }

    /// @inheritdoc IComputeCredit
    function setMinter(address minter_) external {
        if (msg.sender != _deployer) revert ComputeCreditNotDeployer(msg.sender);
        if (minter != address(0)) revert ComputeCreditMinterAlreadySet(minter);
        if (minter_ == address(0)) revert ComputeCreditInvalidMinter(minter_);
        minter = minter_;
        emit MinterSet(minter_);
    }

    /// @inheritdoc IComputeCredit
    function mint(address to, uint256 amount) external onlyMinter {
        _mint(to, amount);
    }

    /// @inheritdoc IComputeCredit
    function burn(address from, uint256 amount) external onlyMinter {
        if (from != msg.sender) _spendAllowance(from, msg.sender, amount);
        _burn(from, amount);
    }
}
