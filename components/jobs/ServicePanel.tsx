"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { Address } from "viem";
import { describeError } from "@/lib/errors";
import { useJobSignatures } from "@/lib/hooks/useJobSignatures";
import type { JobDetails } from "@/lib/jobs/details";
import { fetchService, routeError, serviceUrl } from "@/lib/jobs/routeClient";
import { blockData, readBlocks } from "@/lib/protocol/eventStream";
import type { JobTemplate } from "@/lib/jobs/templates";
import { appDeployment } from "@/lib/wagmi/config";

/** What the panel shows of a raw answer at most. */
const SHOWN_CHARS = 64 * 1024;

/**
 * A running job's service, for its buyer: its URL and an access token to hand a client of one's own, and a way to
 * talk to it from here: a chat box for an OpenAI-compatible server, a terminal for the shell, or a plain request.
 * The token is signed once (the wallet asks) and kept for the session.
 */
export function ServicePanel({
  job,
  account,
  port,
  kind,
}: {
  job: JobDetails;
  account: Address;
  port: number;
  kind: JobTemplate["service"];
}) {
  const { token } = useJobSignatures(appDeployment!.contracts.JobEscrow);
  const serviceToken = () => token(job.id, "service", account);
  const [shown, setShown] = useState<string>();
  const reveal = useMutation<string, Error>({ mutationFn: serviceToken, onSuccess: setShown });
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const url = serviceUrl(origin, job.id, port);

  return (
    <section className="panel grid gap-3" aria-labelledby="service-heading">
      <h2 id="service-heading" className="panel-title">
        Service on port {port}
      </h2>
      <p className="break-all font-mono text-xs text-stone-300" data-testid="service-url">
        {url}/
      </p>
      {kind === "openai" && <ChatBox job={job} port={port} token={serviceToken} />}
      {kind === "shell" && <ShellBox job={job} port={port} token={serviceToken} />}
      {kind === undefined && <RequestBox job={job} port={port} token={serviceToken} />}
      <details className="text-sm">
        <summary className="cursor-pointer text-stone-300">Call it from your own client</summary>
        {shown ? (
          <div className="mt-2 grid gap-2">
            <p className="text-xs text-stone-400">
              Your access token: anyone holding it can call this job&apos;s service (nothing else) until it expires.
            </p>
            <code className="break-all rounded bg-stone-900 p-2 text-xs" data-testid="service-token">
              {shown}
            </code>
            <pre className="overflow-x-auto rounded bg-stone-900 p-2 text-xs">
              {`curl -H "Authorization: Bearer $TOKEN" ${url}/\n\n# OpenAI clients: base_url="${url}/v1", api_key=$TOKEN`}
            </pre>
          </div>
        ) : (
          <button
            type="button"
            className="btn-secondary mt-2 px-3 py-1 text-sm"
            disabled={reveal.isPending}
            onClick={() => reveal.mutate()}
          >
            Make an access token
          </button>
        )}
        {reveal.error && <p className="text-sm text-rose-300">{describeError(reveal.error)}</p>}
      </details>
    </section>
  );
}

interface BoxProps {
  job: JobDetails;
  port: number;
  token: () => Promise<string>;
}

