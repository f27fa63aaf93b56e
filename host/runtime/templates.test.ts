import { describe, expect, it } from "vitest";
import { jobSpecSchema } from "../../lib/jobs/spec";
import { JOB_TEMPLATES } from "../../lib/jobs/templates";
import { ProcessRuntime } from "./process";

describe("job templates", () => {
  it("are valid specs that run for real under the process runtime", async () => {
    for (const template of JOB_TEMPLATES) {
      expect(jobSpecSchema.safeParse(template.spec).success, template.id).toBe(true);
      const spec = template.id === "countdown" ? { ...template.spec, env: { SECONDS: "1" } } : template.spec;
      let output = "";
      const result = await new ProcessRuntime().run({
        jobId: 1n,
        spec,
        gpus: 1,
        timeLimitMs: 30_000,
        outputCapBytes: 1 << 20,
        onLog: (_, text) => (output += text),
      }).done;
      expect(result, `${template.id}: ${output}`).toMatchObject({ reason: "exited", exitCode: 0 });
      expect(output.length).toBeGreaterThan(0);
    }
  }, 60_000);
});
