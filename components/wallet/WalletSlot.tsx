"use client";

import { ConnectButton } from "@rainbow-me/rainbowkit";
import { useSyncExternalStore } from "react";
import { createPortal } from "react-dom";
import { WALLET_SLOT_ID } from "./slot";

const noSubscription = () => () => {};

/** Puts the connect button into the header's slot; it is there only once the page has hydrated. */
export function WalletSlot() {
  const slot = useSyncExternalStore(
    noSubscription,
    () => document.getElementById(WALLET_SLOT_ID),
    () => null,
  );
  if (!slot) return null;
  // RainbowKit scopes its styles and theme to [data-rk], which its provider puts around the page's tree; the
  // header is outside that tree, so the portal carries the attribute itself.
  return createPortal(
    <div data-wallet data-rk="">
      <ConnectButton
        chainStatus="icon"
        showBalance={false}
        accountStatus={{ smallScreen: "avatar", largeScreen: "full" }}
      />
    </div>,
    slot,
  );
}
