import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // lib/server's modules are marked server-only (the marker throws outside a server bundle); tests are
      // server code, so they get the marker's server build, as Next's route handlers do.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "host/**/*.test.ts"],
    environment: "node",
    // Three test files at once on any machine: the chain tests spend most of their time waiting on a block a
    // second, so on CI's two cores three workers overlap those waits (the whole suite: 2 min 55 s, against about
    // 7 min with vitest's default of cores − 1, measured on this project's two-core machine).
    maxWorkers: 3,
  },
});
