/**
 * A container image holding this machine's own `node` and the libraries it links, for the docker runtime's
 * tests: no registry is reachable from CI, and an image of a few files starts a node job in well under a
 * second. Built once per node binary (the tag carries its hash) and reused while the engine keeps it.
 *
 *   npx tsx scripts/lib/node-image.ts     prints the tag, building the image first when the engine lacks it
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Bumped when the recipe below changes, so an image built by an older recipe is not reused. */
const RECIPE = 1;
/** The repository part of the tag; docker reads it as docker.io/hourglass-test/node, which the runtime's
 * default registry allow-list takes, and finds it locally, so nothing is ever pulled. */
export const NODE_IMAGE_REPOSITORY = "hourglass-test/node";

function docker(args: string[], input?: Buffer) {
  const result = spawnSync("docker", args, { input, encoding: "buffer", maxBuffer: 1 << 20, timeout: 300_000 });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout.toString("utf8").trim(),
    stderr: result.stderr.toString("utf8").trim(),
  };
}

/** The shared libraries `ldd` lists for `binary` (the dynamic loader included), as absolute paths. */
export function linkedLibraries(binary: string): string[] {
  const result = spawnSync("ldd", [binary], { encoding: "utf8", timeout: 10_000 });
  if (result.status !== 0) throw new Error(`ldd ${binary}: ${result.stderr || result.error?.message}`);
  // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)", "/lib64/ld-linux-x86-64.so.2 (0x…)"; the vdso has no file.
  return [...result.stdout.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/g)].map((m) => m[1]!);
}

/** A variant of the image, for tests that play a hostile image: the same files, plus `directories` (mode 1777,
 * so the job's user, nobody, can write there) and the Dockerfile instructions in `changes` (`VOLUME /data`, `ENV NAME=value`). */
export interface NodeImageVariant {
  /** Part of the repository name: hourglass-test/node-<name>. */
  name: string;
  directories?: string[];
  changes?: string[];
}

/** The image's tag, building and loading it (`docker import`) when the engine does not have it yet. */
export function nodeImage(variant?: NodeImageVariant): string {
  const node = process.execPath;
  const digest = createHash("sha256").update(readFileSync(node));
  if (variant) digest.update(JSON.stringify(variant));
  const hash = digest.digest("hex").slice(0, 16);
  const tag = `${NODE_IMAGE_REPOSITORY}${variant ? `-${variant.name}` : ""}:${hash}-r${RECIPE}`;
  if (imageExists(tag)) return tag;

  return buildImage(
    tag,
    "node",
    (place, root) => {
      place(node, "/usr/local/bin/node");
      for (const library of linkedLibraries(node)) place(library, library);
      for (const directory of variant?.directories ?? []) {
        mkdirSync(path.join(root, directory), { recursive: true });
        chmodSync(path.join(root, directory), 0o1777); // mkdir's mode passes through the umask
      }
    },
    variant?.changes,
  );
}

/** Whether the engine has `tag` already. */
export const imageExists = (tag: string) => docker(["image", "inspect", "--format", "{{.Id}}", tag]).status === 0;

/**
 * Builds a root filesystem in a scratch folder (`fill` places this machine's files in it: `place(from, to)`
 * copies one file, symlinks followed), adds /etc/passwd and /etc/group with nobody (the user jobs run as) and a
 * /tmp, and loads it into the engine as `tag` (`docker import`) with `changes` (Dockerfile instructions).
 */
export function buildImage(
  tag: string,
  label: string,
  fill: (place: (from: string, to: string) => void, root: string) => void,
  changes: string[] = [],
): string {
  const root = mkdtempSync(path.join(tmpdir(), `hourglass-${label}-image-`));
  try {
    const place = (from: string, to: string) => {
      mkdirSync(path.join(root, path.dirname(to)), { recursive: true });
      copyFileSync(from, path.join(root, to)); // follows symlinks: the file itself lands at the path ldd named
    };
    fill(place, root);
    mkdirSync(path.join(root, "etc"), { recursive: true });
    mkdirSync(path.join(root, "tmp"), { mode: 0o1777 });
    // Names for the users a job may run as (the runtime runs jobs as nobody), so os.userInfo() answers.
    writeFileSync(
      path.join(root, "etc/passwd"),
      "root:x:0:0:root:/root:/bin/false\nnobody:x:65534:65534:nobody:/tmp:/bin/false\n",
    );
    writeFileSync(path.join(root, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    const all = ["ENV PATH=/usr/local/bin:/usr/bin:/bin", `LABEL hourglass.test-image=${label}`, ...changes];
    // Streamed from tar to the engine: a root filesystem can be larger than a buffer should hold.
    const loaded = spawnSync(
      "bash",
      [
        "-o",
        "pipefail",
        "-c",
        'root=$1 tag=$2; shift 2; tar --numeric-owner --owner=0 --group=0 -C "$root" -cf - . | docker import "$@" - "$tag"',
        "build-image",
        root,
        tag,
        ...all.flatMap((change) => ["--change", change]),
      ],
      { encoding: "utf8", timeout: 600_000 },
    );
    if (loaded.status !== 0) throw new Error(`docker import ${tag}: ${loaded.stderr || loaded.error?.message}`);
    return tag;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const started = Date.now();
  const tag = nodeImage();
  console.log(`${tag} (${Date.now() - started} ms)`);
}
