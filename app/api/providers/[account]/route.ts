import { isAddress } from "viem";
import { NextResponse } from "next/server";
import { stringifyWithBigints } from "@/lib/json";
import { readProviderReport } from "@/lib/provider/report";
import { serverChain } from "@/lib/server/context";
import { clientKey } from "@/lib/server/client";
import { RateLimiter, tooManyRequests } from "@/lib/server/ratelimit";

/** The provider page polls this once a block: sixty at once, then two a second, per client. */
const limiter = new RateLimiter(60, 2);

/** A provider's dashboard: book, limits, hosts, jobs served, earnings and utilization (lib/provider/report.ts). */
export async function GET(request: Request, { params }: { params: Promise<{ account: string }> }) {
  const decision = await limiter.take(clientKey(request.headers));
  if (!decision.ok) return tooManyRequests(decision.retryAfterSeconds);
  const { account } = await params;
  if (!isAddress(account)) {
    return NextResponse.json({ error: "The account must be a 0x-prefixed 20-byte address." }, { status: 400 });
  }
  const { client, deployment } = serverChain();
  const report = await readProviderReport(client, deployment.contracts, account, BigInt(deployment.startBlock));
  return new Response(stringifyWithBigints(report), {
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}
