// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ComputeCredit} from "../src/ComputeCredit.sol";
import {IComputeCredit} from "../src/interfaces/IComputeCredit.sol";
import {Deployers} from "./utils/Deployers.sol";

contract ComputeCreditTest is Test {
    ComputeCredit internal scu;
    address internal minter = makeAddr("minter");
    address internal alice = makeAddr("alice");

    function setUp() public {
        scu = Deployers.computeCredit();
        scu.setMinter(minter);
    }

    function test_metadata() public view {
        assertEq(scu.symbol(), "SCU");
        assertEq(scu.decimals(), 18);
        assertEq(scu.minter(), minter);
    }

    function test_setMinter_onceByTheDeployerAndNeverAgain() public {
        ComputeCredit fresh = Deployers.computeCredit();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IComputeCredit.ComputeCreditNotDeployer.selector, alice));
        fresh.setMinter(alice);
        vm.expectRevert(abi.encodeWithSelector(IComputeCredit.ComputeCreditInvalidMinter.selector, address(0)));
        fresh.setMinter(address(0));
        vm.expectEmit(address(fresh));
        emit IComputeCredit.MinterSet(minter);
        fresh.setMinter(minter);
        vm.expectRevert(abi.encodeWithSelector(IComputeCredit.ComputeCreditMinterAlreadySet.selector, minter));
        fresh.setMinter(alice);
    }

    function test_hasNoOwnerToAddMinters() public {
        (bool ok,) = address(scu).call(abi.encodeWithSignature("owner()"));
        assertFalse(ok);
        (ok,) = address(scu).call(abi.encodeWithSignature("setMinter(address,bool)", alice, true));
        assertFalse(ok);
        (ok,) = address(scu).call(abi.encodeWithSignature("transferOwnership(address)", alice));
        assertFalse(ok);
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

    function testFuzz_burn_byMinterWithTheHoldersAllowance(uint256 minted, uint256 burned) public {
        burned = bound(burned, 0, minted);
        vm.prank(minter);
        scu.mint(alice, minted);
        vm.prank(alice);
        scu.approve(minter, burned);
        vm.prank(minter);
        scu.burn(alice, burned);
        assertEq(scu.balanceOf(alice), minted - burned);
        assertEq(scu.totalSupply(), minted - burned);
        // An allowance of type(uint256).max is infinite (OpenZeppelin's ERC20 never spends it); any other is used up.
        assertEq(scu.allowance(alice, minter), burned == type(uint256).max ? type(uint256).max : 0);
    }

    function test_burn_theMinterCannotTakeWhatNoOneAllowed() public {
        vm.prank(minter);
        scu.mint(alice, 1e18);
        vm.prank(alice);
        scu.approve(minter, 0.5e18);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, minter, 0.5e18, 1e18));
        vm.prank(minter);
        scu.burn(alice, 1e18);
    }

    function test_burn_theMinterBurnsItsOwnWithoutAllowance() public {
        vm.startPrank(minter);
        scu.mint(minter, 1e18);
        scu.burn(minter, 1e18);
        vm.stopPrank();
        assertEq(scu.totalSupply(), 0);
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
        vm.prank(minter);
        scu.mint(alice, 1e18);
        vm.prank(alice);
        scu.approve(minter, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 1e18, 1e18 + 1));
        vm.prank(minter);
        scu.burn(alice, 1e18 + 1);
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
