/**
 * The sandbox carrier: sends nothing, stores every outbound text and call in the database, and backs
 * the simulated handset (/sandbox) where a person or a test reads them and replies. A retried send of
 * the same delivery (after a crash) is stored once: `delivery_id` is unique.
 */
import { uuidv7 } from "../../lib/ids.ts";
import type { Sql } from "../store/sql.ts";
import { toDate } from "../store/sql.ts";
import { inboundFrom } from "../inbound/receive.ts";
import type { Channel } from "../../lib/channels.ts";
import type { Carrier, OutboundMessage, SendResult } from "./types.ts";

export interface SandboxEntry {
  id: string;
  direction: "outbound" | "inbound";
  channel: Channel;
  to: string | null;
  from: string | null;
  body: string;
  createdAt: Date;
}

export interface SandboxNumber {
  number: string;
  lastMessageAt: Date;
  messages: number;
}

type Raw = Record<string, unknown>;

export class SandboxCarrier implements Carrier {
  readonly id = "sandbox";
  readonly channels = ["sms", "voice"] as const;

  constructor(
    private readonly sql: Sql,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async send(message: OutboundMessage): Promise<SendResult> {
    const id = `SB${uuidv7().replaceAll("-", "")}`;
    const inserted = await this.sql.get<{ id: string }>(
      `INSERT INTO sandbox_messages (id, delivery_id, channel, "to", "from", body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (delivery_id) DO NOTHING RETURNING id`,
      [id, message.idempotencyKey, message.channel, message.to, message.from ?? null, message.body, this.clock()],
    );
    if (inserted) return { carrierMessageId: inserted.id, status: "delivered" };
    const existing = await this.sql.get<{ id: string }>(`SELECT id FROM sandbox_messages WHERE delivery_id = ?`, [message.idempotencyKey]);
    return { carrierMessageId: existing?.id ?? id, status: "delivered" };
  }

  /** Texts and calls sent to a number (and, with includeInbound, its replies), newest first. */
  async listMessages(to: string, options: { limit?: number; includeInbound?: boolean } = {}): Promise<SandboxEntry[]> {
    const limit = Math.min(Math.max(options.limit ?? 20, 1), 200);
    const outbound = await this.sql.all<Raw>(
      `SELECT id, channel, "to", "from", body, created_at FROM sandbox_messages WHERE "to" = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
      [to, limit],
    );
    const entries: SandboxEntry[] = outbound.map((r) => ({
      id: r.id as string,
      direction: "outbound",
      channel: r.channel as Channel,
      to: r.to as string,
      from: (r.from as string | null) ?? null,
      body: r.body as string,
      createdAt: toDate(r.created_at),
    }));
    if (options.includeInbound) {
      for (const r of await inboundFrom(this.sql, "sandbox", to, limit)) {
        entries.push({ id: r.id, direction: "inbound", channel: "sms", to: r.to, from: r.from, body: r.body, createdAt: r.receivedAt });
      }
      entries.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    }
    return entries.slice(0, limit);
  }

  /** Numbers that received something, most recent first. */
  async listNumbers(limit = 20): Promise<SandboxNumber[]> {
    const rows = await this.sql.all<Raw>(
      `SELECT "to" AS number, MAX(created_at) AS last, COUNT(*) AS n FROM sandbox_messages GROUP BY "to" ORDER BY last DESC LIMIT ?`,
      [Math.min(Math.max(limit, 1), 200)],
    );
    return rows.map((r) => ({ number: r.number as string, lastMessageAt: toDate(r.last), messages: Number(r.n) }));
  }
}