/** Chat with an OpenAI-compatible server: the answer streams in as the server sends it. */
function ChatBox({ job, port, token }: BoxProps) {
  const [messages, setMessages] = useState<{ role: "user" | "assistant"; content: string }[]>([]);
  const [draft, setDraft] = useState("");
  const send = useMutation<void, Error, string>({
    mutationFn: async (text) => {
      const history = [...messages, { role: "user" as const, content: text }];
      setMessages([...history, { role: "assistant", content: "" }]);
      const response = await fetchService(job.id, port, "/v1/chat/completions", await token(), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ messages: history, stream: true, max_tokens: 64 }),
      });
      if (!response.ok || !response.body) throw await routeError(response);
      await readBlocks(response.body, (block) => {
        const data = blockData(block);
        if (data === undefined || data === "[DONE]") return;
        const piece = (JSON.parse(data) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta
          ?.content;
        if (piece)
          setMessages((all) => [...all.slice(0, -1), { role: "assistant", content: all.at(-1)!.content + piece }]);
      });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim() || send.isPending) return;
    send.mutate(draft.trim());
    setDraft("");
  };
  return (
    <form onSubmit={submit} className="grid gap-2">
      <ol className="grid max-h-72 gap-2 overflow-y-auto text-sm" data-testid="chat-messages" aria-live="polite">
        {messages.map((m, i) => (
          <li key={i} className={m.role === "user" ? "text-stone-300" : "text-amber-200"}>
            <span className="text-xs text-stone-500">{m.role === "user" ? "You" : "Model"}: </span>
            {m.content}
          </li>
        ))}
      </ol>
      <div className="flex gap-2">
        <input
          aria-label="Message"
          className="min-w-0 flex-1 rounded border border-stone-700 bg-stone-900 px-2 py-1 text-sm"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="Ask the model something"
        />
        <button type="submit" className="btn-secondary px-3 py-1 text-sm" disabled={send.isPending || !draft.trim()}>
          Send
        </button>
      </div>
      {send.error && <p className="text-sm text-rose-300">{describeError(send.error)}</p>}
    </form>
  );
}

/** A terminal for the shell template: each command's output streams in as the job prints it. */
function ShellBox({ job, port, token }: BoxProps) {
  const [command, setCommand] = useState("");
  const [output, setOutput] = useState("");
  const run = useMutation<void, Error, string>({
    mutationFn: async (line) => {
      setOutput((o) => `${o}$ ${line}\n`);
      const response = await fetchService(job.id, port, "/exec", await token(), { method: "POST", body: line });
      if (!response.ok || !response.body) throw await routeError(response);
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        const text = decoder.decode(chunk.value, { stream: true });
        setOutput((o) => (o + text).slice(-SHOWN_CHARS));
      }
    },
  });
  return (
    <form
      className="grid gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (command.trim() && !run.isPending) run.mutate(command);
        setCommand("");
      }}
    >
      <pre className="max-h-72 min-h-24 overflow-auto rounded bg-stone-950 p-2 text-xs" data-testid="shell-output">
        {output}
      </pre>
      <input
        aria-label="Command"
        className="rounded border border-stone-700 bg-stone-900 px-2 py-1 font-mono text-sm"
        value={command}
        onChange={(e) => setCommand(e.target.value)}
        placeholder="nvidia-smi"
      />
      {run.error && <p className="text-sm text-rose-300">{describeError(run.error)}</p>}
    </form>
  );
}

/** Any request to the service: method, path and body; the answer's status and (the start of) its body. */
function RequestBox({ job, port, token }: BoxProps) {
  const [method, setMethod] = useState("GET");
  const [path, setPath] = useState("/");
  const [body, setBody] = useState("");
  const call = useMutation<{ status: number; text: string }, Error>({
    mutationFn: async () => {
      const response = await fetchService(job.id, port, path, await token(), {
        method,
        ...(method === "GET" || method === "HEAD" ? {} : { body }),
      });
      return { status: response.status, text: (await response.text()).slice(0, SHOWN_CHARS) };
    },
  });
  return (
    <form
      className="grid gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        call.mutate();
      }}
    >
      <div className="flex gap-2">
        <select
          aria-label="Method"
          value={method}
          onChange={(e) => setMethod(e.target.value)}
          className="rounded border border-stone-700 bg-stone-900 px-2 text-sm"
        >
          {["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <input
          aria-label="Path"
          className="min-w-0 flex-1 rounded border border-stone-700 bg-stone-900 px-2 py-1 font-mono text-sm"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <button type="submit" className="btn-secondary px-3 py-1 text-sm" disabled={call.isPending}>
          Send
        </button>
      </div>
      {method !== "GET" && (
        <textarea
          aria-label="Body"
          rows={3}
          className="rounded border border-stone-700 bg-stone-900 p-2 font-mono text-xs"
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
      )}
      {call.data && (
        <pre className="max-h-72 overflow-auto rounded bg-stone-950 p-2 text-xs">
          {call.data.status}
          {"\n"}
          {call.data.text}
        </pre>
      )}
      {call.error && <p className="text-sm text-rose-300">{describeError(call.error)}</p>}
    </form>
  );
}
