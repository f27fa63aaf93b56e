// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Deploy} from "../../script/Deploy.s.sol";
import {MockERC20} from "../utils/MockERC20.sol";
import {Parameters} from "../../script/Parameters.sol";

/// @notice Who holds each owner power after the deploy script (docs/protocol.md, "Who can change what").
contract DeployTest is Test {
    address internal multisig = makeAddr("owner multisig");
    bytes32 internal constant H100 = "h100-sxm";

    function deployOn(uint256 chainId) internal returns (Deploy.Deployment memory d, address deployer) {
        vm.chainId(chainId);
        vm.warp(1_800_000_000); // a chain's clock (a timelock reads timestamp 1 as "done")
        vm.setEnv("USDC_ADDRESS", vm.toString(address(new MockERC20("USDC", 6))));
        vm.setEnv("HOURGLASS_OWNER", vm.toString(multisig));
        Deploy script = Deploy(vm.deployCode("Deploy.s.sol:Deploy"));
        d = script.deploy();
        deployer = tx.origin; // the broadcaster in a test
    }

    function test_deploy_onAPublicChainATimelockHoldsEveryOwnerPower() public {
        (Deploy.Deployment memory d, address deployer) = deployOn(8453);
        TimelockController timelock = d.timelock;
        assertTrue(address(timelock) != address(0));
        assertEq(d.standard.owner(), address(timelock));
        assertEq(d.factory.owner(), address(timelock));
        assertEq(d.escrow.owner(), address(timelock));
        assertEq(d.escrow.arbiter(), multisig);
        assertEq(timelock.getMinDelay(), 2 days);
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), multisig));
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), multisig));
        assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(0)));
        bytes32[4] memory roles = [
            timelock.PROPOSER_ROLE(), timelock.CANCELLER_ROLE(), timelock.EXECUTOR_ROLE(), timelock.DEFAULT_ADMIN_ROLE()
        ];
        for (uint256 i; i < roles.length; ++i) {
            assertFalse(timelock.hasRole(roles[i], deployer));
        }
        assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), multisig));
        // SCU and the registry have no owner: the registry is SCU's only minter, for good.
        assertEq(d.scu.minter(), address(d.registry));
        (bool ok,) = address(d.scu).call(abi.encodeWithSignature("owner()"));
        assertFalse(ok);
        (ok,) = address(d.registry).call(abi.encodeWithSignature("owner()"));
        assertFalse(ok);
    }

    function test_deploy_aRatingChangeWaitsForTheTimelockAndThenTheNotice() public {
        (Deploy.Deployment memory d,) = deployOn(8453);
        uint256 before = d.standard.ratingOf(H100);
        bytes memory call = abi.encodeCall(d.standard.setRating, (H100, 1e18));
        vm.prank(multisig);
        d.timelock.schedule(address(d.standard), 0, call, bytes32(0), bytes32(0), 2 days);
        vm.warp(vm.getBlockTimestamp() + 2 days - 1);
        vm.expectRevert();
        d.timelock.execute(address(d.standard), 0, call, bytes32(0), bytes32(0));
        vm.warp(vm.getBlockTimestamp() + 1);
        vm.prank(makeAddr("anyone"));
        d.timelock.execute(address(d.standard), 0, call, bytes32(0), bytes32(0));
        assertEq(d.standard.ratingOf(H100), before); // announced: seven more days before it applies
        vm.warp(vm.getBlockTimestamp() + 7 days);
        assertEq(d.standard.ratingOf(H100), 1e18);
        // Nobody else proposes.
        vm.prank(makeAddr("stranger"));
        vm.expectRevert();
        d.timelock.schedule(address(d.standard), 0, call, bytes32(0), bytes32("again"), 2 days);
    }

    function test_deploy_onTheLocalChainTheOwnerIsAnAccount() public {
        (Deploy.Deployment memory d, address deployer) = deployOn(31337);
        assertEq(address(d.timelock), address(0));
        assertEq(d.standard.owner(), deployer);
        assertEq(d.standard.pendingOwner(), multisig); // HOURGLASS_OWNER accepts (Ownable2Step)
        assertEq(d.scu.minter(), address(d.registry));
    }

    /// @dev The verifier is wired to the registry, with the GPU work and datasheet rates on a public chain and
    /// the CPU work and one small rate for every class on the local chain.
    function test_deploy_theSupplyVerifierPerChain() public {
        (Deploy.Deployment memory d,) = deployOn(8453);
        assertEq(d.registry.verifier(), address(d.verifier));
        assertEq(address(d.verifier.registry()), address(d.registry));
        assertEq(d.verifier.shape().inner, Parameters.GPU_INNER);
        assertEq(d.verifier.shape().groupTiles, Parameters.GPU_GROUP_TILES);
        assertEq(d.verifier.targetSeconds(), Parameters.GPU_TARGET_SECONDS);
        assertEq(d.verifier.commitOverhead(), Parameters.COMMIT_OVERHEAD);
        assertEq(d.verifier.toleranceBps(), Parameters.TOLERANCE_BPS);
        assertEq(d.verifier.mflopsPerGpu(H100), 989_400_000); // 989.4 TFLOP/s BF16 dense
        assertEq(d.verifier.fraudWindow(), Parameters.FRAUD_WINDOW);
        (d,) = deployOn(31337);
        assertEq(d.registry.verifier(), address(d.verifier));
        assertEq(d.verifier.shape().rows, Parameters.LOCAL_ROWS);
        assertEq(d.verifier.shape().groupTiles, Parameters.LOCAL_GROUP_TILES);
        assertEq(d.verifier.commitOverhead(), Parameters.LOCAL_COMMIT_OVERHEAD);
        assertEq(d.verifier.toleranceBps(), Parameters.LOCAL_TOLERANCE_BPS);
        assertEq(d.verifier.mflopsPerGpu(H100), Parameters.LOCAL_MFLOPS_PER_GPU);
        assertEq(d.verifier.mflopsPerGpu("a100-80gb-sxm"), Parameters.LOCAL_MFLOPS_PER_GPU);
        assertEq(d.verifier.fraudWindow(), Parameters.LOCAL_FRAUD_WINDOW);
    }
}
