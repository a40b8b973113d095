/**
 * The `webhook_endpoints` table: an application's endpoints and their signing secrets. A secret
 * (`whsec_` + base64 of 24 random bytes, the Standard Webhooks format) is shown once, at creation or
 * rotation; it is stored sealed with AES-256-GCM under a key derived from TEXTGATE_SECRET (as codes are in
 * server/verification/codes.ts), because signing needs it back. After a rotation the previous secret
 * keeps signing, beside the new one, for ROTATION_OVERLAP_MS.
 */
import crypto from "node:crypto";
import { seal, unseal } from "../seal.ts";
import { TextgateError } from "../../lib/errors.ts";
import { uuidv7 } from "../../lib/ids.ts";
import type { CreateWebhookRequest, UpdateWebhookRequest, WebhookEventType } from "../../lib/validations/webhooks.ts";
import type { Sql, SqlParam } from "../store/sql.ts";
import { toBool, toDate, toDateOrNull } from "../store/sql.ts";

export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  /** null: every event type. */
  events: WebhookEventType[] | null;
  includePhoneNumbers: boolean;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: Date | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SigningEndpoint extends WebhookEndpoint {
  /** The secrets to sign with: the current one first, then the previous one while it lasts. */
  secrets: string[];
}

type Raw = Record<string, unknown>;
const COLUMNS = `id, url, description, events, include_phone_numbers, secret_sealed, previous_secret_sealed,
  previous_secret_expires_at, status, disabled_reason, failing_since, api_key_id, created_at, updated_at`;

