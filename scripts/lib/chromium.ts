/** Debian's Chromium (Playwright cannot download its own browsers here), found on PATH or via CHROMIUM_PATH. */
import { accessSync, constants } from "node:fs";
import path from "node:path";

const NAMES = ["chromium", "chromium-browser", "google-chrome"];

export function chromiumExecutable(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    for (const name of NAMES) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  throw new Error("No Chromium found on PATH. Install it (`apt-get install -y chromium`) or set CHROMIUM_PATH.");
}
