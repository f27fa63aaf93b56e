import Link from "next/link";
import { WALLET_SLOT_ID } from "./wallet/slot";

/** `wallet`: the page loads the wallet stack (~270 kB gzip), so it is fetched on click, never prefetched. */
const NAV = [
  { href: "/", label: "Market", wallet: false },
  { href: "/wallet", label: "Wallet", wallet: true },
];

/** The site header, server-rendered. Pages with the wallet stack fill the slot with the connect button;
 * elsewhere it links to the wallet page, which loads the stack. */
export function Header() {
  return (
    <header className="border-b border-stone-800">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
        <div className="flex items-center gap-6">
          <Link href="/" className="flex items-center gap-2 text-lg font-semibold tracking-tight text-amber-400">
            {/* eslint-disable-next-line @next/next/no-img-element -- a 24px local SVG needs no optimisation */}
            <img src="/icon.svg" alt="" width={24} height={24} />
            Hourglass
          </Link>
          <nav aria-label="Main" className="flex gap-4 text-sm text-stone-300">
            {NAV.map((item) => (
              <Link key={item.href} href={item.href} prefetch={!item.wallet} className="hover:text-stone-50">
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
