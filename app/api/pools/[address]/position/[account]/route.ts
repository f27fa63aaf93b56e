import { isAddress, isAddressEqual } from "viem";
import { NextResponse } from "next/server";
import { stringifyWithBigints } from "@/lib/json";
import { positionOf } from "@/lib/pool/position";
import { readPool } from "@/lib/pool/snapshot";
import { serverChain } from "@/lib/server/context";
import { clientKey } from "@/lib/server/client";
import { RateLimiter, tooManyRequests } from "@/lib/server/ratelimit";

/** A page polls this once a block: sixty at once, then two a second, per client. */
const limiter = new RateLimiter(60, 2);

/** An account's LP position in a pool, computed from the pool's events (lib/pool/position.ts). */
export async function GET(request: Request, { params }: { params: Promise<{ address: string; account: string }> }) {
  const decision = await limiter.take(clientKey(request.headers));
  if (!decision.ok) return tooManyRequests(decision.retryAfterSeconds);
  const { address, account } = await params;
  if (!isAddress(address) || !isAddress(account)) {
    return NextResponse.json(
      { error: "The pool and the account must each be a 0x-prefixed 20-byte address." },
      { status: 400 },
    );
  }
  const { client, deployment } = serverChain();
  if (!isAddressEqual(address, deployment.contracts.ScuUsdcPool)) {
    return NextResponse.json({ error: `Hourglass has no pool at ${address}.` }, { status: 404 });
  }
  const pool = await readPool(client, deployment.contracts, BigInt(deployment.startBlock));
  const report = positionOf({
    events: pool.events,
    account,
    scuIsToken0: pool.scuIsToken0,
    reserves: pool.state,
    protocolShareBps: pool.protocolFee.shareBps,
  });
  return new Response(stringifyWithBigints({ ...report, blockTime: pool.now }), {
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}
