import { expect, test } from "./fixtures";

test.use({ viewport: { width: 390, height: 844 } });

for (const path of ["/", "/compute", "/jobs", "/swap", "/pool", "/provider", "/wallet"]) {
  test(`${path} fits a phone-width screen`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // Nothing wider than the screen: wide tables scroll inside their own box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
}
