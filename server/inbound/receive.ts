/**
 * The one inbound path: every text a phone sends us (carrier webhook or sandbox handset) is stored and
 * published as `inbound.received`. A webhook delivered twice (same carrier message id) is stored once.
 */
import { uuidv7 } from "../../lib/ids.ts";
import type { EventBus } from "../events/bus.ts";
import { type Sql, toDate } from "../store/sql.ts";

export interface InboundInput {
  carrier: string;
  /** E.164 sender. */
  from: string;
  to?: string | null;
  body: string;
  carrierMessageId?: string | null;
}

export interface StoredInbound {
  id: string;
  from: string;
  to: string | null;
  body: string;
  receivedAt: Date;
}

/** The texts `from` sent through `carrier`, newest first (the sandbox handset shows its replies). */
export async function inboundFrom(sql: Sql, carrier: string, from: string, limit: number): Promise<StoredInbound[]> {
  const rows = await sql.all<Record<string, unknown>>(
    `SELECT id, "from", "to", body, received_at FROM inbound_messages WHERE carrier = ? AND "from" = ?
     ORDER BY received_at DESC LIMIT ?`,
    [carrier, from, limit],
  );
  return rows.map((r) => ({ id: r.id as string, from: r.from as string, to: (r.to as string | null) ?? null, body: r.body as string, receivedAt: toDate(r.received_at) }));
}

export class InboundService {
  constructor(
    private readonly sql: Sql,
    private readonly events: EventBus,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async receive(input: InboundInput): Promise<{ id: string; duplicate: boolean }> {
    const id = uuidv7();
    const carrierMessageId = input.carrierMessageId ?? `${input.carrier}:${id}`;
    const inserted = await this.sql.get<{ id: string }>(
      `INSERT INTO inbound_messages (id, carrier, carrier_message_id, "from", "to", body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (carrier, carrier_message_id) DO NOTHING RETURNING id`,
      [id, input.carrier, carrierMessageId, input.from, input.to ?? null, input.body, this.clock()],
    );
    if (!inserted) {
      const existing = await this.sql.get<{ id: string }>(`SELECT id FROM inbound_messages WHERE carrier = ? AND carrier_message_id = ?`, [
        input.carrier, carrierMessageId,
      ]);
      return { id: existing?.id ?? id, duplicate: true };
    }
    this.events.publish("inbound.received", { inboundId: id, carrier: input.carrier, from: input.from, to: input.to ?? null, body: input.body });
    return { id, duplicate: false };
  }

  /** Records what a text answered (`socket-unit:<connection id>`, say), for the audit trail. */
  async markMatched(inboundId: string, matchedTo: string): Promise<void> {
    await this.sql.run(`UPDATE inbound_messages SET matched_to = ? WHERE id = ?`, [matchedTo, inboundId]);
  }
}
