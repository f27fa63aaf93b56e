// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Script} from "forge-std/Script.sol";
import {ComputeCredit} from "../src/ComputeCredit.sol";
import {ComputeStandard} from "../src/ComputeStandard.sol";
import {TestUSDC} from "../src/local/TestUSDC.sol";
import {Multicall3} from "../src/local/Multicall3.sol";
import {PoolFactory} from "../src/PoolFactory.sol";
import {Router} from "../src/Router.sol";
import {Quoter} from "../src/Quoter.sol";

/// @notice Deploys the protocol and writes `lib/contracts/deployments/<chainId>.json`, which the app, the host
/// agent, the seed and the tests read. On the local chain it also deploys test USDC and a Multicall3; elsewhere
/// USDC comes from the `USDC_ADDRESS` env var and Multicall3 is the canonical deployment. The GPU classes and
/// their ratings come from script/gpu-classes.json, which `npm run codegen` derives from lib/scu/gpus.json.
/// Usage: forge script script/Deploy.s.sol --rpc-url $RPC --private-key $KEY --broadcast
contract Deploy is Script {
    uint256 internal constant LOCAL_CHAIN_ID = 31337;
    address internal constant CANONICAL_MULTICALL3 = 0xcA11bde05977b3631167028862bE2a173976CA11;

    error MissingUsdcAddress(uint256 chainId);

    function run() external {
        (, address deployer,) = vm.readCallers();
        address owner = vm.envOr("HOURGLASS_OWNER", deployer);
        uint256 startBlock = block.number;

        string memory classes = vm.readFile("script/gpu-classes.json");
        bytes32[] memory classIds = vm.parseJsonBytes32Array(classes, ".ids");
        string[] memory classNames = vm.parseJsonStringArray(classes, ".names");
        uint256[] memory ratings = vm.parseJsonUintArray(classes, ".ratingsWad");

        vm.startBroadcast();
        ComputeCredit scu = new ComputeCredit(owner);
        // Listed by the deployer, then handed to the owner (who accepts, when it is not the deployer).
        ComputeStandard standard = new ComputeStandard(deployer);
        for (uint256 i; i < classIds.length; ++i) {
            standard.addGpuClass(classIds[i], classNames[i], ratings[i]);
        }
        if (owner != deployer) standard.transferOwnership(owner);
        address usdc = block.chainid == LOCAL_CHAIN_ID ? address(new TestUSDC(owner)) : vm.envOr("USDC_ADDRESS", address(0));
        if (usdc == address(0)) revert MissingUsdcAddress(block.chainid);
        address multicall = CANONICAL_MULTICALL3.code.length > 0 ? CANONICAL_MULTICALL3 : address(new Multicall3());
        PoolFactory factory = new PoolFactory(owner);
        Router router = new Router(address(factory));
        Quoter quoter = new Quoter(router);
        // The market every GPU class is priced in. Liquidity comes from LPs (or the local seed).
        address pool = factory.createPool(address(scu), usdc);
        vm.stopBroadcast();

        string memory json = "deployment";
        vm.serializeUint(json, "chainId", block.chainid);
        vm.serializeUint(json, "startBlock", startBlock);
        vm.serializeAddress(json, "owner", owner);
        vm.serializeAddress(json, "ComputeCredit", address(scu));
        vm.serializeAddress(json, "ComputeStandard", address(standard));
        vm.serializeAddress(json, "USDC", usdc);
        vm.serializeAddress(json, "PoolFactory", address(factory));
        vm.serializeAddress(json, "Router", address(router));
        vm.serializeAddress(json, "Quoter", address(quoter));
        vm.serializeAddress(json, "ScuUsdcPool", pool);
        json = vm.serializeAddress(json, "Multicall3", multicall);
        vm.writeJson(json, string.concat("../lib/contracts/deployments/", vm.toString(block.chainid), ".json"));
    }
}
