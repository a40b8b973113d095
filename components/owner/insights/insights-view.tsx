"use client";

import Link from "next/link";
import { useId, useState } from "react";

import { ScrollRegion } from "@/components/ui/scroll-region.tsx";
import type { InsightRange, InsightsReport } from "@/server/owners/insights/report.ts";

import { BreakdownTable } from "./breakdown-table.tsx";
import { Bars, LineOverTime } from "./charts.tsx";
import { CostsEditor } from "./costs-editor.tsx";
import { useOwnerPolled } from "../use-polled.ts";
import { REFUSAL_NAMES, countryName, money, percent, seconds, slotLabel } from "./format.ts";

const RANGES: { value: InsightRange; label: string }[] = [
  { value: "24h", label: "24 hours" },
  { value: "7d", label: "7 days" },
  { value: "30d", label: "30 days" },
];

/** The rollup recounts recent hours every minute by default (INSIGHTS_ROLLUP_INTERVAL_MS): asking more often shows nothing new. */
const POLL_MS = 30_000;

function readReport(value: unknown): InsightsReport | null {
  const v = value as Partial<InsightsReport> | null;
  return typeof v === "object" && v !== null && Array.isArray(v.series) && Array.isArray(v.byCountry) && typeof v.totals === "object" ? (v as InsightsReport) : null;
}

/** /owner/insights: a range switch, then every figure as a chart and a table (GET /api/owner/insights). */
export function InsightsView() {
  const [range, setRange] = useState<InsightRange>("7d");
  const { view, reload } = useOwnerPolled(`/api/owner/insights?range=${range}`, readReport, POLL_MS);
  const rangeName = useId();

  if (view.state === "signed-out") {
    return (
      <p>
        <Link href="/login?callbackUrl=/owner/insights">Sign in</Link> with an owner&apos;s number to use this page.
      </p>
    );
  }
  if (view.state === "forbidden") return <p>Only owners (numbers in OWNER_PHONES) may use this page.</p>;

  return (
    <>
      <fieldset className="insights-range">
        <legend>Range</legend>
        {RANGES.map((r) => (
          <label key={r.value}>
            <input type="radio" name={rangeName} value={r.value} checked={range === r.value} onChange={() => setRange(r.value)} /> {r.label}
          </label>
        ))}
      </fieldset>
      {view.state === "loading" ? <p className="muted">Loading…</p> : null}
      {view.state === "error" ? <p className="muted">Could not load the insights; retrying…</p> : null}
      {view.state === "ready" ? <Report report={view.data} onPricesChanged={() => void reload()} /> : null}
    </>
  );
}

