/**
 * "Was this SMS already sent?" for Vonage, through the Reports API's synchronous records (providers.md
 * §1, docs/carriers.md): GET {api}/v2/reports/records with Basic auth (API key and secret),
 * `account_id` = the API key, `product=SMS`, `direction=outbound` (required for SMS), `date_start` =
 * since and `date_end` = now (at most 24 h apart, end exclusive), `to` = the number in digits. A record
 * whose `client_ref` is the send's client reference is the send: the SMS API echoes `client-ref` into
 * it, so no body needs comparing. A TRUNCATED answer (more than 1000 records) without the record is an
 * incomplete answer, thrown like a failure.
 */
import { basicAuth, carrierError, carrierFetch, codeForStatus, type FetchLike, withoutPlus } from "./http.ts";
import type { SendResult } from "./types.ts";

export interface VonageReportsAccount {
  /** https://api.nexmo.com, or a local fake. */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  timeoutMs: number;
  fetch: FetchLike;
  clock: () => Date;
}

const DAY_MS = 24 * 3600_000;

/** ISO-8601 UTC to the second, as the Reports API's examples write it. */
export function reportsTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

interface SmsRecord {
  message_id?: unknown;
  client_ref?: unknown;
  to?: unknown;
}

export async function findVonageSms(
  account: VonageReportsAccount,
  to: string,
  clientRef: string,
  since: Date,
  taken: ReadonlySet<string> = new Set(),
): Promise<SendResult | null> {
  const start = new Date(Math.floor(since.getTime() / 1000) * 1000);
  const end = new Date(Math.min(account.clock().getTime(), start.getTime() + DAY_MS));
  const query = new URLSearchParams({
    account_id: account.apiKey,
    product: "SMS",
    direction: "outbound",
    date_start: reportsTime(start),
    date_end: reportsTime(end),
    to: withoutPlus(to),
  });
  const response = await carrierFetch(
    "vonage",
    account.fetch,
    `${account.baseUrl}/v2/reports/records?${query}`,
    { method: "GET", headers: { authorization: basicAuth(account.apiKey, account.apiSecret), accept: "application/json" } },
    account.timeoutMs,
  );
  const answer = (response.json ?? {}) as { request_status?: unknown; records?: unknown; title?: unknown; detail?: unknown };
  if (response.status < 200 || response.status >= 300) {
    throw carrierError("vonage", codeForStatus(response.status), `vonage reports ${response.status}: ${String(answer.detail ?? answer.title ?? response.text.slice(0, 200))}`);
  }
  if (!Array.isArray(answer.records)) throw carrierError("vonage", "bad_response", "vonage reports answered without records");
  const match = (answer.records as SmsRecord[]).find((r) => r.client_ref === clientRef && typeof r.message_id === "string" && !taken.has(r.message_id));
  if (match) return { carrierMessageId: match.message_id as string, status: "sent" };
  if (answer.request_status === "TRUNCATED") {
    throw carrierError("vonage", "lookup_incomplete", `vonage reports: more records to ${to} since ${reportsTime(start)} than one answer holds`);
  }
  return null;
}
