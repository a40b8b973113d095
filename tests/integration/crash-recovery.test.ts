/**
 * Crash recovery of workflows against the real server process, on SQLite and on PostgreSQL: a server
 * killed with SIGKILL mid-workflow and restarted on the same database sends the next step exactly
 * once; a delivery a dead process claimed (status "sending", lease over) is re-claimed and, through
 * its idempotency key (the delivery id), not sent twice; an approved verification's remaining steps
 * never go out after a restart; and a server killed the moment Twilio accepted a call (before the
 * database recorded it) does not place that call again after its restart.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { type FakeCarrier, startFakeCarrier } from "../../server/carriers/fake-server.ts";
import { lamlFake } from "../../server/carriers/fakes/laml.ts";
import { type DirectDb, type Row, withDb } from "../helpers/direct-db.ts";
import type { Json, JsonValue } from "../helpers/http.ts";
import { errorCode, type SandboxMessage, sentMessages, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

const variants = await databaseVariants();

const SCHEDULER_INTERVAL_MS = 50;
/** How long "nothing else arrives" is watched: many scheduler periods. */
const QUIET_MS = SCHEDULER_INTERVAL_MS * 10;
/** Upper bound for polls that wait for the scheduler to send something. */
const POLL_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(ms, 0)));

/** Every code in a message: digits as texted ("123456") or as spoken ("1, 2, 3, 4, 5, 6"). */
function codesIn(message: SandboxMessage): string[] {
  const pattern = message.channel === "voice" ? /\d(?:, \d)+/g : /\b\d{4,20}\b/g;
  return [...message.body.matchAll(pattern)].map((m) => m[0].replaceAll(", ", ""));
}

/** Messages to `to`, oldest first, once there are at least `count` (or the time is up). */
async function pollMessages(server: TestServer, to: string, count: number, timeoutMs = POLL_TIMEOUT_MS): Promise<SandboxMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = await sentMessages(server.request, to);
    if (messages.length >= count || Date.now() >= deadline) return messages.reverse();
    await sleep(SCHEDULER_INTERVAL_MS);
  }
}

interface DeliveryJson {
  id: string;
  stepIndex: number;
  channel: string;
  status: string;
  dueAt: string;
  sentAt: string | null;
}

function deliveriesOf(body: Json | JsonValue): DeliveryJson[] {
  return (body as unknown as { deliveries: DeliveryJson[] }).deliveries;
}

/** Sandbox rows stored for each delivery id (the carrier idempotency key). */
async function sandboxRowsPerDelivery(db: DirectDb, deliveryIds: string[]): Promise<Map<string, number>> {
  const rows = await db.all(
    `SELECT delivery_id, COUNT(*) AS n FROM sandbox_messages WHERE delivery_id IN (${deliveryIds.map(() => "?").join(", ")}) GROUP BY delivery_id`,
    deliveryIds,
  );
  return new Map([...deliveryIds.map((id) => [id, 0] as const), ...rows.map((r) => [r.delivery_id as string, Number(r.n)] as const)]);
}

