// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ITestUSDC} from "../interfaces/local/ITestUSDC.sol";

/// @title TestUSDC
/// @notice A USDC-like token for local chains only; public chains use the real USDC.
contract TestUSDC is ERC20, ERC20Permit, Ownable, ITestUSDC {
    /// @inheritdoc ITestUSDC
    /// @dev 10,000 USDC: a demo job plus an LP position, yet small next to the seeded pool.
    uint256 public constant FAUCET_CAP = 10_000e6;

    /// @inheritdoc ITestUSDC
    uint256 public constant FAUCET_COOLDOWN = 1 hours;

    mapping(address account => uint256) private _lastDrip;

    constructor(address initialOwner)
        ERC20("Hourglass Test USDC", "USDC")
        ERC20Permit("Hourglass Test USDC")
        Ownable(initialOwner)
    {}

    /// @notice 6, as USDC.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @inheritdoc ITestUSDC
    function faucetAvailableAt(address account) public view returns (uint256) {
        uint256 last = _lastDrip[account];
        return last == 0 ? 0 : last + FAUCET_COOLDOWN;
    }

    /// @inheritdoc ITestUSDC
    function faucet(uint256 amount) external {
        if (amount == 0) revert FaucetZeroAmount();
        if (amount > FAUCET_CAP) revert FaucetAmountTooLarge(amount, FAUCET_CAP);
        uint256 availableAt = faucetAvailableAt(msg.sender);
        if (block.timestamp < availableAt) revert FaucetCooldown(msg.sender, availableAt);
        _lastDrip[msg.sender] = block.timestamp;
        _mint(msg.sender, amount);
        emit FaucetDrip(msg.sender, amount);
    }

    /// @inheritdoc ITestUSDC
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
