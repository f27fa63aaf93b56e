// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "forge-std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ComputeCredit} from "../../src/ComputeCredit.sol";
import {ComputeStandard} from "../../src/ComputeStandard.sol";
import {PoolFactory} from "../../src/PoolFactory.sol";
import {Router} from "../../src/Router.sol";
import {Quoter} from "../../src/Quoter.sol";
import {PriceOracle} from "../../src/PriceOracle.sol";
import {ProviderRegistry} from "../../src/ProviderRegistry.sol";
import {JobEscrow} from "../../src/JobEscrow.sol";
import {JobRouter} from "../../src/JobRouter.sol";
import {SupplyVerifier} from "../../src/SupplyVerifier.sol";
import {IPool} from "../../src/interfaces/IPool.sol";
import {IRouter} from "../../src/interfaces/IRouter.sol";
import {IProviderRegistry} from "../../src/interfaces/IProviderRegistry.sol";
import {IJobEscrow} from "../../src/interfaces/IJobEscrow.sol";
import {IComputeCredit} from "../../src/interfaces/IComputeCredit.sol";
import {IComputeStandard} from "../../src/interfaces/IComputeStandard.sol";
import {IPriceOracle} from "../../src/interfaces/IPriceOracle.sol";
import {RegistryConfig} from "../../src/types/Provider.sol";
import {EscrowConfig} from "../../src/types/Job.sol";
import {VerifierConfig} from "../../src/types/Verification.sol";

/// @notice The protocol's contracts deployed from their compiled artifacts, typed. Why not `new`: under via-ir,
/// `new C` embeds C's Yul in the creating contract and the optimizer runs over it again there, so every test
/// contract that deployed the protocol re-optimized all of it (a cold build took 11.5 minutes, of which the
/// contracts themselves 1.4). From artifacts, each contract is compiled once and the tests run the bytecode that
/// is deployed. The deployer is the calling contract, as with `new`; a reverting constructor reverts the call.
library Deployers {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    function computeCredit() internal returns (ComputeCredit) {
        return ComputeCredit(vm.deployCode("ComputeCredit.sol:ComputeCredit"));
    }

    function computeStandard(address owner) internal returns (ComputeStandard) {
        return ComputeStandard(vm.deployCode("ComputeStandard.sol:ComputeStandard", abi.encode(owner)));
    }

    function poolFactory(address owner) internal returns (PoolFactory) {
        return PoolFactory(vm.deployCode("PoolFactory.sol:PoolFactory", abi.encode(owner)));
    }

    function router(address factory) internal returns (Router) {
        return Router(vm.deployCode("Router.sol:Router", abi.encode(factory)));
    }

    function quoter(IRouter router_) internal returns (Quoter) {
        return Quoter(vm.deployCode("Quoter.sol:Quoter", abi.encode(router_)));
    }

    function priceOracle(IPool pool, address scu, uint256 window) internal returns (PriceOracle) {
        return PriceOracle(vm.deployCode("PriceOracle.sol:PriceOracle", abi.encode(pool, scu, window)));
    }

    function providerRegistry(
        IComputeCredit credit,
        IERC20 usdc,
        IComputeStandard standard,
        IPriceOracle oracle,
        RegistryConfig memory c
    ) internal returns (ProviderRegistry) {
        return ProviderRegistry(
            vm.deployCode("ProviderRegistry.sol:ProviderRegistry", abi.encode(credit, usdc, standard, oracle, c))
        );
    }

    function jobEscrow(IProviderRegistry registry, IERC20 credit, address owner, address arbiter, EscrowConfig memory c)
        internal
        returns (JobEscrow)
    {
        return JobEscrow(vm.deployCode("JobEscrow.sol:JobEscrow", abi.encode(registry, credit, owner, arbiter, c)));
    }

    function supplyVerifier(
        IProviderRegistry registry,
        IComputeCredit credit,
        VerifierConfig memory c,
        bytes32[] memory classIds,
        uint64[] memory classRates
    ) internal returns (SupplyVerifier) {
        return SupplyVerifier(
            vm.deployCode("SupplyVerifier.sol:SupplyVerifier", abi.encode(registry, credit, c, classIds, classRates))
        );
    }

    function jobRouter(IJobEscrow escrow, IPool pool, address scu, address usdc) internal returns (JobRouter) {
        return JobRouter(vm.deployCode("JobRouter.sol:JobRouter", abi.encode(escrow, pool, scu, usdc)));
    }
}