describeEachDatabase(variants, "crash recovery", (database) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer({ database, env: { SERVE_PAGES: "false", SCHEDULER_INTERVAL_MS: String(SCHEDULER_INTERVAL_MS) } });
  });
  afterEach(() => server?.stop());

  /** Restarts after `kill` with the default AUTO_MIGRATE=true on the existing database. */
  const restart = () => server.restart();

  async function create(body: Record<string, unknown>): Promise<Json> {
    const res = await server.request("POST", "/api/v1/verifications", { json: body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function read(id: string): Promise<Json> {
    const res = await server.request("GET", `/api/v1/verifications/${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  it("SIGKILL before a step is due, restart after it: the overdue step and the next go out exactly once, same code", async () => {
    const to = uniquePhone();
    const created = await create({
      to,
      workflow: [
        { channel: "sms", afterSeconds: 0 },
        { channel: "voice", afterSeconds: 2 },
        { channel: "sms", afterSeconds: 2 },
      ],
      validFor: 120,
    });
    const id = created.id as string;
    const deliveries = deliveriesOf(created);
    expect(deliveries.map((d) => [d.stepIndex, d.channel, d.status])).toEqual([
      [0, "sms", "delivered"],
      [1, "voice", "scheduled"],
      [2, "sms", "scheduled"],
    ]);
    const [step1Due, step2Due] = deliveries.slice(1).map((d) => Date.parse(d.dueAt)) as [number, number];

    const first = await sentMessages(server.request, to);
    expect(first).toHaveLength(1);
    expect(first[0]?.channel).toBe("sms");
    const [code] = codesIn(first[0] as SandboxMessage);
    expect(code).toMatch(/^\d{6}$/);

    await server.kill("SIGKILL");
    expect(Date.now(), "the server must die before step 1 is due, or this test proves nothing").toBeLessThan(step1Due);

    // Nothing runs now, so there is nothing to poll: let step 1 become overdue while no process is alive.
    await sleep(step1Due + 2 * SCHEDULER_INTERVAL_MS - Date.now());
    await withDb(server, async (db) => {
      const rows = await db.all(`SELECT step_index, status, tries FROM deliveries WHERE verification_id = ? ORDER BY step_index`, [id]);
      expect(rows.map((r) => [Number(r.step_index), r.status, Number(r.tries)])).toEqual([
        [0, "delivered", 1],
        [1, "scheduled", 0],
        [2, "scheduled", 0],
      ]);
    });

    await restart();
    const afterStep1 = await pollMessages(server, to, 2);
    expect(afterStep1.length, "step 1 never went out after the restart").toBeGreaterThanOrEqual(2);
    expect(afterStep1.map((m) => m.channel)).toContain("voice");
    const listed = await pollMessages(server, to, 3, Math.max(step2Due - Date.now(), 0) + POLL_TIMEOUT_MS);
    expect(listed).toHaveLength(3);
    // Oldest first. A slow restart can send steps 1 and 2 in one tick within the same millisecond, where
    // the listing's order is arbitrary: such ties are broken by the step each message was sent for.
    const stepOf = await withDb(server, async (db) => {
      const rows = await db.all(`SELECT s.id, d.step_index FROM sandbox_messages s JOIN deliveries d ON d.id = s.delivery_id WHERE d.verification_id = ?`, [id]);
      return new Map(rows.map((r) => [r.id as string, Number(r.step_index)]));
    });
    const messages = [...listed].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (stepOf.get(a.id) ?? 0) - (stepOf.get(b.id) ?? 0));
    expect(messages.map((m) => m.channel)).toEqual(["sms", "voice", "sms"]);
    expect(messages.map((m) => stepOf.get(m.id))).toEqual([0, 1, 2]);
    for (const message of messages) {
      const codes = codesIn(message);
      expect(codes.length, message.body).toBeGreaterThan(0);
      for (const c of codes) expect(c, message.body).toBe(code);
    }

    // One more stretch of scheduler ticks: nothing else arrives.
    await sleep(QUIET_MS);
    expect(await sentMessages(server.request, to)).toHaveLength(3);

    const view = await read(id);
    expect(view).toMatchObject({ status: "pending", sends: 3 });
    expect(deliveriesOf(view).map((d) => [d.stepIndex, d.channel, d.status])).toEqual([
      [0, "sms", "delivered"],
      [1, "voice", "delivered"],
      [2, "sms", "delivered"],
    ]);
    // Late (the process was dead) but never early.
    for (const d of deliveriesOf(view)) expect(Date.parse(d.sentAt as string), `step ${d.stepIndex}`).toBeGreaterThanOrEqual(Date.parse(d.dueAt));
    await withDb(server, async (db) => {
      const perDelivery = await sandboxRowsPerDelivery(db, deliveries.map((d) => d.id));
      expect([...perDelivery.values()]).toEqual([1, 1, 1]);
      // Each later step was claimed once, by the restarted process.
      const rows = await db.all(`SELECT tries FROM deliveries WHERE verification_id = ? ORDER BY step_index`, [id]);
      expect(rows.map((r) => Number(r.tries))).toEqual([1, 1, 1]);
    });

    const check = await server.request("POST", `/api/v1/verifications/${id}/check`, { json: { code } });
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(check.body).toEqual({ valid: true, status: "approved", attemptsLeft: 0 });
    const approved = await read(id);
    expect(approved.status).toBe("approved");
    expect(deliveriesOf(approved).map((d) => d.status)).toEqual(["delivered", "delivered", "delivered"]);
  });

  it("a delivery left 'sending' by a dead process is re-claimed after its lease; an accepted send is not repeated", async () => {
    const to = uniquePhone();
    const created = await create({
      to,
      workflow: [
        { channel: "sms", afterSeconds: 0 },
        { channel: "voice", afterSeconds: 600 },
        { channel: "voice", afterSeconds: 600 },
        { channel: "sms", afterSeconds: 600 },
      ],
      validFor: 3600,
    });
    const id = created.id as string;
    const [step0, step1, step2, step3] = deliveriesOf(created) as [DeliveryJson, DeliveryJson, DeliveryJson, DeliveryJson];
    const [firstMessage] = await sentMessages(server.request, to);
    const [code] = codesIn(firstMessage as SandboxMessage);
    expect(code).toMatch(/^\d{6}$/);
    await server.kill("SIGKILL");

    // What a process that claimed steps 1-3 and died leaves behind:
    // step 1: claimed, handed over, the carrier accepted it (sandbox row stored), killed before it was marked sent;
    // step 2: claimed, killed before it was handed to the carrier;
    // step 3: claimed by a process whose lease is still running (it must be left alone; it is on the other
    // channel, since a step waits while another step of its channel is being sent under a live lease).
    const past = new Date(Date.now() - 1000).toISOString();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const preStoredId = `SBcrash${step1.id.replaceAll("-", "")}`;
    const spoken = (code as string).split("").join(", ");
    await withDb(server, async (db) => {
      const claim = `UPDATE deliveries SET status = 'sending', lease_until = ?, tries = 1, updated_at = ? WHERE id = ? AND status = 'scheduled'`;
      expect(await db.run(claim, [past, past, step1.id])).toBe(1);
      expect(await db.run(`UPDATE deliveries SET handed_at = ? WHERE id = ?`, [past, step1.id])).toBe(1);
      expect(await db.run(claim, [past, past, step2.id])).toBe(1);
      expect(await db.run(claim, [future, past, step3.id])).toBe(1);
      await db.run(`INSERT INTO sandbox_messages (id, delivery_id, channel, "to", "from", body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
        preStoredId,
        step1.id,
        "voice",
        to,
        null,
        `Your textgate verification code is ${spoken}. Once again, your code is ${spoken}.`,
        past,
      ]);
    });

    await restart();
    const deadline = Date.now() + POLL_TIMEOUT_MS;
    let view = await read(id);
    while (Date.now() < deadline && deliveriesOf(view).slice(1, 3).some((d) => d.status !== "delivered")) {
      await sleep(SCHEDULER_INTERVAL_MS);
      view = await read(id);
    }
    await sleep(QUIET_MS);
    view = await read(id);
    expect(deliveriesOf(view).map((d) => [d.stepIndex, d.status])).toEqual([
      [0, "delivered"],
      [1, "delivered"],
      [2, "delivered"],
      [3, "sending"],
    ]);
    expect(view).toMatchObject({ status: "pending", sends: 3 });

    const messages = await sentMessages(server.request, to);
    expect(messages.map((m) => m.channel).sort()).toEqual(["sms", "voice", "voice"]);
    for (const message of messages) for (const c of codesIn(message)) expect(c, message.body).toBe(code);
    await withDb(server, async (db) => {
      const perDelivery = await sandboxRowsPerDelivery(db, [step0.id, step1.id, step2.id, step3.id]);
      expect(Object.fromEntries(perDelivery)).toEqual({ [step0.id]: 1, [step1.id]: 1, [step2.id]: 1, [step3.id]: 0 });
      const rows = await db.all(`SELECT id, status, tries, carrier_message_id FROM deliveries WHERE id IN (?, ?) ORDER BY step_index`, [
        step1.id,
        step2.id,
      ]);
      // Re-claimed once each (tries 1 → 2); step 1 is tied to the message the carrier accepted before the crash.
      expect(rows.map((r) => Number(r.tries))).toEqual([2, 2]);
      expect(rows[0]?.carrier_message_id).toBe(preStoredId);
    });
  });

  it("SIGKILL after a successful check: after the restart the remaining steps never go out and it stays approved", async () => {
    const to = uniquePhone();
    const created = await create({
      to,
      workflow: [
        { channel: "sms", afterSeconds: 0 },
        { channel: "voice", afterSeconds: 2 },
        { channel: "sms", afterSeconds: 2 },
      ],
      validFor: 120,
    });
    const id = created.id as string;
    const deliveries = deliveriesOf(created);
    const lastDue = Math.max(...deliveries.map((d) => Date.parse(d.dueAt)));
    const [firstMessage] = await sentMessages(server.request, to);
    const [code] = codesIn(firstMessage as SandboxMessage);

    const check = await server.request("POST", `/api/v1/verifications/${id}/check`, { json: { code } });
    expect(check.body).toEqual({ valid: true, status: "approved", attemptsLeft: 0 });
    await server.kill("SIGKILL");
    expect(Date.now(), "the check and the kill must come before step 1 is due").toBeLessThan(Date.parse(deliveries[1]?.dueAt as string));

    await restart();
    // Past every step's due time, plus a stretch of scheduler ticks of the restarted process.
    await sleep(lastDue - Date.now());
    await sleep(QUIET_MS);

    expect(await sentMessages(server.request, to)).toHaveLength(1);
    const view = await read(id);
    expect(view).toMatchObject({ status: "approved", sends: 1 });
    expect(deliveriesOf(view).map((d) => [d.stepIndex, d.status, d.sentAt === null])).toEqual([
      [0, "delivered", false],
      [1, "dropped", true],
      [2, "dropped", true],
    ]);
    await withDb(server, async (db) => {
      const perDelivery = await sandboxRowsPerDelivery(db, deliveries.map((d) => d.id));
      expect([...perDelivery.values()]).toEqual([1, 0, 0]);
    });
    const again = await server.request("POST", `/api/v1/verifications/${id}/check`, { json: { code } });
    expect(again.status).toBe(404);
    expect(errorCode(again.body)).toBe("verification_not_found");
  });

  it("restarts after SIGKILL with the default AUTO_MIGRATE=true on its existing database", async () => {
    const to = uniquePhone();
    await create({ to });
    await server.kill("SIGKILL");
    await server.restart();
    expect(await sentMessages(server.request, to)).toHaveLength(1);
  });
});

