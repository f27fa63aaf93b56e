// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IComputeCredit} from "./interfaces/IComputeCredit.sol";

/// @title ComputeCredit
/// @notice The SCU token: an ERC-20 with EIP-2612 permit, 18 decimals, minted and burned only by authorised
/// minters. The owner (a multisig or timelock in production) only chooses the minters.
contract ComputeCredit is ERC20, ERC20Permit, Ownable2Step, IComputeCredit {
    /// @inheritdoc IComputeCredit
    mapping(address account => bool) public isMinter;

    constructor(address initialOwner)
        ERC20("Hourglass Standard Compute Unit", "SCU")
        ERC20Permit("Hourglass Standard Compute Unit")
        Ownable(initialOwner)
    {}

    modifier onlyMinter() {
        if (!isMinter[msg.sender]) revert ComputeCreditUnauthorizedMinter(msg.sender);
        _;
    }

    /// @inheritdoc IComputeCredit
    function setMinter(address minter, bool allowed) external onlyOwner {
        if (minter == address(0)) revert ComputeCreditInvalidMinter(minter);
        isMinter[minter] = allowed;
        emit MinterSet(minter, allowed);
    }

    /// @inheritdoc IComputeCredit
    function mint(address to, uint256 amount) external onlyMinter {
        _mint(to, amount);
    }

    /// @inheritdoc IComputeCredit
    function burn(address from, uint256 amount) external onlyMinter {
        _burn(from, amount);
    }
}
