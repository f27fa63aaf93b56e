import { expect, it } from "vitest";
import { chartGeometry, chartTime } from "./chart";

it("draws the price as steps across the box, highest at the top, with labels at both ends and the middle", () => {
  const g = chartGeometry([
    { t: 1000, price: 1.4 },
    { t: 1500, price: 1.6 },
    { t: 2000, price: 1.5 },
  ]);
  // Range 1.4–1.6 with 10% headroom: 1.38–1.62, so 1.4 sits at 91.67% down and 1.6 at 8.33%.
  expect(g.line).toBe("M0 91.67H50V8.33H100V50H100");
  expect(g.area).toBe(`${g.line}V100H0Z`);
  expect(g.yTicks.map((t) => t.label)).toEqual(["$1.60", "$1.50", "$1.40"]);
  expect(g.xTicks.map((t) => t.left)).toEqual([0, 50, 100]);
});

it("centres a flat series and survives a single point", () => {
  const g = chartGeometry([{ t: 1000, price: 1.4 }]);
  expect(g.line).toBe("M0 50H100");
  expect(g.yTicks[1]!.label).toBe("$1.40");
});

it("writes times in UTC: hours within two days, dates beyond", () => {
  expect(chartTime(1_795_000_000, 3600)).toBe("11:06");
  expect(chartTime(1_795_000_000, 7 * 86_400)).toBe("18 Nov");
});
