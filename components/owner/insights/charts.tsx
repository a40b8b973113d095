"use client";

/**
 * The insights' charts, drawn with Recharts (SVG). Each is a picture with a name for assistive
 * technology (role="img" and aria-label) and sits beside a table with the same numbers, which is what a
 * screen reader or a test reads; Recharts' own keyboard layer is off for that reason.
 */
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const HEIGHT = 220;
const AXIS = { fontSize: 12, fill: "var(--muted, #4a5361)" };
const STROKE = "var(--accent, #1d4ed8)";
const GRID = "var(--border, #cfd5de)";

export interface Point {
  label: string;
  value: number | null;
}

function Frame({ label, children }: { label: string; children: React.ReactElement }) {
  return (
    <div className="insights-chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        {children}
      </ResponsiveContainer>
    </div>
  );
}

/** A line over time (conversion rate, sends per hour), with an optional limit drawn across (the budget). */
export function LineOverTime({ label, points, unit = "", limit }: { label: string; points: Point[]; unit?: string; limit?: number }) {
  return (
    <Frame label={label}>
      <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" />
        <XAxis dataKey="label" tick={AXIS} minTickGap={24} />
        <YAxis tick={AXIS} width={44} unit={unit} allowDecimals={false} />
        <Tooltip formatter={(value) => `${String(value)}${unit}`} />
        <Line type="monotone" dataKey="value" stroke={STROKE} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
        {limit ? <ReferenceLine y={limit} stroke="var(--danger, #b42318)" strokeDasharray="6 3" label={{ value: "budget", fill: "var(--danger, #b42318)", fontSize: 12, position: "insideTopRight" }} /> : null}
      </LineChart>
    </Frame>
  );
}

/** Bars per category or per day (sends per day, conversion by country, refusals by reason, approval times). */
export function Bars({ label, points, unit = "" }: { label: string; points: Point[]; unit?: string }) {
  return (
    <Frame label={label}>
      <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={AXIS} minTickGap={8} />
        <YAxis tick={AXIS} width={44} unit={unit} allowDecimals={false} />
        <Tooltip formatter={(value) => `${String(value)}${unit}`} />
        <Bar dataKey="value" fill={STROKE} isAnimationActive={false} />
      </BarChart>
    </Frame>
  );
}
