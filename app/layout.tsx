import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Header } from "@/components/Header";
import "./globals.css";

const title = "Hourglass: the open exchange for GPU compute";
const description = "Buy, sell and pool GPU compute in one standard unit: 1 SCU = one A100 80GB hour.";
const card = { url: "/social-card.png", width: 1200, height: 630, alt: "Hourglass: the open exchange for GPU compute" };

/** The icons, manifest and link preview in public/ (rendered from their SVG sources by `npm run brand`). Link
 * previews need absolute URLs: HOURGLASS_SITE_URL is the site's public origin, read when a page is built or rendered. */
export const metadata: Metadata = {
  metadataBase: new URL(process.env.HOURGLASS_SITE_URL ?? "http://localhost:3000"),
  title,
  description,
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "16x16 32x32 48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
  manifest: "/manifest.webmanifest",
  openGraph: { type: "website", siteName: "Hourglass", title, description, images: [card] },
  twitter: { card: "summary_large_image", title, description, images: [card] },
};

/** stone-950, the page's background (app/globals.css). */
export const viewport: Viewport = { themeColor: "#0c0a09" };

/** Server-rendered shell. The wallet stack (wagmi, RainbowKit) loads only in the app's wallet pages, under
 * app/(app)/layout.tsx: the market pages are readable without it, and without its JavaScript. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Header />
        <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
      </body>
    </html>
  );
}
