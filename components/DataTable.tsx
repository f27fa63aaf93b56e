import type { ReactNode } from "react";

export interface Column {
  label: string;
  align?: "right";
  /** Read out by screen readers, not shown (a column of buttons). */
  hidden?: boolean;
}

/** A table of figures: captioned for screen readers, and scrolling sideways in its own box on a narrow
 * screen (`relative`, so the caption's visually hidden box scrolls with it instead of widening the page). */
export function DataTable({ caption, columns, children }: { caption: string; columns: Column[]; children: ReactNode }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs uppercase tracking-wide text-stone-400">
          <tr>
            {columns.map(({ label, align, hidden }) => (
              <th
                key={label}
                scope="col"
                className={`py-2 pr-4 font-medium last:pr-0 ${align === "right" ? "text-right" : ""}`}
              >
                {hidden ? <span className="sr-only">{label}</span> : label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-800">{children}</tbody>
      </table>
    </div>
  );
}
