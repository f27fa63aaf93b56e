"use client";

import { ConnectButton } from "@rainbow-me/rainbowkit";
import { useSyncExternalStore } from "react";
import { createPortal } from "react-dom";
import { WALLET_SLOT_ID } from "./slot";

const noSubscription = () => () => {};

/** Puts the connect button into the header's slot; it is there only once the page has hydrated. */
export function WalletSlot() {
  const slot = useSyncExternalStore(noSubscription, () => document.getElementById(WALLET_SLOT_ID), () => null);
  if (!slot) return null;
  return createPortal(
    <div data-wallet>
      <ConnectButton chainStatus="icon" showBalance={false} />
    </div>,
    slot,
  );
}
