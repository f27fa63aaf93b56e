// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";
import {IJobRouter} from "./interfaces/IJobRouter.sol";
import {IJobEscrow} from "./interfaces/IJobEscrow.sol";
import {IPool} from "./interfaces/IPool.sol";
import {IRouter} from "./interfaces/IRouter.sol";
import {PoolMath} from "./libraries/PoolMath.sol";
import {JobParams} from "./types/Job.sol";

/// @title JobRouter
/// @notice Periphery: one transaction from USDC to a funded job. It holds no tokens: the buyer's USDC goes
/// straight to the pool and the SCU straight to the escrow, which funds the job from what arrived.
contract JobRouter is IJobRouter {
    using SafeTransferLib for address;

    IJobEscrow public immutable escrow;
    IPool public immutable pool;
    address public immutable usdc;
    bool internal immutable _scuIsToken0;

    constructor(IJobEscrow escrow_, IPool pool_, address scu, address usdc_) {
        (escrow, pool, usdc) = (escrow_, pool_, usdc_);
        _scuIsToken0 = pool_.token0() == scu;
    }

    /// @inheritdoc IJobRouter
    function quote(JobParams calldata params) public view returns (uint256 usdcIn, uint256 scu) {
        scu = escrow.quote(params);
        (uint112 r0, uint112 r1,) = pool.getReserves();
        (uint256 reserveUsdc, uint256 reserveScu) =
            _scuIsToken0 ? (uint256(r1), uint256(r0)) : (uint256(r0), uint256(r1));
        if (scu >= reserveScu) revert InsufficientPoolLiquidity(scu, reserveScu);
        usdcIn = PoolMath.getAmountIn(scu, reserveUsdc, reserveScu, pool.fee());
    }

    /// @inheritdoc IJobRouter
    function swapAndCreateJob(JobParams calldata params, uint256 amountInMax, uint256 deadline)
        public
        returns (uint256 jobId, uint256 usdcIn)
    {
        if (block.timestamp > deadline) revert DeadlineExpired(deadline, block.timestamp);
        uint256 scu;
        (usdcIn, scu) = quote(params);
        if (usdcIn > amountInMax) revert ExcessiveInputAmount(usdcIn, amountInMax);
        escrow.openFunding(); // only SCU reaching the escrow from here on can fund the job
        usdc.safeTransferFrom(msg.sender, address(pool), usdcIn);
        pool.swap(!_scuIsToken0, scu, address(escrow));
        jobId = escrow.createJobFunded(msg.sender, params);
        emit JobBought(jobId, msg.sender, usdcIn, scu);
    }

    /// @inheritdoc IJobRouter
    function swapAndCreateJobWithPermit(
        JobParams calldata params,
        uint256 amountInMax,
        uint256 deadline,
        IRouter.PermitSignature calldata permit
    ) external returns (uint256 jobId, uint256 usdcIn) {
        // A permit someone else already submitted reverts; the allowance it set is what counts.
        try IERC20Permit(usdc)
            .permit(msg.sender, address(this), permit.value, permit.deadline, permit.v, permit.r, permit.s) {}
        catch {
            uint256 allowance = IERC20(usdc).allowance(msg.sender, address(this));
            if (allowance < amountInMax) revert PermitFailed(allowance, amountInMax);
        }
        return swapAndCreateJob(params, amountInMax, deadline);
    }
}
