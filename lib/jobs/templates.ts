/**
 * Job templates the app offers. Each is a real spec. The Node ones run anywhere: under the process runtime
 * (development, CI) with the host's Node.js, under docker in node:22-slim. The PyTorch ones need the docker
 * runtime and the image they name (CUDA builds: pulled by a GPU host), and fall back to the CPU where no GPU is
 * visible, which is how they are tested here (host/runtime/templates.test.ts).
 */
import { specHash, type JobSpec } from "./spec";
import { INFERENCE_SERVER } from "./templates/inferenceServer";
import { PYTORCH_CHECK } from "./templates/pytorchCheck";
import { SHELL_SERVER } from "./templates/shell";
import { TRAINING } from "./templates/training";

/** The port the service templates listen on. */
export const SERVICE_PORT = 8000;

export interface JobTemplate {
  id: string;
  name: string;
  description: string;
  spec: JobSpec;
  /** Where it runs: "anywhere" (Node), or only on docker hosts, which pull `spec.image`. */
  runs: "anywhere" | "docker";
  /** What the job page offers to talk to its service with: a chat box (OpenAI-compatible), or a terminal. */
  service?: "openai" | "shell";
}

/** The PyTorch image the GPU templates name: CUDA 12.4, what a GPU host pulls (about 3 GB). */
export const PYTORCH_IMAGE = "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime";
const python = (source: string, env: Record<string, string> = {}): JobSpec => ({
  version: 1,
  image: PYTORCH_IMAGE,
  command: ["python3", "-c", source],
  env,
});

const node = (source: string, env: Record<string, string> = {}): JobSpec => ({
  version: 1,
  image: "node:22-slim",
  command: ["node", "-e", source],
  env,
});

export const JOB_TEMPLATES: readonly JobTemplate[] = [
  {
    id: "hello-gpu",
    runs: "anywhere",
    name: "Hello, GPU",
    description: "Prints what it was given (job id, GPU count) and exits: the quickest check that a host runs jobs.",
    spec: node(
      "console.log(`hello from job ${process.env.HOURGLASS_JOB_ID} on ${process.env.HOURGLASS_GPUS} GPU(s)`);" +
        "console.log(`node ${process.version}, ${new Date().toISOString()}`);",
    ),
  },
  {
    id: "matmul-benchmark",
    runs: "anywhere",
    name: "Matrix-multiply benchmark",
    description: "Multiplies SIZE×SIZE matrices ROUNDS times and reports GFLOPS after each round.",
    spec: node(
      [
        "const n = Number(process.env.SIZE), rounds = Number(process.env.ROUNDS);",
        "const a = new Float64Array(n * n).map(() => Math.random()), b = new Float64Array(n * n).map(() => Math.random());",
        "for (let r = 1; r <= rounds; r++) {",
        "  const c = new Float64Array(n * n), t = performance.now();",
        "  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) { const x = a[i * n + k]; for (let j = 0; j < n; j++) c[i * n + j] += x * b[k * n + j]; }",
        "  const s = (performance.now() - t) / 1000;",
        "  console.log(`round ${r}/${rounds}: ${n}x${n} in ${s.toFixed(3)} s, ${(2 * n ** 3 / s / 1e9).toFixed(2)} GFLOPS`);",
        "}",
      ].join("\n"),
      { SIZE: "256", ROUNDS: "5" },
    ),
  },
  {
    id: "countdown",
    runs: "anywhere",
    name: "Countdown",
    description: "Logs once a second for SECONDS seconds: a long-running job to watch stream, or to stop early.",
    spec: node(
      "const total = Number(process.env.SECONDS); let left = total;" +
        "const tick = () => { console.log(`${left} s left`); if (left-- <= 0) process.exit(0); setTimeout(tick, 1000); }; tick();",
      { SECONDS: "120" },
    ),
  },
  {
    id: "inference-server",
    runs: "anywhere",
    service: "openai",
    name: "Inference server (OpenAI-compatible)",
    description:
      "Serves a small language model at /v1/chat/completions and /v1/completions on port 8000: chat with it from the job page, or point any OpenAI client at its URL with your access token.",
    spec: { ...node(INFERENCE_SERVER), ports: [SERVICE_PORT] },
  },
  {
    id: "web-shell",
    runs: "anywhere",
    service: "shell",
    name: "Shell",
    description:
      "A shell in the job over HTTP (POST /exec on port 8000): run commands from the job page's terminal or with curl and your access token. No SSH keys.",
    spec: { ...node(SHELL_SERVER), ports: [SERVICE_PORT] },
  },
  {
    id: "pytorch-check",
    runs: "docker",
    name: "PyTorch GPU check",
    description:
      "Lists the GPUs the job sees, then benchmarks a bf16 matrix multiply on each (checked against float64) and writes benchmark.json to its outputs. Needs a docker host (PyTorch with CUDA).",
    spec: python(PYTORCH_CHECK, { SIZE: "8192", ROUNDS: "10" }),
  },
  {
    id: "training",
    runs: "docker",
    name: "Training with checkpoints",
    description:
      "Trains a small network on the GPUs, writing a checkpoint every CHECKPOINT_EVERY steps to its outputs; upload a checkpoint as resume.pt to go on from it. Needs a docker host (PyTorch with CUDA).",
    spec: python(TRAINING, { STEPS: "300", CHECKPOINT_EVERY: "100" }),
  },
];

/** The template `spec` is, as launched (its hash), if it is one. */
export const templateOf = (spec: JobSpec): JobTemplate | undefined =>
  JOB_TEMPLATES.find((t) => specHash(t.spec) === specHash(spec));
