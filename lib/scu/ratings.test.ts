import { describe, expect, it } from "vitest";
import { WAD } from "../math";
import { GPU_CLASSES, gpuClass, rating, ratingWad, REFERENCE_CLASS } from "./ratings";

describe("the SCU standard", () => {
  it("rates the reference at exactly one SCU per hour", () => {
    expect(REFERENCE_CLASS.id).toBe("a100-80gb-sxm");
    expect(ratingWad(REFERENCE_CLASS)).toBe(WAD);
  });

  it("gives the ratings PROTOCOL.md quotes: H100 SXM ≈ 2.28, RTX 4090 ≈ 0.51", () => {
    expect(rating(gpuClass("h100-sxm"))).toBeCloseTo(2.28, 2);
    expect(rating(gpuClass("rtx-4090"))).toBeCloseTo(0.51, 2);
  });

  it("is the geometric mean of the compute and bandwidth ratios", () => {
    for (const gpu of GPU_CLASSES) {
      const expected = Math.sqrt(
        (gpu.bf16DenseTflops / REFERENCE_CLASS.bf16DenseTflops) *
          (gpu.memoryBandwidthTBps / REFERENCE_CLASS.memoryBandwidthTBps),
      );
      expect(rating(gpu), gpu.id).toBeCloseTo(expected, 9);
    }
  });

  it("orders the classes as their specs do", () => {
    const r = (id: string) => ratingWad(gpuClass(id));
    expect(r("b200")).toBeGreaterThan(r("h200-sxm"));
    expect(r("h200-sxm")).toBeGreaterThan(r("h100-sxm"));
    expect(r("rtx-5090")).toBeGreaterThan(r("rtx-4090"));
    expect(r("a10")).toBeGreaterThan(r("t4"));
  });

  it("lists every class the standard requires, once, with positive specs and a source", () => {
    const ids = GPU_CLASSES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ["a100-80gb-sxm", "h100-sxm", "h200-sxm", "b200", "l40s", "a10", "t4", "rtx-4090", "rtx-5090"]) {
      expect(ids).toContain(id);
    }
    for (const gpu of GPU_CLASSES) {
      expect(gpu.bf16DenseTflops, gpu.id).toBeGreaterThan(0);
      expect(gpu.memoryBandwidthTBps, gpu.id).toBeGreaterThan(0);
      expect(gpu.source.length, gpu.id).toBeGreaterThan(10);
    }
  });

  it("refuses an unknown class by name", () => {
    expect(() => gpuClass("v100")).toThrow(/Unknown GPU class "v100"/);
  });
});
