// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRouter} from "./IRouter.sol";
import {JobParams} from "../types/Job.sol";

/// @title IJobRouter
/// @notice From stablecoin to a funded job in one transaction: USDC (by allowance or permit) buys exactly the
/// SCU the job locks from the SCU/USDC pool, straight into the escrow, which opens the job for the caller.
interface IJobRouter {
    /// @notice The call landed at `timestamp`, after its `deadline`.
    error DeadlineExpired(uint256 deadline, uint256 timestamp);
    /// @notice The job's SCU costs `amountIn` USDC, above the caller's maximum `amountInMax`.
    error ExcessiveInputAmount(uint256 amountIn, uint256 amountInMax);
    /// @notice The pool holds `reserve` SCU; a job needing `needed` cannot be bought there.
    error InsufficientPoolLiquidity(uint256 needed, uint256 reserve);
    /// @notice The permit failed and the router's USDC allowance `allowance` is below the `needed`.
    error PermitFailed(uint256 allowance, uint256 needed);

    /// @notice The caller paid `usdcIn` USDC for the `scu` SCU job `jobId` locked.
    event JobBought(uint256 indexed jobId, address indexed buyer, uint256 usdcIn, uint256 scu);

    /// @notice USDC needed now for the job `params` describes, and the SCU it locks.
    function quote(JobParams calldata params) external view returns (uint256 usdcIn, uint256 scu);

    /// @notice Buys the job's SCU with at most `amountInMax` USDC of the caller's (needs an allowance) and
    /// creates the job. Requirements: now ≤ deadline; as IJobEscrow.createJob.
    function swapAndCreateJob(JobParams calldata params, uint256 amountInMax, uint256 deadline)
        external
        returns (uint256 jobId, uint256 usdcIn);

    /// @notice `swapAndCreateJob` after a USDC permit for the router.
    function swapAndCreateJobWithPermit(
        JobParams calldata params,
        uint256 amountInMax,
        uint256 deadline,
        IRouter.PermitSignature calldata permit
    ) external returns (uint256 jobId, uint256 usdcIn);
}
