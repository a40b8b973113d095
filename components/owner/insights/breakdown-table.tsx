import { ScrollRegion } from "@/components/ui/scroll-region.tsx";
import type { Counts } from "@/server/owners/insights/report.ts";

import { percent } from "./format.ts";

/** Started, approved, conversion and sends per country, carrier, channel or surface, or per hour or day. */
export function BreakdownTable({
  label,
  keyHeader,
  rows,
  name = (key) => key,
  testId = `by-${keyHeader.toLowerCase()}`,
}: {
  label: string;
  keyHeader: string;
  rows: (Counts & { key: string })[];
  name?: (key: string) => string;
  testId?: string;
}) {
  if (rows.length === 0) return <p className="muted">Nothing in this range.</p>;
  return (
    <ScrollRegion label={label}>
      <table data-testid={testId}>
        <caption className="sr-only">{label}</caption>
        <thead>
          <tr>
            <th scope="col">{keyHeader}</th>
            <th scope="col">Started</th>
            <th scope="col">Approved</th>
            <th scope="col">Conversion</th>
            <th scope="col">Sends</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-key={row.key}>
              <th scope="row">{name(row.key)}</th>
              <td data-cell="started">{row.started}</td>
              <td data-cell="approved">{row.approved}</td>
              <td data-cell="conversion">{percent(row.conversion)}</td>
              <td data-cell="sends">{row.sends}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
