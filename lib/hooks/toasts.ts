/** Transaction toasts: a tiny store the write path pushes to and the Toaster renders. */
import { useSyncExternalStore } from "react";
import type { Hash } from "viem";

export type ToastStatus = "signing" | "pending" | "confirmed" | "failed";

export interface Toast {
  id: number;
  title: string;
  status: ToastStatus;
  hash?: Hash;
  blockNumber?: bigint;
  /** For "failed": the sentence from lib/errors. */
  message?: string;
}

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

/** Confirmed toasts leave by themselves; failures stay until dismissed, so nobody misses why. */
const CONFIRMED_TTL_MS = 8_000;

export const toastStore = {
  push(toast: Omit<Toast, "id">): number {
    const id = nextId++;
    toasts = [...toasts, { ...toast, id }];
    emit();
    return id;
  },
  update(id: number, patch: Partial<Omit<Toast, "id">>) {
    toasts = toasts.map((t) => (t.id === id ? { ...t, ...patch } : t));
    emit();
    if (patch.status === "confirmed") setTimeout(() => toastStore.dismiss(id), CONFIRMED_TTL_MS);
  },
  dismiss(id: number) {
    toasts = toasts.filter((t) => t.id !== id);
    emit();
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  snapshot: () => toasts,
};

const EMPTY: readonly Toast[] = [];

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(toastStore.subscribe, toastStore.snapshot, () => EMPTY);
}
