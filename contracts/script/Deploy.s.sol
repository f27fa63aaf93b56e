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
import {ProviderRegistry} from "../src/ProviderRegistry.sol";
import {PriceOracle} from "../src/PriceOracle.sol";
import {JobEscrow} from "../src/JobEscrow.sol";
import {JobRouter} from "../src/JobRouter.sol";
import {SupplyVerifier} from "../src/SupplyVerifier.sol";
import {IPool} from "../src/interfaces/IPool.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {RegistryConfig} from "../src/types/Provider.sol";
import {EscrowConfig} from "../src/types/Job.sol";
import {VerifierConfig} from "../src/types/Verification.sol";
import {Parameters} from "./Parameters.sol";

/// @notice Deploys the protocol and writes `lib/contracts/deployments/<chainId>.json`, which the app, the host
/// agent, the seed and the tests read. On the local chain it also deploys test USDC and a Multicall3; elsewhere
/// USDC comes from the `USDC_ADDRESS` env var and Multicall3 is the canonical deployment. The GPU classes and
/// their ratings (and the throughput each must prove to the SupplyVerifier) come from script/gpu-classes.json,
/// which `npm run codegen` derives from lib/scu/gpus.json.
/// Risk parameters and clocks come from script/Parameters.sol (docs/protocol.md says why each); HOURGLASS_* env
/// vars override the clocks and the arbiter (default: the owner).
/// Owner powers (docs/protocol.md, "Who can change what"): on the local chain the owner is HOURGLASS_OWNER or
/// the deployer. Anywhere else the standard, the factory and the escrow end up owned by an OpenZeppelin
/// TimelockController (HOURGLASS_TIMELOCK_DELAY, 2 days by default) whose only proposer and canceller is
/// HOURGLASS_OWNER (a multisig) and whose executor is anyone; the deployer keeps no role. SCU and the registry
/// have no owner at all.
/// Usage: forge script script/Deploy.s.sol --rpc-url $RPC --private-key $KEY --broadcast
contract Deploy is Script {
    uint256 internal constant LOCAL_CHAIN_ID = 31337;
    address internal constant CANONICAL_MULTICALL3 = 0xcA11bde05977b3631167028862bE2a173976CA11;

    error MissingUsdcAddress(uint256 chainId);

    /// @dev Everything deployed, written to the deployments file.
    struct Deployment {
        address owner;
        /// The timelock that owns the protocol on a public chain (zero on the local chain).
        TimelockController timelock;
        address arbiter;
        ComputeCredit scu;
        ComputeStandard standard;
        address usdc;
        address multicall;
        PoolFactory factory;
        Router router;
        Quoter quoter;
        address pool;
        PriceOracle oracle;
        ProviderRegistry registry;
        JobEscrow escrow;
        JobRouter jobRouter;
        SupplyVerifier verifier;
    }

    function run() external {
        uint256 startBlock = block.number;
        write(deploy(), startBlock);
    }

    /// @notice Deploys and wires everything as the broadcasting account; public for the script's own test.
    function deploy() public returns (Deployment memory d) {
        vm.startBroadcast();
        (, address deployer,) = vm.readCallers(); // the broadcasting account
        d.owner = vm.envOr("HOURGLASS_OWNER", deployer);
        d.arbiter = vm.envOr("HOURGLASS_ARBITER", d.owner);
        d.scu = new ComputeCredit();
        d.standard = deployStandard(deployer);
        d.usdc = block.chainid == LOCAL_CHAIN_ID ? address(new TestUSDC(d.owner)) : vm.envOr("USDC_ADDRESS", address(0));
        if (d.usdc == address(0)) revert MissingUsdcAddress(block.chainid);
        d.multicall = CANONICAL_MULTICALL3.code.length > 0 ? CANONICAL_MULTICALL3 : address(new Multicall3());
        d.factory = new PoolFactory(deployer);
        d.router = new Router(address(d.factory));
        d.quoter = new Quoter(d.router);
        // The market every GPU class is priced in. Liquidity comes from LPs (or the local seed's provider).
        d.pool = d.factory.createPool(address(d.scu), d.usdc);
        // The reference price: the pool's TWAP over 30 minutes to an hour (docs/protocol.md says why).
        d.oracle = new PriceOracle(IPool(d.pool), address(d.scu), Parameters.TWAP_WINDOW);
        d.registry = new ProviderRegistry(d.scu, IERC20(d.usdc), d.standard, d.oracle, registryConfig());
        d.escrow = new JobEscrow(d.registry, IERC20(address(d.scu)), deployer, d.arbiter, escrowConfig());
        d.verifier = deployVerifier(d.registry, d.scu);
        d.registry.setEscrow(address(d.escrow), address(d.verifier));
        // The registry is SCU's only minter, for good: the token has no owner to add another.
        d.scu.setMinter(address(d.registry));
        d.jobRouter = new JobRouter(d.escrow, IPool(d.pool), address(d.scu), d.usdc);
        Ownable2Step[] memory owned = new Ownable2Step[](3);
        (owned[0], owned[1], owned[2]) = (d.standard, d.factory, d.escrow);
        if (block.chainid == LOCAL_CHAIN_ID) {
            // Local: the deployer stays owner, unless HOURGLASS_OWNER names another account (which then accepts).
            if (d.owner != deployer) {
                for (uint256 i; i < owned.length; ++i) {
                    owned[i].transferOwnership(d.owner);
                }
            }
        } else {
            d.timelock = handToTimelock(
                owned, deployer, d.owner, vm.envOr("HOURGLASS_TIMELOCK_DELAY", Parameters.TIMELOCK_DELAY)
            );
        }
        vm.stopBroadcast();
    }

    /// @dev Makes a TimelockController the owner of `owned`: created with no delay and the deployer as its only
    /// proposer, it accepts each ownership and sets its own delay in one batch, then `proposer` (the owner
    /// multisig) becomes its proposer and canceller, anyone its executor, and the deployer renounces every role.
    function handToTimelock(Ownable2Step[] memory owned, address deployer, address proposer, uint256 delay)
        internal
        returns (TimelockController timelock)
    {
        address[] memory deployerOnly = new address[](1);
        deployerOnly[0] = deployer;
        timelock = new TimelockController(0, deployerOnly, deployerOnly, deployer);
        address[] memory targets = new address[](owned.length + 1);
        bytes[] memory payloads = new bytes[](owned.length + 1);
        for (uint256 i; i < owned.length; ++i) {
            owned[i].transferOwnership(address(timelock));
            (targets[i], payloads[i]) = (address(owned[i]), abi.encodeCall(Ownable2Step.acceptOwnership, ()));
        }
        (targets[owned.length], payloads[owned.length]) =
        (address(timelock), abi.encodeCall(TimelockController.updateDelay, (delay)));
        uint256[] memory values = new uint256[](owned.length + 1);
        timelock.scheduleBatch(targets, values, payloads, bytes32(0), bytes32(0), 0);
        timelock.executeBatch(targets, values, payloads, bytes32(0), bytes32(0));
        timelock.grantRole(timelock.PROPOSER_ROLE(), proposer);
        timelock.grantRole(timelock.CANCELLER_ROLE(), proposer);
        timelock.grantRole(timelock.EXECUTOR_ROLE(), address(0)); // anyone executes a proposal once it is due
        timelock.renounceRole(timelock.PROPOSER_ROLE(), deployer);
        timelock.renounceRole(timelock.CANCELLER_ROLE(), deployer);
        timelock.renounceRole(timelock.EXECUTOR_ROLE(), deployer);
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), deployer);
    }

    /// @dev Lists every class from script/gpu-classes.json as the deployer (who hands the standard on later).
    function deployStandard(address deployer) internal returns (ComputeStandard standard) {
        string memory classes = vm.readFile("script/gpu-classes.json");
        bytes32[] memory classIds = vm.parseJsonBytes32Array(classes, ".ids");
        string[] memory classNames = vm.parseJsonStringArray(classes, ".names");
        uint256[] memory ratings = vm.parseJsonUintArray(classes, ".ratingsWad");
        standard = new ComputeStandard(deployer);
        for (uint256 i; i < classIds.length; ++i) {
            standard.addGpuClass(classIds[i], classNames[i], ratings[i]);
        }
    }

    /// @dev The supply verifier for every class in script/gpu-classes.json: on the local chain the CPU shape (its
    /// groups of tiles included) and clocks and Parameters.LOCAL_MFLOPS_PER_GPU for every class; elsewhere the GPU
    /// shape and clocks and each class's datasheet figure.
    function deployVerifier(ProviderRegistry registry, ComputeCredit scu) internal returns (SupplyVerifier) {
        string memory classes = vm.readFile("script/gpu-classes.json");
        bytes32[] memory classIds = vm.parseJsonBytes32Array(classes, ".ids");
        uint256[] memory datasheet = vm.parseJsonUintArray(classes, ".mflopsPerGpu");
        bool local = block.chainid == LOCAL_CHAIN_ID;
        uint64[] memory mflops = new uint64[](classIds.length);
        for (uint256 i; i < classIds.length; ++i) {
            mflops[i] = local ? Parameters.LOCAL_MFLOPS_PER_GPU : SafeCast.toUint64(datasheet[i]);
        }
        return new SupplyVerifier(registry, scu, verifierConfig(local), classIds, mflops);
    }

    function write(Deployment memory d, uint256 startBlock) internal {
        string memory json = "deployment";
        vm.serializeUint(json, "chainId", block.chainid);
        vm.serializeUint(json, "startBlock", startBlock);
        vm.serializeAddress(json, "owner", d.owner);
        vm.serializeAddress(json, "arbiter", d.arbiter);
        if (address(d.timelock) != address(0)) vm.serializeAddress(json, "Timelock", address(d.timelock));
        vm.serializeAddress(json, "ComputeCredit", address(d.scu));
        vm.serializeAddress(json, "ComputeStandard", address(d.standard));
        vm.serializeAddress(json, "USDC", d.usdc);
        vm.serializeAddress(json, "PoolFactory", address(d.factory));
        vm.serializeAddress(json, "Router", address(d.router));
        vm.serializeAddress(json, "Quoter", address(d.quoter));
        vm.serializeAddress(json, "ScuUsdcPool", d.pool);
        vm.serializeAddress(json, "PriceOracle", address(d.oracle));
        vm.serializeAddress(json, "ProviderRegistry", address(d.registry));
        vm.serializeAddress(json, "JobEscrow", address(d.escrow));
        vm.serializeAddress(json, "JobRouter", address(d.jobRouter));
        vm.serializeAddress(json, "SupplyVerifier", address(d.verifier));
        json = vm.serializeAddress(json, "Multicall3", d.multicall);
        vm.writeJson(json, string.concat("../lib/contracts/deployments/", vm.toString(block.chainid), ".json"));
    }

    /// @dev Parameters.sol's, with the unbonding delay from HOURGLASS_UNBONDING_DELAY when set.
    function registryConfig() internal view returns (RegistryConfig memory c) {
        c = Parameters.registryConfig();
        c.unbondingDelay = uint32(vm.envOr("HOURGLASS_UNBONDING_DELAY", uint256(c.unbondingDelay)));
    }

    /// @dev Parameters.sol's for this chain, with the fraud window from HOURGLASS_FRAUD_WINDOW when set.
    function verifierConfig(bool local) internal view returns (VerifierConfig memory c) {
        c = Parameters.verifierConfig(local);
        c.fraudWindow = uint32(vm.envOr("HOURGLASS_FRAUD_WINDOW", uint256(c.fraudWindow)));
    }

    /// @dev Parameters.sol's, with each clock from its HOURGLASS_* env var when set.
    function escrowConfig() internal view returns (EscrowConfig memory c) {
        c = Parameters.escrowConfig();
        c.startTimeout = uint32(vm.envOr("HOURGLASS_START_TIMEOUT", uint256(c.startTimeout)));
        c.receiptGrace = uint32(vm.envOr("HOURGLASS_RECEIPT_GRACE", uint256(c.receiptGrace)));
        c.disputeWindow = uint32(vm.envOr("HOURGLASS_DISPUTE_WINDOW", uint256(c.disputeWindow)));
        c.rulingPeriod = uint32(vm.envOr("HOURGLASS_RULING_PERIOD", uint256(c.rulingPeriod)));
    }
}
