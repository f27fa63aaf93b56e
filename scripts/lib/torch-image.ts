/**
 * A container image with this machine's Python and Debian's CPU build of PyTorch (python3-torch, with numpy),
 * for testing the GPU templates' CPU paths in real containers: no registry is reachable, so the images a GPU
 * host pulls (pytorch/pytorch:…-cuda…) cannot be used here. Built from the files themselves and the libraries
 * `ldd` lists for every binary and extension among them; reused while the engine keeps it.
 *
 *   npx tsx scripts/lib/torch-image.ts     prints the tag, building the image first when the engine lacks it
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { buildImage, imageExists, linkedLibraries } from "./node-image";

const RECIPE = 1;
export const TORCH_IMAGE_REPOSITORY = "hourglass-test/torch";
/** The interpreter .ci/run installs PyTorch for (pyenv's python3, earlier on PATH, has none). */
export const SYSTEM_PYTHON = "/usr/bin/python3";
const DIST = "/usr/lib/python3/dist-packages";
/** What `import torch` and the templates load from dist-packages (found with sys.modules). */
const PACKAGES = ["torch", "numpy", "astunparse", "six.py", "typing_extensions.py"];
/** Parts of the standard library no template needs. */
const SKIPPED = new Set(["test", "idlelib", "tkinter", "lib2to3", "ensurepip", "turtledemo", "include", "share"]);

/** Whether this machine has the Python and PyTorch the image is built from. */
export function torchAvailable(): boolean {
  return spawnSync(SYSTEM_PYTHON, ["-c", "import torch, numpy"], { timeout: 60_000 }).status === 0;
}

function filesUnder(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const directory =
      entry.isDirectory() || (entry.isSymbolicLink() && existsSync(full) && statSync(full).isDirectory());
    if (directory) {
      if (!SKIPPED.has(entry.name)) filesUnder(full, into);
    } else if (entry.isFile() || entry.isSymbolicLink()) into.push(full);
  }
  return into;
}

/** The image's tag, building and loading it when the engine does not have it yet. */
export function torchImage(): string {
  const python = realpathSync(SYSTEM_PYTHON);
  const version = (/(\d+\.\d+)$/.exec(python) ?? [])[1];
  if (!version) throw new Error(`${SYSTEM_PYTHON} is ${python}: not a versioned interpreter`);
  const digest = createHash("sha256")
    .update(readFileSync(python))
    .update(readFileSync(path.join(DIST, "torch/version.py")))
    .update(String(RECIPE));
  const tag = `${TORCH_IMAGE_REPOSITORY}:${digest.digest("hex").slice(0, 16)}`;
  if (imageExists(tag)) return tag;
  return buildImage(
    tag,
    "torch",
    (place, root) => {
      const stdlib = `/usr/lib/python${version}`;
      const files = [
        ...filesUnder(stdlib),
        ...PACKAGES.flatMap((name) => {
          const full = path.join(DIST, name);
          return statSync(full).isDirectory() ? filesUnder(full) : [full];
        }),
      ];
      place(python, "/usr/bin/python3");
      const libraries = new Set(linkedLibraries(python));
      for (const file of files) {
        if (!existsSync(file)) continue; // a dangling link
        place(file, file);
        if (/\.so(\.|$)/.test(file)) for (const library of linkedLibraries(file)) libraries.add(library);
      }
      for (const library of libraries) place(library, library);
      mkdirSync(path.join(root, "usr/local/bin"), { recursive: true });
    },
    ["ENV PYTHONDONTWRITEBYTECODE=1", "ENV OMP_NUM_THREADS=2"],
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const started = Date.now();
  const tag = torchImage();
  console.log(`${tag} (${Date.now() - started} ms)`);
}
