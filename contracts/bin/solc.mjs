#!/usr/bin/env node
// The solc that forge runs: the npm `solc` package (solc-js) behind the two
// command-line entry points forge uses, so contracts compile with no network.
// Forge hands imports it did not inline (library files outside the Foundry
// root, e.g. ../node_modules/...) to the compiler: the import callback reads
// them from disk relative to the base and include paths forge passes.
//
// solc-js is single-threaded and forge hands it the whole project in one call, so a cold via-ir build used one
// core. Requested outputs are split across worker processes (one per core, at most MAX_WORKERS; set
// HOURGLASS_SOLC_JOBS to override): every worker compiles the same full set of sources, so source ids and ASTs
// (and with them the bytecode) are the same as one process would give, but each generates code only for its
// share of the files. The answers are merged into the one answer forge expects.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const solc = require("solc");
const args = process.argv.slice(2);

if (args.includes("--version")) {
  // Forge parses the `Version:` line; the platform suffix is cosmetic.
  const version = solc.version().replace(/\.Emscripten\.clang$/, ".Linux.g++");
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${version}\n`);
  process.exit(0);
}

if (!args.includes("--standard-json")) {
  process.stderr.write("hourglass solc wrapper: only --version and --standard-json are supported\n");
  process.exit(2);
}

/** Values of a repeatable flag, in both `--flag v` and `--flag=v` forms. */
function flagValues(name) {
  const out = [];
  args.forEach((arg, i) => {
    if (arg === name && args[i + 1]) out.push(args[i + 1]);
    else if (arg.startsWith(`${name}=`)) out.push(arg.slice(name.length + 1));
  });
  return out.flatMap((v) => v.split(","));
}

const roots = [...flagValues("--base-path"), ...flagValues("--include-path"), process.cwd()];

/** Every file the import callback read, by source unit name: the workers get them inlined. */
const loaded = new Map();

function findImports(sourceUnitName) {
  for (const root of roots) {
    try {
      const contents = readFileSync(path.resolve(root, sourceUnitName), "utf8");
      loaded.set(sourceUnitName, contents);
      return { contents };
    } catch {
      // not under this root; try the next
    }
  }
  return { error: `File not found: ${sourceUnitName} (searched ${roots.join(", ")})` };
}

// Each solc-js worker holds its own copy of the compiler and the sources (about 1 GB at the peak of this project's
// build); past four the shares are too small to repay the analysis every worker repeats.
const MAX_WORKERS = 4;
const WORKER_ENV = "HOURGLASS_SOLC_WORKER";

const compile = (json) => solc.compile(json, { import: findImports });

/** Runs this script as a worker on `input` and returns its parsed answer. */
function runWorker(input) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], {
      env: { ...process.env, [WORKER_ENV]: "1" },
      stdio: ["pipe", "pipe", "inherit"],
    });
    const out = [];
    child.stdout.on("data", (chunk) => out.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`solc worker exited with ${code}`));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString("utf8")));
      } catch (error) {
        reject(error);
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

/** Splits the files (name → source length) into `n` shares of about equal length, longest first onto the lightest. */
function shares(sizes, n) {
  const bins = Array.from({ length: n }, () => ({ weight: 0, names: [] }));
  for (const [name, size] of [...sizes].sort((a, b) => b[1] - a[1])) {
    const bin = bins.reduce((min, b) => (b.weight < min.weight ? b : min));
    bin.names.push(name);
    bin.weight += size;
  }
  return bins.filter((b) => b.names.length > 0).map((b) => b.names);
}

async function compileShared(raw) {
  const requested = Number(process.env.HOURGLASS_SOLC_JOBS) || availableParallelism();
  const workers = Math.max(1, Math.min(MAX_WORKERS, requested));
  const input = JSON.parse(raw);
  const selection = input.settings?.outputSelection ?? {};
  const everyFile = selection["*"];
  // Only forge's usual request (the same outputs for every file) is split; anything else runs as one process.
  if (workers === 1 || !everyFile || Object.keys(selection).length !== 1) return compile(raw);

  // Pass one parses and analyses everything (no code generation): it finds the files the callback supplies and
  // reports source errors once, as one process would.
  const analysed = JSON.parse(
    compile(JSON.stringify({ ...input, settings: { ...input.settings, outputSelection: { "*": { "": ["ast"] } } } })),
  );
  if ((analysed.errors ?? []).some((e) => e.severity === "error")) return JSON.stringify(analysed);
  // The workers get the input as it came: inlining the callback's files would change the order solc parses in, and
  // with it the AST ids that via-ir's code depends on. An output selection may name a file the callback supplies.
  const sizes = new Map(Object.entries(input.sources).map(([name, s]) => [name, s.content?.length ?? 0]));
  for (const [name, content] of loaded) if (!sizes.has(name)) sizes.set(name, content.length);

  const answers = await Promise.all(
    shares(sizes, workers).map((names) =>
      runWorker({
        ...input,
        settings: { ...input.settings, outputSelection: Object.fromEntries(names.map((n) => [n, everyFile])) },
      }),
    ),
  );
  const merged = { sources: {}, contracts: {}, errors: [] };
  const seen = new Set();
  for (const answer of answers) {
    Object.assign(merged.contracts, answer.contracts);
    for (const [name, source] of Object.entries(answer.sources ?? {})) {
      if (!merged.sources[name] || source.ast) merged.sources[name] = source;
    }
    // Every worker analyses every file, so a warning about a source comes back once per worker.
    for (const error of answer.errors ?? []) {
      const key = JSON.stringify(error);
      if (seen.has(key)) continue;
      seen.add(key);
      merged.errors.push(error);
    }
  }
  return JSON.stringify(merged);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const raw = Buffer.concat(chunks).toString("utf8");
process.stdout.write(process.env[WORKER_ENV] ? compile(raw) : await compileShared(raw));