function map(r: Raw): WebhookEndpoint {
  return {
    id: r.id as string,
    url: r.url as string,
    description: (r.description as string | null) ?? null,
    events: r.events ? (JSON.parse(r.events as string) as WebhookEventType[]) : null,
    includePhoneNumbers: toBool(r.include_phone_numbers),
    enabled: r.status === "enabled",
    disabledReason: (r.disabled_reason as string | null) ?? null,
    failingSince: toDateOrNull(r.failing_since),
    previousSecretExpiresAt: toDateOrNull(r.previous_secret_expires_at),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

/** The event types as stored: null for "every type" (an empty or missing list). */
function eventsColumn(events: readonly string[] | undefined): string | null {
  return events?.length ? JSON.stringify([...new Set(events)]) : null;
}

export function generateWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(24).toString("base64")}`;
}

export class SecretSeal {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(crypto.hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), "textgate/webhook-secret/v1", 32));
  }

  seal(value: string, endpointId: string): string {
    return seal(this.key, value, endpointId);
  }

  open(sealed: string, endpointId: string): string {
    return unseal(this.key, sealed, endpointId);
  }
}

export class WebhookEndpoints {
  private readonly seal: SecretSeal;

  constructor(
    private readonly sql: Sql,
    secret: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.seal = new SecretSeal(secret);
  }

  /** Creates an endpoint; the answer carries its secret, which is never shown again. */
  async create(input: CreateWebhookRequest, apiKeyId: string | null = null): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const id = uuidv7();
    const secret = generateWebhookSecret();
    const now = this.clock();
    await this.sql.run(
      `INSERT INTO webhook_endpoints (id, url, description, events, include_phone_numbers, secret_sealed, status, api_key_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'enabled', ?, ?, ?)`,
      [id, input.url, input.description ?? null, eventsColumn(input.events), input.includePhoneNumbers ?? false, this.seal.seal(secret, id), apiKeyId, now, now],
    );
    return { endpoint: await this.get(id), secret };
  }

  async list(): Promise<WebhookEndpoint[]> {
    return (await this.sql.all<Raw>(`SELECT ${COLUMNS} FROM webhook_endpoints ORDER BY created_at, id`)).map(map);
  }

  async find(id: string): Promise<WebhookEndpoint | null> {
    const row = await this.sql.get<Raw>(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = ?`, [id]);
    return row ? map(row) : null;
  }

  async get(id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.find(id);
    if (!endpoint) throw new TextgateError("webhook_not_found");
    return endpoint;
  }

  async update(id: string, input: UpdateWebhookRequest): Promise<WebhookEndpoint> {
    const sets: string[] = [];
    const params: SqlParam[] = [];
    if (input.url !== undefined) sets.push("url = ?"), params.push(input.url);
    if (input.events !== undefined) sets.push("events = ?"), params.push(eventsColumn(input.events));
    if (input.description !== undefined) sets.push("description = ?"), params.push(input.description);
    if (input.includePhoneNumbers !== undefined) sets.push("include_phone_numbers = ?"), params.push(input.includePhoneNumbers);
    if (input.enabled === true) sets.push("status = 'enabled', disabled_reason = NULL, failing_since = NULL");
    if (input.enabled === false) sets.push("status = 'disabled', disabled_reason = 'disabled by request'");
    sets.push("updated_at = ?");
    params.push(this.clock());
    const changed = await this.sql.run(`UPDATE webhook_endpoints SET ${sets.join(", ")} WHERE id = ?`, [...params, id]);
    if (changed !== 1) throw new TextgateError("webhook_not_found");
    return this.get(id);
  }

  /** Deletes an endpoint and its deliveries. */
  async remove(id: string): Promise<void> {
    const removed = await this.sql.transaction(async (tx) => {
      await tx.run(`DELETE FROM webhook_deliveries WHERE endpoint_id = ?`, [id]);
      return tx.run(`DELETE FROM webhook_endpoints WHERE id = ?`, [id]);
    });
    if (removed !== 1) throw new TextgateError("webhook_not_found");
  }

  /** A new secret; the previous one keeps signing for ROTATION_OVERLAP_MS. */
  async rotateSecret(id: string): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const row = await this.sql.get<Raw>(`SELECT secret_sealed FROM webhook_endpoints WHERE id = ?`, [id]);
    if (!row) throw new TextgateError("webhook_not_found");
    const secret = generateWebhookSecret();
    const now = this.clock();
    const changed = await this.sql.run(
      `UPDATE webhook_endpoints SET secret_sealed = ?, previous_secret_sealed = ?, previous_secret_expires_at = ?, updated_at = ?
       WHERE id = ? AND secret_sealed = ?`,
      [this.seal.seal(secret, id), row.secret_sealed as string, new Date(now.getTime() + ROTATION_OVERLAP_MS), now, id, row.secret_sealed as string],
    );
    // Two rotations at once: the other won; answering with a secret that is not the current one would strand the caller.
    if (changed !== 1) throw new TextgateError("webhook_not_found", "The endpoint changed meanwhile: rotate again.");
    return { endpoint: await this.get(id), secret };
  }

  /** Enabled endpoints (or all, with includeDisabled) with their signing secrets (dispatcher, test sends). */
  async signing(ids?: readonly string[], options: { includeDisabled?: boolean } = {}): Promise<SigningEndpoint[]> {
    const rows = await this.sql.all<Raw>(
      `SELECT ${COLUMNS} FROM webhook_endpoints WHERE ${options.includeDisabled ? "1 = 1" : "status = 'enabled'"}
       ${ids ? `AND id IN (${ids.map(() => "?").join(", ") || "NULL"})` : ""}`,
      ids ?? [],
    );
    const now = this.clock();
    return rows.map((r) => {
      const endpoint = map(r);
      const secrets = [this.seal.open(r.secret_sealed as string, endpoint.id)];
      if (r.previous_secret_sealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
        secrets.push(this.seal.open(r.previous_secret_sealed as string, endpoint.id));
      }
      return { ...endpoint, secrets };
    });
  }

  /** Records the outcome of an attempt: a success clears the failing streak, a failure starts it. */
  async recordOutcome(id: string, ok: boolean, now: Date): Promise<void> {
    if (ok) await this.sql.run(`UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL`, [id]);
    else await this.sql.run(`UPDATE webhook_endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL`, [now, id]);
  }

  /** Disables an endpoint failing since before `before`; true for the one caller that did it. */
  async disableIfFailingSince(id: string, before: Date, now: Date): Promise<boolean> {
    return (
      (await this.sql.run(
        `UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = 'every delivery failed for 5 days', updated_at = ?
         WHERE id = ? AND status = 'enabled' AND failing_since IS NOT NULL AND failing_since <= ?`,
        [now, id, before],
      )) === 1
    );
  }
}
