import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isAddress, isAddressEqual } from "viem";
import { serverChain } from "@/lib/server/context";
import PoolPage from "../page";

export const metadata: Metadata = { title: "Pool · Hourglass" };
export const dynamic = "force-dynamic";

/** A pool by address. Today the only one is SCU/USDC, the pool /pool shows; any other address is not found. */
export default async function PoolByAddressPage({
  params,
  searchParams,
}: {
  params: Promise<{ address: string }>;
  searchParams: Promise<{ range?: string }>;
}) {
  const { address } = await params;
  if (!isAddress(address) || !isAddressEqual(address, serverChain().deployment.contracts.ScuUsdcPool)) notFound();
  return <PoolPage searchParams={searchParams} />;
}
