/**
 * Every job template runs for real. The Node ones under the process runtime (the services among them answer
 * on their port as a client would call them). The PyTorch ones in a real container on their CPU path, from an
 * image of Debian's CPU PyTorch built here (scripts/lib/torch-image.ts) in place of the CUDA image a GPU host
 * pulls: no registry is reachable and there is no GPU, so their GPU path has not run here (docs/jobs.md says
 * so). On CI (`CI=true`) a missing engine or PyTorch fails rather than skips.
 */
import { mkdtempSync } from "node:fs";
import { Readable } from "node:stream";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { jobSpecSchema, type JobSpec } from "../../lib/jobs/spec";
import { JOB_TEMPLATES, SERVICE_PORT } from "../../lib/jobs/templates";
import { INFERENCE_MODEL } from "../../lib/jobs/templates/inferenceServer";
import { torchAvailable, torchImage } from "../../scripts/lib/torch-image";
import { waitFor } from "../../scripts/lib/proc";
import { dockerConfigSchema } from "../config";
import { JobFiles } from "../files";
import { DockerRuntime, dockerAvailable } from "./docker";
import { ProcessRuntime } from "./process";
import type { RunRequest } from "./types";

const template = (id: string) => JOB_TEMPLATES.find((t) => t.id === id)!;
const run = (spec: JobSpec, overrides: Partial<RunRequest> = {}) => {
  let output = "";
  const job = new ProcessRuntime().run({
    jobId: 1n,
    spec,
    gpus: 1,
    timeLimitMs: 30_000,
    outputCapBytes: 1 << 20,
    onLog: (_, text) => (output += text),
    ...overrides,
  });
  return { job, output: () => output };
};

describe("job templates", () => {
  it("are valid specs, each saying where it runs", () => {
    for (const t of JOB_TEMPLATES) {
      expect(jobSpecSchema.safeParse(t.spec).success, t.id).toBe(true);
      expect(Boolean(t.service), t.id).toBe((t.spec.ports ?? []).includes(SERVICE_PORT));
    }
  });

  it("that run anywhere and exit, run for real under the process runtime", async () => {
    for (const t of JOB_TEMPLATES.filter((t) => t.runs === "anywhere" && !t.service)) {
      const spec = t.id === "countdown" ? { ...t.spec, env: { SECONDS: "1" } } : t.spec;
      const { job, output } = run(spec);
      const result = await job.done;
      expect(result, `${t.id}: ${output()}`).toMatchObject({ reason: "exited", exitCode: 0 });
      expect(output().length).toBeGreaterThan(0);
    }
  }, 60_000);

  it("the inference server answers as the OpenAI API does, streamed or not, and refuses what it cannot take", async () => {
    const { job } = run(template("inference-server").spec);
    try {
      let base = "";
      await waitFor(
        "the server",
        async () => {
          const address = await job.serviceAddress!(SERVICE_PORT);
          base = address ? `http://${address.host}:${address.port}` : "";
          return (
            base !== "" &&
            (await fetch(`${base}/health`).then(
              (r) => r.ok,
              () => false,
            ))
          );
        },
        20_000,
      );
      expect(await (await fetch(`${base}/v1/models`)).json()).toMatchObject({ data: [{ id: INFERENCE_MODEL }] });
      const post = (path: string, body: unknown) =>
        fetch(`${base}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const chat = await (
        await post("/v1/chat/completions", {
          model: INFERENCE_MODEL,
          messages: [{ role: "user", content: "what does a host prove" }],
          max_tokens: 16,
          temperature: 0,
        })
      ).json();
      expect(chat).toMatchObject({
        object: "chat.completion",
        model: INFERENCE_MODEL,
        choices: [{ message: { role: "assistant" } }],
      });
      expect(chat.choices[0].message.content.split(" ").length).toBeGreaterThan(3);
      expect(chat.usage.completion_tokens).toBeGreaterThan(0);
      // Greedy decoding is deterministic.
      const again = await (
        await post("/v1/chat/completions", {
          messages: [{ role: "user", content: "what does a host prove" }],
          max_tokens: 16,
          temperature: 0,
        })
      ).json();
      expect(again.choices[0].message.content).toBe(chat.choices[0].message.content);
      const stream = await (await post("/v1/completions", { prompt: "the buyer", max_tokens: 8, stream: true })).text();
      const events = stream.split("\n\n").filter(Boolean);
      expect(events.at(-1)).toBe("data: [DONE]");
      expect(JSON.parse(events[0]!.slice(6))).toMatchObject({ object: "text_completion", choices: [{ index: 0 }] });
      expect((await post("/v1/chat/completions", { messages: "hi" })).status).toBe(400);
      expect((await fetch(`${base}/v1/chat/completions`, { method: "POST", body: "{" })).status).toBe(400);
      expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    } finally {
      job.stop();
      await job.done;
    }
  }, 30_000);

  it("the shell runs a command and streams what it prints, with its exit status", async () => {
    const { job } = run(template("web-shell").spec);
    try {
      let base = "";
      await waitFor(
        "the shell",
        async () => {
          const address = await job.serviceAddress!(SERVICE_PORT);
          base = address ? `http://${address.host}:${address.port}` : "";
          return (
            base !== "" &&
            (await fetch(base).then(
              (r) => r.ok,
              () => false,
            ))
          );
        },
        20_000,
      );
      const text = await (
        await fetch(`${base}/exec`, { method: "POST", body: "echo $HOURGLASS_JOB_ID; exit 3" })
      ).text();
      expect(text).toBe("1\n[exit 3]\n");
    } finally {
      job.stop();
      await job.done;
    }
  }, 30_000);
});