function Section({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} data-testid={testId} className="insights-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Report({ report, onPricesChanged }: { report: InsightsReport; onPricesChanged: () => void }) {
  const { totals, granularity } = report;
  const slot = granularity === "hour" ? "Hour (UTC)" : "Day (UTC)";
  const label = (at: string) => slotLabel(at, granularity);
  const carriers = report.byCarrier.map((c) => c.key).filter((c) => c !== "none" && c !== "unknown");
  return (
    <>
      <p className="muted" data-testid="computed-at">
        {report.computedAt ? (
          <>
            Counted up to <time dateTime={report.computedAt}>{new Date(report.computedAt).toLocaleString()}</time>; verifications count in the hour they started
            (test numbers left out).
          </>
        ) : (
          "Nothing counted yet: the rollup has not run."
        )}
      </p>
      <dl className="insights-totals" data-testid="totals">
        <div>
          <dt>Started</dt>
          <dd data-cell="started">{totals.started}</dd>
        </div>
        <div>
          <dt>Approved</dt>
          <dd data-cell="approved">{totals.approved}</dd>
        </div>
        <div>
          <dt>Conversion</dt>
          <dd data-cell="conversion">{percent(totals.conversion)}</dd>
        </div>
        <div>
          <dt>Sends</dt>
          <dd data-cell="sends">{totals.sends}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd data-cell="cost">{money(report.cost.totals)}</dd>
        </div>
        <div>
          <dt>Median to approval</dt>
          <dd>{report.latency.approvals ? `≤ ${seconds(report.latency.medianAtMostSeconds)}` : "—"}</dd>
        </div>
        <div>
          <dt>p95 to approval</dt>
          <dd>{report.latency.approvals ? `≤ ${seconds(report.latency.p95AtMostSeconds)}` : "—"}</dd>
        </div>
      </dl>

      <Section title="Conversion over time" testId="conversion">
        <LineOverTime
          label={`Conversion rate (approved ÷ started) per ${granularity}, in percent`}
          unit="%"
          points={report.series.map((s) => ({ label: label(s.at), value: s.conversion === null ? null : Math.round(s.conversion * 1000) / 10 }))}
        />
        <BreakdownTable
          label={`Started, approved and conversion per ${granularity}`}
          keyHeader={slot}
          testId="series"
          rows={report.series.filter((s) => s.started > 0 || s.sends > 0).map((s) => ({ ...s, key: s.at }))}
          name={label}
        />
      </Section>

      <Section title="By country" testId="countries">
        <Bars
          label="Conversion by country, in percent (the ten with most verifications)"
          unit="%"
          points={report.byCountry.slice(0, 10).map((c) => ({ label: c.key, value: c.conversion === null ? null : Math.round(c.conversion * 1000) / 10 }))}
        />
        <BreakdownTable label="By country" keyHeader="Country" rows={report.byCountry} name={countryName} />
      </Section>
      <Section title="By carrier" testId="carriers">
        <p className="muted">A verification counts under the carrier and channel of its first message sent (&ldquo;none&rdquo;: nothing sent); sends under each message&apos;s own.</p>
        <BreakdownTable label="By carrier" keyHeader="Carrier" rows={report.byCarrier} />
      </Section>
      <Section title="By channel" testId="channels">
        <BreakdownTable label="By channel" keyHeader="Channel" rows={report.byChannel} />
      </Section>
      <Section title="By surface" testId="surfaces">
        <BreakdownTable label="By surface" keyHeader="Surface" rows={report.bySurface} />
      </Section>

      <Section title={`Sends and cost per ${granularity}`} testId="cost">
        <Bars label={`Messages sent per ${granularity}`} points={report.cost.series.map((s) => ({ label: label(s.at), value: s.sends }))} />
        <p>
          Total: <strong>{money(report.cost.totals)}</strong>
          {report.cost.unpriced ? ` (${report.cost.unpriced} sends without a price)` : ""}.
        </p>
        <ScrollRegion label="Sends and cost per slot">
          <table>
            <caption className="sr-only">Sends and cost per {granularity}</caption>
            <thead>
              <tr>
                <th scope="col">{slot}</th>
                <th scope="col">Sends</th>
                <th scope="col">Cost</th>
                <th scope="col">Unpriced</th>
              </tr>
            </thead>
            <tbody>
              {report.cost.series
                .filter((s) => s.sends > 0)
                .map((s) => (
                  <tr key={s.at}>
                    <th scope="row">
                      <time dateTime={s.at}>{label(s.at)}</time>
                    </th>
                    <td>{s.sends}</td>
                    <td>{money(s.cost)}</td>
                    <td>{s.unpriced}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </ScrollRegion>
      </Section>

      <Section title="Time from send to approval" testId="latency">
        <p>
          {report.latency.approvals
            ? `Of ${report.latency.approvals} approvals, half within ${seconds(report.latency.medianAtMostSeconds)}, 95 % within ${seconds(report.latency.p95AtMostSeconds)} of the first message.`
            : "No approval after a message in this range."}
        </p>
        <Bars
          label="Approvals by time from the first message sent"
          points={report.latency.buckets.map((b) => ({ label: b.atMostSeconds === null ? "> 1 h" : `≤ ${seconds(b.atMostSeconds)}`, value: b.count }))}
        />
        <ScrollRegion label="Approvals by time to approval">
          <table>
            <caption className="sr-only">Approvals by time from the first message sent</caption>
            <thead>
              <tr>
                <th scope="col">Within</th>
                <th scope="col">Approvals</th>
              </tr>
            </thead>
            <tbody>
              {report.latency.buckets
                .filter((b) => b.count > 0)
                .map((b) => (
                  <tr key={String(b.atMostSeconds)}>
                    <th scope="row">{b.atMostSeconds === null ? "over an hour" : seconds(b.atMostSeconds)}</th>
                    <td>{b.count}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </ScrollRegion>
      </Section>

      <Section title="Fraud refusals" testId="refusals">
        {report.refusals.length === 0 ? (
          <p className="muted">No request refused for fraud in this range.</p>
        ) : (
          <>
            <Bars label="Requests refused for fraud, by reason" points={report.refusals.map((r) => ({ label: REFUSAL_NAMES[r.reason] ?? r.reason, value: r.count }))} />
            <ScrollRegion label="Fraud refusals by reason">
              <table>
                <caption className="sr-only">Requests refused for fraud, by reason</caption>
                <thead>
                  <tr>
                    <th scope="col">Reason</th>
                    <th scope="col">Refusals</th>
                  </tr>
                </thead>
                <tbody>
                  {report.refusals.map((r) => (
                    <tr key={r.reason} data-key={r.reason}>
                      <th scope="row">{REFUSAL_NAMES[r.reason] ?? r.reason}</th>
                      <td>{r.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </>
        )}
      </Section>

      <Section title="Send budget" testId="budget">
        <p>
          {report.budget.perHour === 0 ? "No send budget (SEND_BUDGET_PER_HOUR=0)." : `Budget: ${report.budget.perHour} messages per hour (SEND_BUDGET_PER_HOUR).`}{" "}
          {report.budget.peak
            ? `Busiest hour: ${report.budget.peak.sends} sends${report.budget.perHour ? ` (${percent(report.budget.peak.sends / report.budget.perHour)} of the budget)` : ""}, ${new Date(report.budget.peak.at).toLocaleString()}.`
            : "Nothing sent in this range."}
        </p>
        <LineOverTime
          label={`Messages sent per hour${report.budget.perHour ? `, against the budget of ${report.budget.perHour}` : ""}`}
          points={report.budget.hourly.map((h) => ({ label: slotLabel(h.at, granularity === "hour" ? "hour" : "day"), value: h.sends }))}
          limit={report.budget.perHour || undefined}
        />
      </Section>

      <CostsEditor carriers={carriers} onChange={onPricesChanged} />
    </>
  );
}
