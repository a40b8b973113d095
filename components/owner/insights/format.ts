/** How the insights page writes its numbers and times (UTC, as the rollup buckets them). */
import type { InsightsReport } from "@/server/owners/insights/report.ts";

export function percent(rate: number | null): string {
  return rate === null ? "—" : `${(rate * 100).toFixed(1)} %`;
}

/** A slot's start: "14:00" for an hour, "3 Dec" for a day (UTC). */
export function slotLabel(at: string, granularity: InsightsReport["granularity"]): string {
  const date = new Date(at);
  return granularity === "hour"
    ? date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" })
    : date.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

export function seconds(value: number | null): string {
  if (value === null) return "over an hour";
  return value < 60 ? `${value} s` : `${value / 60} min`;
}

export function money(sums: Record<string, string>): string {
  const entries = Object.entries(sums);
  return entries.length ? entries.map(([currency, amount]) => `${amount} ${currency}`).join(" + ") : "—";
}

const countryNames = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames(["en"], { type: "region" }) : null;

/** "France (FR)"; the rollup's "unknown" stays as it is. */
export function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return `${countryNames?.of(code) ?? code} (${code})`;
  } catch {
    return code;
  }
}

export const REFUSAL_NAMES: Record<string, string> = {
  country_not_allowed: "Country not allowed",
  line_type_not_allowed: "Line type not allowed",
  send_limit_reached: "Send limit per number",
  send_budget_exhausted: "Send budget spent",
  too_many_failed_attempts: "Guessing lock",
  countries_per_ip: "Too many countries per IP",
};