const engine = dockerAvailable();
const torch = torchAvailable();
const root = process.getuid?.() === 0;
if (!(engine.ok && torch && root) && process.env.CI === "true") {
  describe("PyTorch templates on CI", () => {
    it("have a Docker engine, root and PyTorch (.ci/run installs docker.io and python3-torch)", () => {
      throw new Error(`CI=true, yet engine: ${engine.ok ? "ok" : engine.reason}, torch: ${torch}, root: ${root}`);
    });
  });
}

describe.runIf(engine.ok && torch && root)("the PyTorch templates, in a container, on the CPU", () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "templates-test-"));
  const runtime = () =>
    new DockerRuntime({
      config: dockerConfigSchema.parse({ pull: "missing", memoryMiBPerGpu: 2048, cpusPerGpu: 2 }),
      owner: `test-templates-${process.pid}`,
      devices: [],
      cliConfigDir: mkdtempSync(path.join(scratch, "cli-")),
    });
  let jobId = BigInt(Date.now()) * 1000n + 900n;
  const store = JobFiles.open(
    mkdtempSync(path.join(scratch, "files-")),
    { maxInputBytes: 16 << 20, maxOutputBytes: 64 << 20, maxStoredBytes: 1 << 30, retentionDays: 1 },
    { mountOutputs: true },
  );
  async function inContainer(id: string, env: Record<string, string>, inputs: Record<string, Uint8Array> = {}) {
    const files = await store;
    const spec = { ...template(id).spec, image: torchImage(), env };
    const request = { jobId: ++jobId, spec, gpus: 0, timeLimitMs: 240_000, outputCapBytes: 1 << 20 };
    for (const [name, bytes] of Object.entries(inputs))
      await files.putInput(request.jobId, name, Readable.from([bytes]));
    let output = "";
    const result = await runtime().run({
      ...request,
      files: await files.stage(request.jobId),
      onLog: (_, text) => (output += text),
    }).done;
    return { result, output, files, manifest: await files.finish(request.jobId), jobId: request.jobId };
  }

  it("the GPU check finds no GPU, measures the CPU, checks the answer and writes benchmark.json", async () => {
    const { result, output, manifest } = await inContainer("pytorch-check", { SIZE: "256", ROUNDS: "2" });
    expect(result, output).toMatchObject({ reason: "exited", exitCode: 0 });
    expect(output).toContain("no CUDA device visible");
    expect(output).toMatch(/cpu: best [\d.]+ TFLOPS, relative error .* \(ok\)/);
    expect(manifest.outputs.map((e) => e.path)).toEqual(["benchmark.json"]);
  }, 300_000);

  it("training lowers its loss and leaves its checkpoints in the outputs", async () => {
    const { result, output, manifest } = await inContainer("training", {
      STEPS: "60",
      CHECKPOINT_EVERY: "20",
      WIDTH: "64",
    });
    expect(result, output).toMatchObject({ reason: "exited", exitCode: 0 });
    expect(manifest.outputs.map((e) => e.path)).toEqual([
      "checkpoints/step-000020.pt",
      "checkpoints/step-000040.pt",
      "checkpoints/step-000060.pt",
      "metrics.json",
    ]);
    expect(output).toMatch(/loss [\d.]+ -> [\d.]+/);
  }, 300_000);

  it("training resumes from a checkpoint uploaded as resume.pt", async () => {
    const env = { STEPS: "20", CHECKPOINT_EVERY: "20", WIDTH: "64" };
    const first = await inContainer("training", env);
    const checkpoint = await first.files.read(first.jobId, "outputs/checkpoints/step-000020.pt");
    const chunks: Buffer[] = [];
    for await (const chunk of checkpoint!.stream) chunks.push(chunk as Buffer);
    const second = await inContainer("training", env, { "resume.pt": Buffer.concat(chunks) });
    expect(second.result, second.output).toMatchObject({ reason: "exited", exitCode: 0 });
    expect(second.output).toContain("resumed from step 20");
    expect(second.manifest.outputs.map((e) => e.path)).toContain("checkpoints/step-000040.pt");
    expect(second.manifest.inputs.map((e) => e.path)).toEqual(["resume.pt"]);
  }, 300_000);
});
