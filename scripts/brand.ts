/**
 * The site's icons and link preview, rendered into public/ from their SVG sources: public/icon.svg (the icon,
 * also served as the SVG favicon) and scripts/brand/social-card.svg. Chromium draws them, as a browser would;
 * favicon.ico holds 16, 32 and 48 px PNGs. Run after changing a source: `npm run brand`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "@playwright/test";
import { chromiumExecutable } from "./lib/chromium.ts";
import { ROOT } from "./lib/paths.ts";

const PUBLIC = path.join(ROOT, "public");
const ICON = path.join(PUBLIC, "icon.svg");
const CARD = path.join(ROOT, "scripts/brand/social-card.svg");
/** stone-900, the icon's own tile: an apple-touch icon is square and opaque (iOS rounds its corners). */
const TILE = "#1c1917";

/** `svg` drawn at size × size, on a transparent page or on `background`. */
async function renderIcon(browser: Browser, svg: string, size: number, background?: string): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
  await page.setContent(
    `<body style="margin:0;background:${background ?? "transparent"}"><img src="${src}" width="${size}" height="${size}" style="display:block"></body>`,
  );
  await page.locator("img").evaluate((img: HTMLImageElement) => img.decode());
  const png = await page.screenshot({ omitBackground: background === undefined });
  await page.close();
  return png;
}

/** The card at its own size, from its file, so it can draw the icon from public/icon.svg. */
async function renderCard(browser: Browser): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 630 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(CARD).href);
  const png = await page.screenshot();
  await page.close();
  return png;
}

/** An ICO file holding PNG images (the format every browser reads since Windows Vista's icons). */
function ico(pngs: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1: icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size % 256, 0); // width, 0 meaning 256
    entry.writeUInt8(size % 256, 1); // height
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3); // reserved
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...pngs.map(({ png }) => png)]);
}

const icon = readFileSync(ICON, "utf8");
const browser = await chromium.launch({
  executablePath: chromiumExecutable(),
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const favicon = await Promise.all(
    [16, 32, 48].map(async (size) => ({ size, png: await renderIcon(browser, icon, size) })),
  );
  const outputs: Record<string, Buffer> = {
    "favicon.ico": ico(favicon),
    "apple-touch-icon.png": await renderIcon(browser, icon, 180, TILE),
    "icon-192.png": await renderIcon(browser, icon, 192),
    "icon-512.png": await renderIcon(browser, icon, 512),
    "social-card.png": await renderCard(browser),
  };
  for (const [name, data] of Object.entries(outputs)) {
    writeFileSync(path.join(PUBLIC, name), data);
    console.log(`public/${name}: ${data.length} bytes`);
  }
} finally {
  await browser.close();
}
