/**
 * Real carriers end to end, against the real server process and local fakes of the carriers' APIs
 * (nothing calls a real carrier), on SQLite and PostgreSQL: a code goes out through Twilio's Messages
 * API; signed status callbacks move the delivery forward and never back; unsigned or mis-signed
 * webhooks are 403 and change nothing; an inbound text is stored once however often it is replayed;
 * a 503 from the primary carrier fails over to the secondary, an invalid number does not; and a
 * missing credential keeps the server from starting, naming the variable.
 */
import crypto from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeCarrier, startFakeCarrier } from "../../server/carriers/fake-server.ts";
import { vonageSignature } from "../../server/carriers/webhooks/signatures.ts";
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import type { Json } from "../helpers/http.ts";
import { errorCode, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

const variants = await databaseVariants();

const SID = `AC${"0a".repeat(16)}`;
const TOKEN = "f3c1b2a4d5e6f7089a1b2c3d4e5f6a7b";
/** What the carriers call: a proxy in front of the server, so the signed URL is not the server's own. */
const PUBLIC_URL = "https://verify.example.test";
const TEXTMAGIC_TOKEN = "textmagic-token-0123456789abc";

function sign(path: string, form: Record<string, string>, token = TOKEN): string {
  const data = PUBLIC_URL + path + Object.keys(form).sort().map((k) => k + form[k]).join("");
  return crypto.createHmac("sha1", token).update(data).digest("base64");
}

async function rows(server: TestServer, sql: string, params: string[]): Promise<Record<string, unknown>[]> {
  const target = resolveDatabaseTarget(server.env.DATABASE_URL);
  if (target.provider === "sqlite") {
    const db = new Database(target.url, { readonly: true, timeout: 5000 });
    try {
      return db.prepare(sql).all(...params) as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    let n = 0;
    return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

let sidCounter = 0;
function acceptTwilio(fake: FakeCarrier): void {
  fake.respond(() => ({ status: 201, body: { sid: `SM${(++sidCounter).toString(16).padStart(32, "0")}`, status: "queued" } }));
}

describeEachDatabase(variants, "real carriers through the server", (database) => {
  let twilio: FakeCarrier;
  let textmagic: FakeCarrier;
  let server: TestServer;

  beforeAll(async () => {
    twilio = await startFakeCarrier();
    textmagic = await startFakeCarrier();
    server = await startServer({
      database,
      env: {
        SMS_CARRIERS: "twilio,textmagic",
        VOICE_CARRIERS: "twilio",
        PUBLIC_URL,
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_FROM: "+14155550100",
        TWILIO_API_BASE_URL: twilio.url,
        TWILIO_TIMEOUT_MS: "2000",
        TEXTMAGIC_USERNAME: "acme",
        TEXTMAGIC_API_KEY: "tmkey0123456789abcdef",
        TEXTMAGIC_WEBHOOK_TOKEN: TEXTMAGIC_TOKEN,
        TEXTMAGIC_API_BASE_URL: textmagic.url,
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await twilio?.close();
    await textmagic?.close();
  });
  beforeEach(() => {
    twilio.requests.length = 0;
    textmagic.requests.length = 0;
    acceptTwilio(twilio);
    textmagic.respond({ status: 201, body: { id: 49576009, type: "message", messageId: 49576009 } });
  });

  async function create(to: string): Promise<Json> {
    const res = await server.request("POST", "/api/v1/verifications", { json: { to } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }
  async function delivery(id: string): Promise<Json> {
    const res = await server.request("GET", `/api/v1/verifications/${id}`);
    return (res.body.deliveries as Json[])[0] as Json;
  }
  function webhook(path: string, form: Record<string, string>, signature: string | null) {
    return server.request("POST", path, {
      key: null,
      body: new URLSearchParams(form).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", ...(signature === null ? {} : { "x-twilio-signature": signature }) },
    });
  }

  it("sends the code through Twilio's Messages API with the documented request", async () => {
    const to = uniquePhone();
    const created = await create(to);
    expect(twilio.requests).toHaveLength(1);
    const request = twilio.requests[0];
    expect(request?.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString("base64")}`);
    expect(request?.form?.get("To")).toBe(to);
    expect(request?.form?.get("Body")).toMatch(/\b\d{6}\b/);
    expect(request?.form?.get("StatusCallback")).toBe(`${PUBLIC_URL}/api/webhooks/twilio/status`);
    expect(await delivery(created.id as string)).toMatchObject({ carrier: "twilio", status: "sent" });
    expect(textmagic.requests).toHaveLength(0);
  });

  it("status callbacks: signed 'delivered' moves the delivery on; a late 'sent' and a replay change nothing; unsigned is 403", async () => {
    const created = await create(uniquePhone());
    const sid = `SM${sidCounter.toString(16).padStart(32, "0")}`;
    const path = "/api/webhooks/twilio/status";
    const delivered = { MessageSid: sid, MessageStatus: "delivered", AccountSid: SID, From: "+14155550100" };

    const forged = await webhook(path, delivered, sign(path, { ...delivered, MessageStatus: "sent" }));
    expect(forged.status).toBe(403);
    expect(errorCode(forged.body)).toBe("invalid_signature");
    const unsigned = await webhook(path, delivered, null);
    expect(unsigned.status).toBe(403);
    const wrongUrl = await webhook(path, delivered, sign("/api/webhooks/twilio/inbound", delivered));
    expect(wrongUrl.status).toBe(403);
    expect(await delivery(created.id as string)).toMatchObject({ status: "sent", deliveredAt: null });

    const ok = await webhook(path, delivered, sign(path, delivered));
    expect(ok.status).toBe(200);
    const after = await delivery(created.id as string);
    expect(after).toMatchObject({ status: "delivered" });
    expect(after.deliveredAt).toEqual(expect.any(String));

    const lateSent = { ...delivered, MessageStatus: "sent" };
    expect((await webhook(path, lateSent, sign(path, lateSent))).status).toBe(200);
    const failed = { ...delivered, MessageStatus: "undelivered", ErrorCode: "30003" };
    expect((await webhook(path, failed, sign(path, failed))).status).toBe(200);
    expect((await webhook(path, delivered, sign(path, delivered))).status).toBe(200);
    expect(await delivery(created.id as string)).toEqual(after);
  });

  it("an undelivered receipt fails a sent delivery with carrier_undelivered", async () => {
    const created = await create(uniquePhone());
    const sid = `SM${sidCounter.toString(16).padStart(32, "0")}`;
    const path = "/api/webhooks/twilio/status";
    const failed = { MessageSid: sid, MessageStatus: "undelivered", ErrorCode: "30003" };
    expect((await webhook(path, failed, sign(path, failed))).status).toBe(200);
    expect(await delivery(created.id as string)).toMatchObject({ status: "failed", errorCode: "carrier_undelivered" });
  });

  it("inbound texts reach the inbound store once, however often the webhook is replayed", async () => {
    const from = uniquePhone();
    const path = "/api/webhooks/twilio/inbound";
    const text = { MessageSid: `SM${crypto.randomBytes(16).toString("hex")}`, AccountSid: SID, From: from, To: "+14155550100", Body: "YES", NumMedia: "0" };
    expect((await webhook(path, { ...text, Body: "NO" }, sign(path, text))).status).toBe(403);
    for (let i = 0; i < 3; i++) {
      const res = await webhook(path, text, sign(path, text));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/xml");
      expect(res.text).toContain("<Response/>");
    }
    const stored = await rows(server, `SELECT carrier, carrier_message_id, "from", "to", body FROM inbound_messages WHERE "from" = ?`, [from]);
    expect(stored).toEqual([{ carrier: "twilio", carrier_message_id: text.MessageSid, from, to: "+14155550100", body: "YES" }]);
  });

  it("carriers that sign nothing need the URL token: Textmagic without it is 403, with it stored", async () => {
    const from = uniquePhone();
    const reply = { id: Math.floor(Math.random() * 1e9), sender: from.slice(1), receiver: "447624800500", messageTime: "2026-01-01T12:00:00+0000", text: "OK" };
    const without = await server.request("POST", "/api/webhooks/textmagic/inbound", { key: null, json: reply });
    expect(without.status).toBe(403);
    const wrong = await server.request("POST", "/api/webhooks/textmagic/inbound?token=not-the-token-0123456789", { key: null, json: reply });
    expect(wrong.status).toBe(403);
    expect(await rows(server, `SELECT id FROM inbound_messages WHERE "from" = ?`, [from])).toHaveLength(0);
    const ok = await server.request("POST", `/api/webhooks/textmagic/inbound?token=${TEXTMAGIC_TOKEN}`, { key: null, json: reply });
    expect(ok.status).toBe(200);
    expect(await rows(server, `SELECT carrier, body FROM inbound_messages WHERE "from" = ?`, [from])).toEqual([{ carrier: "textmagic", body: "OK" }]);
  });

  it("webhooks of a carrier that is not configured are 404", async () => {
    const res = await server.request("POST", "/api/webhooks/vonage/inbound", { key: null, body: "msisdn=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(404);
  });

  it("a 503 from the primary carrier fails over to the secondary", async () => {
    twilio.respond({ status: 503, body: { code: 20503, message: "Service Unavailable", status: 503 } });
    const created = await create(uniquePhone());
    expect(twilio.requests).toHaveLength(1);
    expect(textmagic.requests).toHaveLength(1);
    expect(textmagic.requests[0]?.json).toMatchObject({ phones: (created.to as string).slice(1) });
    expect(await delivery(created.id as string)).toMatchObject({ carrier: "textmagic", status: "sent" });
  });

  it("a permanent error (invalid number) fails the delivery without failing over", async () => {
    twilio.respond({ status: 400, body: { code: 21211, message: "Invalid 'To' Phone Number", status: 400 } });
    const created = await create(uniquePhone());
    expect(twilio.requests).toHaveLength(1);
    expect(textmagic.requests).toHaveLength(0);
    expect(await delivery(created.id as string)).toMatchObject({ carrier: "twilio", status: "failed", errorCode: "invalid_number" });
  });
});

describe("Vonage signed webhooks through the server", () => {
  const SECRET = "vonage-signature-secret-0123";
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: {
        SMS_CARRIERS: "vonage",
        PUBLIC_URL,
        VONAGE_API_KEY: "abcd1234",
        VONAGE_API_SECRET: "vonage-api-secret-0123",
        VONAGE_FROM: "Acme",
        VONAGE_SIGNATURE_SECRET: SECRET,
        VONAGE_SIGNATURE_METHOD: "sha256hmac",
      },
    });
  });
  afterAll(() => server?.stop());

  function inbound(from: string, sentAt: Date) {
    const params: Record<string, string> = {
      msisdn: from.slice(1),
      to: "447700900001",
      messageId: crypto.randomUUID(),
      text: "YES",
      type: "text",
      "message-timestamp": sentAt.toISOString().slice(0, 19).replace("T", " "),
      timestamp: String(Math.floor(sentAt.getTime() / 1000)),
      nonce: crypto.randomUUID(),
    };
    params.sig = vonageSignature(params, SECRET, "sha256hmac");
    return () =>
      server.request("POST", "/api/webhooks/vonage/inbound", {
        key: null,
        body: new URLSearchParams(params).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
  }

  // @see issue 10 item 11: a correctly signed webhook an hour old was accepted.
  it("refuses a correctly signed webhook an hour old or ten minutes ahead (403); a fresh one is stored once", async () => {
    for (const offsetMs of [-3_600_000, 600_000]) {
      const from = uniquePhone();
      const res = await inbound(from, new Date(Date.now() + offsetMs))();
      expect(res.status, String(offsetMs)).toBe(403);
      expect(errorCode(res.body)).toBe("invalid_signature");
      expect(await rows(server, `SELECT id FROM inbound_messages WHERE "from" = ?`, [from])).toHaveLength(0);
    }
    const from = uniquePhone();
    const send = inbound(from, new Date(Date.now() - 60_000));
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    expect(await rows(server, `SELECT carrier, body FROM inbound_messages WHERE "from" = ?`, [from])).toEqual([{ carrier: "vonage", body: "YES" }]);
  });
});

describe("carrier configuration at startup", () => {
  it("refuses to start when a listed carrier lacks a credential, naming the variable", async () => {
    const started = await startServer({ env: { SMS_CARRIERS: "twilio", TWILIO_ACCOUNT_SID: SID, TWILIO_FROM: "+14155550100" } }).then(
      async (s) => {
        await s.stop();
        return null;
      },
      (error: unknown) => (error as Error).message,
    );
    expect(started).toMatch(/TWILIO_AUTH_TOKEN: required, not set/);
  });

  it("refuses an unknown carrier id and a carrier lacking the channel, naming the variable", async () => {
    for (const [env, message] of [
      [{ SMS_CARRIERS: "twilio,nosuch" }, /SMS_CARRIERS: unknown carrier "nosuch"/],
      [{ VOICE_CARRIERS: "textlocal" }, /VOICE_CARRIERS: carrier "textlocal" cannot send voice/],
    ] as const) {
      const error = await startServer({ env }).then(
        async (s) => {
          await s.stop();
          return "";
        },
        (e: unknown) => (e as Error).message,
      );
      expect(error).toMatch(message);
    }
  });
});
