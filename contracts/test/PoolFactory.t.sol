// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IPoolFactory} from "../src/interfaces/IPoolFactory.sol";
import {Pool} from "../src/Pool.sol";
import {PoolAddress} from "../src/libraries/PoolAddress.sol";
import {AmmFixture} from "./utils/AmmFixture.sol";
import {MockERC20} from "./utils/MockERC20.sol";

contract PoolFactoryTest is AmmFixture {
    function testFuzz_createPool_atTheComputedAddress(address tokenA, address tokenB) public {
        vm.assume(tokenA != tokenB && tokenA != address(0) && tokenB != address(0));
        vm.assume(factory.getPool(tokenA, tokenB) == address(0));
        address expected = PoolAddress.compute(address(factory), factory.POOL_INIT_CODE_HASH(), tokenA, tokenB);
        (address token0, address token1) = PoolAddress.sortTokens(tokenA, tokenB);
        vm.expectEmit(address(factory));
        emit IPoolFactory.PoolCreated(token0, token1, expected, 30, 2);
        address created = factory.createPool(tokenA, tokenB);
        assertEq(created, expected);
        assertEq(factory.getPool(tokenB, tokenA), expected);
        assertEq(Pool(created).token0(), token0);
        assertEq(Pool(created).token1(), token1);
        assertEq(Pool(created).fee(), 30);
        assertEq(factory.allPoolsLength(), 2);
        // Construction parameters are cleared afterwards.
        (address p0, address p1, uint256 fee) = factory.parameters();
        assertEq(p0, address(0));
        assertEq(p1, address(0));
        assertEq(fee, 0);
    }

    function test_createPool_revertsOnIdenticalTokens() public {
        vm.expectRevert(abi.encodeWithSelector(IPoolFactory.IdenticalTokens.selector, address(scu)));
        factory.createPool(address(scu), address(scu));
    }

    function test_createPool_revertsOnZeroAddress() public {
        vm.expectRevert(IPoolFactory.ZeroAddressToken.selector);
        factory.createPool(address(0), address(scu));
    }

    function test_createPool_revertsWhenPairExists() public {
        (address token0, address token1) = PoolAddress.sortTokens(address(scu), address(usdc));
        vm.expectRevert(abi.encodeWithSelector(IPoolFactory.PoolExists.selector, token0, token1, address(pool)));
        factory.createPool(address(usdc), address(scu));
    }

    function test_setDefaultSwapFee_appliesToNewPools() public {
        vm.prank(owner);
        factory.setDefaultSwapFee(5);
        MockERC20 other = new MockERC20("X", 18);
        assertEq(Pool(factory.createPool(address(other), address(usdc))).fee(), 5);
        assertEq(pool.fee(), 30, "existing pools keep their fee");
    }

    function test_setDefaultSwapFee_revertsAboveCapAndForOthers() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IPoolFactory.SwapFeeTooHigh.selector, 101, 100));
        factory.setDefaultSwapFee(101);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        factory.setDefaultSwapFee(10);
    }

    function test_setProtocolFee_isOffByDefaultAndSwitchable() public {
        (address recipient, uint256 share) = factory.protocolFee();
        assertEq(recipient, address(0));
        assertEq(share, 0);
        address treasury = makeAddr("treasury");
        vm.expectEmit(address(factory));
        emit IPoolFactory.ProtocolFeeSet(treasury, 2_500);
        vm.prank(owner);
        factory.setProtocolFee(treasury, 2_500);
        (recipient, share) = factory.protocolFee();
        assertEq(recipient, treasury);
        assertEq(share, 2_500);
    }

    function test_setProtocolFee_revertsAboveCapWithoutRecipientAndForOthers() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(IPoolFactory.ProtocolFeeShareTooHigh.selector, 2_501, 2_500));
        factory.setProtocolFee(owner, 2_501);
        vm.expectRevert(IPoolFactory.ProtocolFeeRecipientMissing.selector);
        factory.setProtocolFee(address(0), 1);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        factory.setProtocolFee(alice, 1);
    }
}
