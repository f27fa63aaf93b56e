#!/usr/bin/env node
// The solc that forge runs: the npm `solc` package (solc-js) behind the two
// command-line entry points forge uses, so contracts compile with no network.
// Forge hands imports it did not inline (library files outside the Foundry
// root, e.g. ../node_modules/...) to the compiler: the import callback reads
// them from disk relative to the base and include paths forge passes.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

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

function findImports(sourceUnitName) {
  for (const root of roots) {
    try {
      return { contents: readFileSync(path.resolve(root, sourceUnitName), "utf8") };
    } catch {
      // not under this root; try the next
    }
  }
  return { error: `File not found: ${sourceUnitName} (searched ${roots.join(", ")})` };
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = Buffer.concat(chunks).toString("utf8");
process.stdout.write(solc.compile(input, { import: findImports }));
