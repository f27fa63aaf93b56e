"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Address } from "viem";
import { describeError } from "@/lib/errors";
import { useJobSignatures } from "@/lib/hooks/useJobSignatures";
import type { JobDetails } from "@/lib/jobs/details";
import { fetchFiles, fileUrl } from "@/lib/jobs/routeClient";
import { formatBytes, manifestHash } from "@/lib/protocol/files";
import { formatClock } from "@/lib/time";
import { appDeployment } from "@/lib/wagmi/config";

/**
 * A job's files, for its buyer: the inputs it was given and, once it ended, the outputs its host kept, each
 * with its size and SHA-256 and a download link, and the manifest's hash, which the receipt's result hash
 * covers. Listed on request (the wallet signs a GET-only "download" token for an hour: its links carry it), then
 * again when the job ends. The manifest's hash is recomputed here, not taken from the host.
 */
export function FilesPanel({ job, account }: { job: JobDetails; account: Address }) {
  const { token } = useJobSignatures(appDeployment!.contracts.JobEscrow);
  const [asked, setAsked] = useState(false);
  const ended = job.endedAt > 0 || job.status === "cancelled" || job.status === "expired";
  const listing = useQuery({
    queryKey: ["job-files", String(job.id), ended],
    queryFn: async () => {
      const files = await token(job.id, "download", account);
      return { token: files, answer: await fetchFiles(job.id, files) };
    },
    enabled: asked,
    retry: false,
  });

  return (
    <section className="panel grid gap-3" aria-labelledby="files-heading">
      <h2 id="files-heading" className="panel-title">
        Files
      </h2>
      {!asked ? (
        <button type="button" className="btn-secondary justify-self-start" onClick={() => setAsked(true)}>
          Show the job&apos;s files
        </button>
      ) : listing.isPending ? (
        <p className="text-sm text-stone-400">Asking the host…</p>
      ) : listing.error ? (
        <p role="alert" className="text-sm text-rose-300">
          {describeError(listing.error)}
        </p>
      ) : (
        <FileList jobId={job.id} token={listing.data.token} answer={listing.data.answer} />
      )}
    </section>
  );
}

function FileList({
  jobId,
  token,
  answer,
}: {
  jobId: bigint;
  token: string;
  answer: Awaited<ReturnType<typeof fetchFiles>>;
}) {
  const { manifest } = answer;
  const groups = [
    { kind: "inputs", entries: manifest.inputs },
    { kind: "outputs", entries: manifest.outputs },
  ] as const;
  return (
    <div className="grid gap-3 text-sm">
      {groups.map(({ kind, entries }) => (
        <div key={kind}>
          <h3 className="text-xs uppercase tracking-wide text-stone-400">{kind}</h3>
          {entries.length === 0 ? (
            <p className="text-stone-400">
              {kind === "outputs" && !answer.final ? "Listed once the job has ended." : "None."}
            </p>
          ) : (
            <ul className="grid gap-1" data-testid={`job-${kind}`}>
              {entries.map((entry) => (
                <li key={entry.path} className="flex flex-wrap items-baseline justify-between gap-x-3">
                  <a
                    className="font-mono text-amber-200 underline"
                    href={fileUrl(jobId, `${kind}/${entry.path}`, token)}
                    download={entry.path.split("/").at(-1)}
                  >
                    {entry.path}
                  </a>
                  <span className="text-xs text-stone-400" title={`SHA-256 ${entry.sha256.slice(2)}`}>
                    {formatBytes(entry.size)} · sha256 {entry.sha256.slice(2, 14)}…
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
      {manifest.omitted > 0 && (
        <p className="text-xs text-stone-400">
          {manifest.omitted} more file(s) were not kept: past the host&apos;s limits, or links.
        </p>
      )}
      {answer.final && (
        <p className="break-all text-xs text-stone-400" data-testid="manifest-hash">
          Manifest hash {manifestHash(manifest)} (the receipt&apos;s result hash covers it)
          {answer.retainedUntil !== null && `; kept until ${formatClock(answer.retainedUntil)}`}
        </p>
      )}
    </div>
  );
}
