"use client";

import { ConnectButton } from "@rainbow-me/rainbowkit";
import Link from "next/link";

export function Header() {
  return (
    <header className="border-b border-stone-800">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 text-lg font-semibold tracking-tight text-amber-400">
          {/* eslint-disable-next-line @next/next/no-img-element -- a 24px local SVG needs no optimisation */}
          <img src="/icon.svg" alt="" width={24} height={24} />
          Hourglass
        </Link>
        <ConnectButton chainStatus="icon" showBalance={false} />
      </div>
    </header>
  );
}
