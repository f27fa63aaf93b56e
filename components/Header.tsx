import Link from "next/link";
import { WALLET_SLOT_ID } from "./wallet/slot";

/**
 * `prefetch: false`: the page's code is fetched on click. Pages with the wallet stack (~270 kB gzip) are never
 * prefetched; nor is the compute page, so the market page's first load stays its own.
 */
const NAV = [
  { href: "/", label: "Market", prefetch: true },
  { href: "/compute", label: "Rent GPUs", prefetch: false },
  { href: "/jobs", label: "My jobs", prefetch: false },
  { href: "/swap", label: "Swap", prefetch: false },
  { href: "/pool", label: "Pool", prefetch: false },
  { href: "/provider", label: "Provide", prefetch: false },
  { href: "/wallet", label: "Wallet", prefetch: false },
];

/** The site header, server-rendered. Pages with the wallet stack fill the slot with the connect button;
 * elsewhere it links to the wallet page, which loads the stack. */
export function Header() {
  return (
    <header className="border-b border-stone-800">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
        <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
          <Link href="/" className="flex items-center gap-2 text-lg font-semibold tracking-tight text-amber-400">
            {/* eslint-disable-next-line @next/next/no-img-element -- a 24px local SVG needs no optimisation */}
            <img src="/icon.svg" alt="" width={24} height={24} />
            Hourglass
          </Link>
          <nav aria-label="Main" className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-stone-300">
            {NAV.map((item) => (
              <Link key={item.href} href={item.href} prefetch={item.prefetch} className="hover:text-stone-50">
                {item.label}
              </Link>
            ))}
          </nav>
        </div>
        <div id={WALLET_SLOT_ID} className="flex min-h-10 items-center [&:has(>[data-wallet])>a]:hidden">
          <Link href="/wallet" prefetch={false} className="btn-primary text-sm">
            Connect wallet
          </Link>
        </div>
      </div>
    </header>
  );
}
