import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { JobView } from "@/components/jobs/JobView";
import { readJob } from "@/lib/jobs/details";
import { serverChain } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Job #${(await params).id} · Hourglass` };
}

/** A job's page: read on the server for the first paint, then live in the browser. */
export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[1-9]\d{0,30}$/.test(id)) notFound();
  const { client, deployment } = serverChain();
  const job = await readJob(client, deployment.contracts, BigInt(id), BigInt(deployment.startBlock));
  if (!job) notFound();
  return <JobView initial={job} />;
}
