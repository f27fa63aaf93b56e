/**
 * Image references read the way docker reads them (github.com/distribution/reference: the first path part is
 * a registry only when it has a dot or a port or is "localhost"), so the registry the allow-list judges is the
 * one docker would contact. The runtime then hands docker the fully qualified reference, whose registry no
 * reading can mistake.
 */

export interface ImageReference {
  /** The registry docker pulls from: "docker.io" for Docker Hub. */
  registry: string;
  /** registry/path[:tag][@digest], e.g. docker.io/library/node:22-slim. */
  qualified: string;
}

const DOMAIN_PART = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const PORT = /^\d{1,5}$/;
const PATH_PART = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,128}$/;
/** Docker's own bound on a repository name. */
const MAX_NAME = 255;

/** Reads `image`; throws a sentence when docker would not take it as a reference. */
export function parseImage(image: string): ImageReference {
  const refused = (why: string) =>
    new Error(`The image "${image.slice(0, 300)}" is not a valid image reference: ${why}.`);
  const at = image.indexOf("@");
  const digest = at === -1 ? undefined : image.slice(at + 1);
  if (digest !== undefined && !DIGEST.test(digest)) throw refused("its digest is malformed");
  const withTag = at === -1 ? image : image.slice(0, at);
  // A tag follows the last colon after the last slash; a colon before it is a registry's port.
  const colon = withTag.lastIndexOf(":");
  const tag = colon > withTag.lastIndexOf("/") ? withTag.slice(colon + 1) : undefined;
  const name = tag === undefined ? withTag : withTag.slice(0, colon);
  if (tag !== undefined && !TAG.test(tag)) throw refused("its tag is malformed");
  if (name.length === 0 || name.length > MAX_NAME) throw refused(`its name must have 1 to ${MAX_NAME} characters`);

  const slash = name.indexOf("/");
  const first = slash === -1 ? "" : name.slice(0, slash);
  const hasRegistry = slash !== -1 && (/[.:]/.test(first) || first === "localhost" || first.toLowerCase() !== first);
  let registry = "docker.io";
  let path = name;
  if (hasRegistry) {
    const [host, port, ...extra] = first.split(":");
    if (
      extra.length > 0 ||
      (port !== undefined && !PORT.test(port)) ||
      !host!.split(".").every((p) => DOMAIN_PART.test(p))
    ) {
      throw refused("its registry is malformed");
    }
    registry = first.toLowerCase();
    path = name.slice(slash + 1);
  }
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = "docker.io";
  if (!path.split("/").every((p) => PATH_PART.test(p))) throw refused("its repository path is malformed");
  // Docker Hub's official images live under library/.
  if (registry === "docker.io" && !path.includes("/")) path = `library/${path}`;
  return {
    registry,
    qualified: `${registry}/${path}${tag === undefined ? "" : `:${tag}`}${digest === undefined ? "" : `@${digest}`}`,
  };
}

/** `image` read as docker reads it, when its registry is on the allow-list; throws a sentence otherwise. */
export function allowedImage(image: string, allowedRegistries: readonly string[]): ImageReference {
  const reference = parseImage(image);
  if (!allowedRegistries.includes(reference.registry)) {
    throw new Error(
      `The image "${image}" comes from the registry ${reference.registry}, which this host does not pull from: it takes images from ${allowedRegistries.join(", ")}.`,
    );
  }
  return reference;
}

/** What the docker runtime needs of a pulled image, read from `docker image inspect`. */
export interface InspectedImage {
  /** The image's ID (sha256:…): the container is created from it, so no tag moved after this was read changes
   * what runs. */
  id: string;
  /** Paths the image declares as volumes (`VOLUME`), cleaned, each once. Docker would give each an anonymous
   * volume on the host's disk, outside the read-only root and every limit: the runtime mounts a tmpfs over each. */
  volumes: string[];
  /** Names the image's own `ENV` sets. */
  envNames: string[];
}

/** A volume path the runtime can name in `--mount`'s CSV value: absolute, no comma, quote, colon, space or
 * `=` (which could add options or change the mount's type), no `.` or `..` part. */
const VOLUME_PATH = /^(?:\/[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*)+$/;
/** More than any real image declares: each is a mount, and a refusal is clearer than docker's own limits. */
export const MAX_IMAGE_VOLUMES = 32;

/** `docker image inspect --format '{{json .}}'` read; throws a sentence for an image the runtime will not run. */
export function inspectedImage(json: string, image: string): InspectedImage {
  const read = JSON.parse(json) as { Id?: unknown; Config?: { Env?: unknown; Volumes?: unknown } | null };
  if (typeof read.Id !== "string" || !/^sha256:[0-9a-f]{64}$/.test(read.Id))
    throw new Error(`docker reported no image ID for "${image}".`);
  const config = read.Config ?? {};
  const env = Array.isArray(config.Env) ? config.Env.filter((e): e is string => typeof e === "string") : [];
  const declared = config.Volumes && typeof config.Volumes === "object" ? Object.keys(config.Volumes) : [];
  const volumes = new Set<string>();
  for (const declaredPath of declared) {
    const cleaned = declaredPath.replace(/\/+$/, "").replace(/\/{2,}/g, "/");
    if (!VOLUME_PATH.test(cleaned) || cleaned.split("/").some((part) => part === "." || part === "..")) {
      throw new Error(
        `The image "${image}" declares a volume at ${JSON.stringify(declaredPath.slice(0, 200))}, a path this host does not mount over.`,
      );
    }
    volumes.add(cleaned);
  }
  if (volumes.size > MAX_IMAGE_VOLUMES)
    throw new Error(
      `The image "${image}" declares ${volumes.size} volumes; this host mounts at most ${MAX_IMAGE_VOLUMES}.`,
    );
  return { id: read.Id, volumes: [...volumes], envNames: [...new Set(env.map((entry) => entry.split("=", 1)[0]!))] };
}
