/** A job's details, read again on every new block (lib/jobs/details.ts), starting from what the server read. */
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useBlockNumber, usePublicClient } from "wagmi";
import { readJob, type JobDetails } from "../jobs/details";
import { appDeployment } from "../wagmi/config";

export function useJob(jobId: bigint, initial: JobDetails) {
  const client = usePublicClient();
  const deployment = appDeployment!;
  const { data: blockNumber } = useBlockNumber({ watch: true });
  const query = useQuery({
    queryKey: ["job", String(jobId)],
    queryFn: async () => (await readJob(client!, deployment.contracts, jobId, BigInt(deployment.startBlock)))!,
    initialData: initial,
    enabled: Boolean(client),
  });
  const { refetch } = query;
  useEffect(() => {
    if (blockNumber !== undefined) void refetch();
  }, [blockNumber, refetch]);
  return query;
}
