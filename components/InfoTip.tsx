"use client";

import { useId } from "react";

/** An ⓘ that shows how a figure is computed, on hover or keyboard focus (and to screen readers, as the
 * button's description). */
export function InfoTip({ text }: { text: string }) {
  const id = useId();
  return (
    <span className="group relative ml-1 inline-block align-middle">
      <button
        type="button"
        aria-label="How this is computed"
        aria-describedby={id}
        className="h-4 w-4 rounded-full border border-stone-500 text-[10px] leading-none text-stone-300 focus-visible:outline-2 focus-visible:outline-amber-300"
      >
        i
      </button>
      <span
        id={id}
        role="tooltip"
        className="invisible absolute bottom-full left-1/2 z-10 mb-2 w-64 -translate-x-1/2 rounded-md border border-stone-700 bg-stone-900 p-2 text-xs normal-case tracking-normal text-stone-200 shadow-lg group-focus-within:visible group-hover:visible"
      >
        {text}
      </span>
    </span>
  );
}
