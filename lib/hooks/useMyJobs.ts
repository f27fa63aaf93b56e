/** The connected buyer's jobs (lib/jobs/details.ts's listJobs), newest first, read again on every new block. */
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import type { Address } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";
import { listJobs } from "../jobs/details";
import { appDeployment } from "../wagmi/config";

export function useMyJobs(buyer: Address | undefined) {
  const client = usePublicClient();
  const deployment = appDeployment!;
  const { data: blockNumber } = useBlockNumber({ watch: true });
  const query = useQuery({
    queryKey: ["my-jobs", buyer],
    queryFn: () => listJobs(client!, deployment.contracts.JobEscrow, buyer!, BigInt(deployment.startBlock)),
    enabled: Boolean(client && buyer),
  });
  const { refetch } = query;
  useEffect(() => {
    if (blockNumber !== undefined && buyer) void refetch();
  }, [blockNumber, buyer, refetch]);
  return query;
}