const TWILIO_SID = `AC${"0b".repeat(16)}`;
const TWILIO_TOKEN = "0123456789abcdef0123456789abcdef";

describeEachDatabase(variants, "crash between 'the carrier accepted' and 'the database recorded it'", (database) => {
  let server: TestServer;
  let http: FakeCarrier;
  afterEach(async () => {
    await server?.stop();
    await http?.close();
  });

  it("SIGKILL the moment Twilio accepts a call: after the restart the call is found, recorded, and not placed again", async () => {
    const twilio = lamlFake({
      accountPath: `/2010-04-01/Accounts/${TWILIO_SID}`,
      messagesResource: "Messages.json",
      callsResource: "Calls.json",
      username: TWILIO_SID,
      password: TWILIO_TOKEN,
      clock: () => new Date(),
    });
    let killed: Promise<void> | null = null;
    http = await startFakeCarrier((request) => {
      const reply = twilio.handle(request);
      const acceptedCall = request.method === "POST" && request.path.endsWith("/Calls.json") && reply !== "hang" && reply !== "drop" && reply.status === 201;
      if (!acceptedCall || killed) return reply;
      // Accepted (the fake keeps it), and the server dies before it hears so.
      killed = server.kill("SIGKILL");
      return "hang";
    });
    server = await startServer({
      database,
      env: {
        SERVE_PAGES: "false",
        SCHEDULER_INTERVAL_MS: String(SCHEDULER_INTERVAL_MS),
        SMS_CARRIERS: "twilio",
        VOICE_CARRIERS: "twilio",
        TWILIO_ACCOUNT_SID: TWILIO_SID,
        TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
        TWILIO_FROM: "+14155550100",
        TWILIO_API_BASE_URL: http.url,
        TWILIO_TIMEOUT_MS: "5000",
      },
    });
    const to = uniquePhone();
    const answer = await server.request("POST", "/api/v1/verifications", { json: { to, workflow: [{ channel: "voice", afterSeconds: 0 }], validFor: 600 } }).then(
      (res) => `HTTP ${res.status}`,
      () => "no answer",
    );
    expect(answer, "the server died mid-request").toBe("no answer");
    await killed;
    expect(twilio.sends.map((s) => s.channel)).toEqual(["voice"]);

    // Its lease would run out after 30 s; end it now instead of waiting.
    const past = new Date(Date.now() - 1000).toISOString();
    const stepId = await withDb(server, async (db) => {
      const rows = await db.all(`SELECT id, status FROM deliveries WHERE status = 'sending'`);
      expect(rows).toHaveLength(1);
      expect(await db.run(`UPDATE deliveries SET lease_until = ? WHERE id = ?`, [past, rows[0]?.id as string])).toBe(1);
      return rows[0]?.id as string;
    });

    await server.restart();
    const deadline = Date.now() + POLL_TIMEOUT_MS;
    let row: Row | undefined;
    while (Date.now() < deadline) {
      row = (await withDb(server, (db) => db.all(`SELECT status, carrier_message_id, error_code FROM deliveries WHERE id = ?`, [stepId])))[0];
      if (row?.status === "sent") break;
      await sleep(SCHEDULER_INTERVAL_MS);
    }
    await sleep(QUIET_MS);
    expect(row).toMatchObject({ status: "sent", carrier_message_id: twilio.sends[0]?.id, error_code: null });
    expect(twilio.problems).toEqual([]);
    expect(twilio.sends, "exactly one call reached the carrier").toHaveLength(1);
  });
});
