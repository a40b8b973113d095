/**
 * What a message costs, per carrier and country, as the owner enters it on /owner/insights
 * (insight_costs): carriers report prices differently (or not at all), so the owner's table is the one
 * source. A country of "*" prices every country of that carrier without its own row.
 */
import { z } from "zod";
import type { Sql } from "../../store/sql.ts";
import { toDate } from "../../store/sql.ts";

/** Any country of a carrier without a row of its own. */
export const ANY_COUNTRY = "*";

const carrier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "a carrier's name as textgate knows it (lower case letters, digits, - and _; e.g. twilio)")
  .describe("The carrier, as textgate names it (e.g. `twilio`, `vonage`, `sandbox`).");
const country = z
  .string()
  .regex(/^([A-Z]{2}|\*)$/, "an ISO 3166-1 alpha-2 country code in capitals (e.g. US), or * for every other country")
  .describe("ISO 3166-1 alpha-2 country, or `*` for every country without its own price.");

export const costKeySchema = z.strictObject({ carrier, country });

export const costSchema = z.strictObject({
  carrier,
  country,
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "an ISO 4217 currency code in capitals (e.g. USD)")
    .describe("ISO 4217 currency code of the price."),
  pricePerMessage: z
    .string()
    .regex(/^\d{1,6}(\.\d{1,6})?$/, "a decimal number with at most 6 decimals (e.g. 0.0079)")
    .describe("What one message costs, as a decimal string (at most six decimals), e.g. `0.0079`."),
});
export type CostInput = z.infer<typeof costSchema>;

export interface Cost {
  carrier: string;
  country: string;
  currency: string;
  pricePerMessage: string;
  updatedAt: string;
}

/** "0.0079" → 7900 (millionths): whole numbers, so sums of many messages stay exact. */
export function toMicros(price: string): number {
  const [whole, fraction = ""] = price.split(".");
  return Number(whole) * 1_000_000 + Number(fraction.padEnd(6, "0"));
}

export function fromMicros(micros: number): string {
  const whole = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000).padStart(6, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}

export interface PriceBook {
  /** The price of one message of `carrier` to `country`, or null when the owner set none. */
  priceOf(carrier: string, country: string): { currency: string; micros: number } | null;
}

export class CostTable {
  constructor(
    private readonly sql: Sql,
    private readonly clock: () => Date,
  ) {}

  async list(): Promise<Cost[]> {
    const rows = await this.sql.all<{ carrier: string; country: string; currency: string; price_micros: unknown; updated_at: unknown }>(
      `SELECT carrier, country, currency, price_micros, updated_at FROM insight_costs ORDER BY carrier, country`,
    );
    return rows.map((r) => ({
      carrier: r.carrier,
      country: r.country,
      currency: r.currency,
      pricePerMessage: fromMicros(Number(r.price_micros)),
      updatedAt: toDate(r.updated_at).toISOString(),
    }));
  }

  /** Sets (or replaces) one carrier's price for one country. */
  async set(input: CostInput): Promise<Cost> {
    const now = this.clock();
    await this.sql.run(
      `INSERT INTO insight_costs (carrier, country, currency, price_micros, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (carrier, country) DO UPDATE SET currency = excluded.currency, price_micros = excluded.price_micros, updated_at = excluded.updated_at`,
      [input.carrier, input.country, input.currency, toMicros(input.pricePerMessage), now],
    );
    return { ...input, pricePerMessage: fromMicros(toMicros(input.pricePerMessage)), updatedAt: now.toISOString() };
  }

  /** Removes one price; false when there was none. */
  async remove(key: z.infer<typeof costKeySchema>): Promise<boolean> {
    return (await this.sql.run(`DELETE FROM insight_costs WHERE carrier = ? AND country = ?`, [key.carrier, key.country])) > 0;
  }

  async priceBook(): Promise<PriceBook> {
    const prices = new Map((await this.list()).map((c) => [`${c.carrier}|${c.country}`, { currency: c.currency, micros: toMicros(c.pricePerMessage) }]));
    return {
      priceOf: (carrier, country) => prices.get(`${carrier}|${country}`) ?? prices.get(`${carrier}|${ANY_COUNTRY}`) ?? null,
    };
  }
}
