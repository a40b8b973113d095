import type { ReactNode } from "react";

/**
 * A box that scrolls sideways on a narrow screen (a wide table on a phone) instead of widening the
 * page. It is focusable and named, so keyboard users can scroll it too (axe: scrollable-region-focusable).
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
