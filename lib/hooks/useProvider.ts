/** A provider's report (GET /api/providers/[account], lib/provider/report.ts), read again on every new block. */
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import type { Address } from "viem";
import { useBlockNumber } from "wagmi";
import { parseWithBigints } from "../json";
import type { ProviderReport } from "../provider/report";

export function useProvider(account: Address | undefined) {
  const { data: blockNumber } = useBlockNumber({ watch: true });
  const query = useQuery({
    queryKey: ["provider", account],
    queryFn: async () => {
      const response = await fetch(`/api/providers/${account}`);
      const text = await response.text();
      if (!response.ok)
        throw new Error((JSON.parse(text) as { error?: string }).error ?? `The route answered ${response.status}.`);
      return parseWithBigints<ProviderReport>(text);
    },
    enabled: Boolean(account),
    placeholderData: (previous) => previous,
  });
  const { refetch } = query;
  useEffect(() => {
    if (blockNumber !== undefined && account) void refetch();
  }, [blockNumber, account, refetch]);
  return query;
}
