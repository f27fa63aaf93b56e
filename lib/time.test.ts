import { expect, it } from "vitest";
import { formatDuration } from "./time";

it("formatDuration picks the unit a person would say", () => {
  expect(formatDuration(1)).toBe("1 second");
  expect(formatDuration(45)).toBe("45 seconds");
  expect(formatDuration(600)).toBe("10 minutes");
  expect(formatDuration(3600)).toBe("1 hour");
  expect(formatDuration(7 * 3600)).toBe("7 hours");
  expect(formatDuration(3 * 86400)).toBe("3 days");
  expect(formatDuration(-5)).toBe("0 seconds");
});
