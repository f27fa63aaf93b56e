// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ComputeCredit} from "../src/ComputeCredit.sol";
import {IComputeCredit} from "../src/interfaces/IComputeCredit.sol";

contract ComputeCreditTest is Test {
    ComputeCredit internal scu;
    address internal owner = makeAddr("owner");
    address internal minter = makeAddr("minter");
    address internal alice = makeAddr("alice");

    function setUp() public {
        scu = new ComputeCredit(owner);
        vm.prank(owner);
        scu.setMinter(minter, true);
    }

    function test_metadata() public view {
        assertEq(scu.symbol(), "SCU");
        assertEq(scu.decimals(), 18);
        assertEq(scu.owner(), owner);
    }

    function test_setMinter_emitsAndToggles() public {
        address other = makeAddr("other");
        vm.expectEmit(address(scu));
        emit IComputeCredit.MinterSet(other, true);
        vm.prank(owner);
        scu.setMinter(other, true);
        assertTrue(scu.isMinter(other));

        vm.prank(owner);
        scu.setMinter(other, false);
        assertFalse(scu.isMinter(other));
    }

    function test_setMinter_revertsWhenNotOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        scu.setMinter(alice, true);
    }

    function test_setMinter_revertsOnZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IComputeCredit.ComputeCreditInvalidMinter.selector, address(0)));
        vm.prank(owner);
        scu.setMinter(address(0), true);
    }

    function testFuzz_mint_byMinter(address to, uint256 amount) public {
        vm.assume(to != address(0));
        vm.prank(minter);
        scu.mint(to, amount);
        assertEq(scu.balanceOf(to), amount);
        assertEq(scu.totalSupply(), amount);
    }

    function testFuzz_mint_revertsWhenNotMinter(address caller) public {
        vm.assume(caller != minter);
        vm.expectRevert(abi.encodeWithSelector(IComputeCredit.ComputeCreditUnauthorizedMinter.selector, caller));
        vm.prank(caller);
        scu.mint(caller, 1);
    }

    function test_mint_revertsAfterRevocation() public {
        vm.prank(owner);
        scu.setMinter(minter, false);
        vm.expectRevert(abi.encodeWithSelector(IComputeCredit.ComputeCreditUnauthorizedMinter.selector, minter));
        vm.prank(minter);
        scu.mint(alice, 1);
    }

    function testFuzz_burn_byMinter(uint256 minted, uint256 burned) public {
        burned = bound(burned, 0, minted);
        vm.startPrank(minter);
        scu.mint(alice, minted);
        scu.burn(alice, burned);
        vm.stopPrank();
        assertEq(scu.balanceOf(alice), minted - burned);
        assertEq(scu.totalSupply(), minted - burned);
    }

    function test_burn_revertsWhenNotMinter() public {
        vm.prank(minter);
        scu.mint(alice, 1e18);
        // A holder cannot burn its own credits: only the registry retires obligations.
        vm.expectRevert(abi.encodeWithSelector(IComputeCredit.ComputeCreditUnauthorizedMinter.selector, alice));
        vm.prank(alice);
        scu.burn(alice, 1e18);
    }

    function test_burn_revertsOverBalance() public {
        vm.startPrank(minter);
        scu.mint(alice, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 1e18, 1e18 + 1));
        scu.burn(alice, 1e18 + 1);
        vm.stopPrank();
    }

    function test_permit_setsAllowance() public {
        (address holder, uint256 key) = makeAddrAndKey("holder");
        address spender = makeAddr("spender");
        uint256 deadline = vm.getBlockTimestamp() + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                holder,
                spender,
                5e18,
                scu.nonces(holder),
                deadline
            )
        );
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(key, keccak256(abi.encodePacked("\x19\x01", scu.DOMAIN_SEPARATOR(), structHash)));
        scu.permit(holder, spender, 5e18, deadline, v, r, s);
        assertEq(scu.allowance(holder, spender), 5e18);
        assertEq(scu.nonces(holder), 1);

        // The same signature cannot be replayed.
        vm.expectRevert();
        scu.permit(holder, spender, 5e18, deadline, v, r, s);
    }

    function test_permit_revertsWhenExpired() public {
        (address holder, uint256 key) = makeAddrAndKey("holder");
        uint256 deadline = vm.getBlockTimestamp();
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                holder,
                alice,
                1,
                0,
                deadline
            )
        );
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(key, keccak256(abi.encodePacked("\x19\x01", scu.DOMAIN_SEPARATOR(), structHash)));
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        scu.permit(holder, alice, 1, deadline, v, r, s);
    }
}
