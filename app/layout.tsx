import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Header } from "@/components/Header";
import "./globals.css";

export const metadata: Metadata = {
  title: "Hourglass: the open exchange for GPU compute",
  description: "Buy, sell and pool GPU compute in one standard unit: 1 SCU = one A100 80GB hour.",
};

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
