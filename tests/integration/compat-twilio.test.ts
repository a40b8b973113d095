/**
 * The Twilio Verify v2 compatible API (/compat/twilio), driven by the official `twilio` client pointed at
 * a real server process, on SQLite and PostgreSQL.
 */
import crypto from "node:crypto";
import twilio from "twilio";
import { afterAll, beforeAll, expect, it } from "vitest";
import { latestCode, PREMIUM_RATE_PHONE, sentMessages, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

const variants = await databaseVariants();
const ACCOUNT_SID = `AC${crypto.randomBytes(16).toString("hex")}`;

type TwilioClient = ReturnType<typeof twilio>;

function clientFor(server: TestServer, token = server.key, accountSid = ACCOUNT_SID): TwilioClient {
  const client = twilio(accountSid, token);
  client.verify.baseUrl = `${server.url}/compat/twilio`;
  return client;
}

/** The RestException a client call rejects with, as plain fields. */
async function failure(promise: Promise<unknown>): Promise<{ status: number; code: number; message: string; moreInfo: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; code: number; message: string; moreInfo: string };
    return { status: e.status, code: e.code, message: e.message, moreInfo: e.moreInfo };
  }
  throw new Error("expected the call to fail");
}

const uuidOf = (sid: string) => sid.slice(2).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
const other = (code: string) => (code === "0".repeat(code.length) ? "1".repeat(code.length) : "0".repeat(code.length));

describeEachDatabase(variants, "Twilio Verify compat", (database) => {
  let server: TestServer;
  let client: TwilioClient;
  let serviceSid: string;

  beforeAll(async () => {
    // Twilio's documented send limit: 5 per number per 10 minutes.
    server = await startServer({ database, env: { SEND_LIMIT_PER_NUMBER: "5", SEND_LIMIT_WINDOW_SECONDS: "600" } });
    client = clientFor(server);
    const service = await client.verify.v2.services.create({ friendlyName: "Acme" });
    serviceSid = service.sid;
  });
  afterAll(() => server?.stop());

  const verifications = () => client.verify.v2.services(serviceSid).verifications;
  const check = (params: { to?: string; verificationSid?: string; code: string }) =>
    client.verify.v2.services(serviceSid).verificationChecks.create(params);

  it("creates, fetches, lists and updates a Service", async () => {
    const created = await client.verify.v2.services.create({ friendlyName: "Shop", codeLength: 8, customCodeEnabled: true });
    expect(created.sid).toMatch(/^VA[0-9a-f]{32}$/);
    expect(created).toMatchObject({ accountSid: ACCOUNT_SID, friendlyName: "Shop", codeLength: 8, customCodeEnabled: true });
    const fetched = await client.verify.v2.services(created.sid).fetch();
    expect(fetched).toMatchObject({ sid: created.sid, friendlyName: "Shop", codeLength: 8 });
    const updated = await client.verify.v2.services(created.sid).update({ codeLength: 4 });
    expect(updated.codeLength).toBe(4);
    const list = await client.verify.v2.services.list();
    expect(list.map((s) => s.sid)).toContain(created.sid);
    expect(await client.verify.v2.services(created.sid).remove()).toBe(true);
    expect(await failure(client.verify.v2.services(created.sid).fetch())).toMatchObject({ status: 404, code: 20404 });
    expect(await failure(client.verify.v2.services.create({ friendlyName: "x".repeat(33) }))).toMatchObject({ status: 400, code: 60200 });
    expect(await failure(client.verify.v2.services.create({ friendlyName: "ok", codeLength: 11 }))).toMatchObject({ status: 400, code: 60200 });
  });

  it("start → wrong code (pending) → right code (approved) → reuse is 404 20404; the native API sees the same verification", async () => {
    const to = uniquePhone();
    const started = await verifications().create({ to, channel: "sms" });
    expect(started.sid).toMatch(/^VE[0-9a-f]{32}$/);
    expect(started).toMatchObject({ serviceSid, accountSid: ACCOUNT_SID, to, channel: "sms", status: "pending", valid: false });
    expect(started.sendCodeAttempts).toHaveLength(1);
    const code = await latestCode(server.request, to);
    expect(code).toMatch(/^[0-9]{6}$/);
    expect((await sentMessages(server.request, to))[0]?.body).toContain("Acme");

    const native = await server.request("GET", `/api/v1/verifications/${uuidOf(started.sid)}`);
    expect(native.status).toBe(200);
    expect(native.body).toMatchObject({ id: uuidOf(started.sid), status: "pending", purpose: `twilio:${serviceSid}`, to, maxAttempts: 5 });

    const wrong = await check({ to, code: other(code) });
    expect(wrong).toMatchObject({ sid: started.sid, status: "pending", valid: false, to, channel: "sms" });

    const fetched = await verifications().get(started.sid).fetch();
    expect(fetched).toMatchObject({ sid: started.sid, status: "pending" });

    const right = await check({ verificationSid: started.sid, code });
    expect(right).toMatchObject({ sid: started.sid, status: "approved", valid: true });

    const reuse = await failure(check({ to, code }));
    expect(reuse).toMatchObject({ status: 404, code: 20404, moreInfo: "https://www.twilio.com/docs/errors/20404" });
    expect(reuse.message).toBe(`The requested resource /Services/${serviceSid}/VerificationCheck was not found`);
    expect(await failure(verifications().get(started.sid).fetch())).toMatchObject({ status: 404, code: 20404 });

    const after = await server.request("GET", `/api/v1/verifications/${uuidOf(started.sid)}`);
    expect(after.body).toMatchObject({ status: "approved", purpose: `twilio:${serviceSid}` });
  });

  it("a second start to a number with one pending resends the same code under the same sid", async () => {
    const to = uniquePhone();
    const first = await verifications().create({ to, channel: "sms" });
    const code = await latestCode(server.request, to);
    const second = await verifications().create({ to, channel: "sms" });
    expect(second.sid).toBe(first.sid);
    expect(second.sendCodeAttempts).toHaveLength(2);
    const messages = await sentMessages(server.request, to);
    expect(messages).toHaveLength(2);
    expect(messages[0]?.body).toContain(code);
    expect((await check({ to, code })).status).toBe("approved");
  });

  it("Channel call is voice; other Twilio channels are 60223, unknown ones and bad numbers 60200", async () => {
    const to = uniquePhone();
    const call = await verifications().create({ to, channel: "call" });
    expect(call).toMatchObject({ channel: "call", status: "pending" });
    expect((await sentMessages(server.request, to))[0]?.channel).toBe("voice");

    expect(await failure(verifications().create({ to: uniquePhone(), channel: "whatsapp" }))).toMatchObject({ status: 400, code: 60223 });
    expect(await failure(verifications().create({ to: uniquePhone(), channel: "email" }))).toMatchObject({ status: 400, code: 60223 });
    expect(await failure(verifications().create({ to: uniquePhone(), channel: "fax" }))).toMatchObject({ status: 400, code: 60200 });
    expect(await failure(verifications().create({ to: "+15550000000", channel: "sms" }))).toMatchObject({ status: 400, code: 60200 });
    expect(await failure(client.verify.v2.services(`VA${"0".repeat(32)}`).verifications.create({ to: uniquePhone(), channel: "sms" }))).toMatchObject({
      status: 404,
      code: 20404,
    });
  });

  it("a premium-rate number is 403 60410 (delivery attempt blocked), and nothing is sent", async () => {
    expect(await failure(verifications().create({ to: PREMIUM_RATE_PHONE, channel: "sms" }))).toMatchObject({
      status: 403,
      code: 60410,
      message: expect.stringContaining("premium-rate"),
    });
    expect(await sentMessages(server.request, PREMIUM_RATE_PHONE)).toEqual([]);
  });

  it("CustomCode needs CustomCodeEnabled; Locale picks the language; the Service's CodeLength applies", async () => {
    const to = uniquePhone();
    expect(await failure(verifications().create({ to, channel: "sms", customCode: "4321" }))).toMatchObject({ status: 400, code: 60200 });

    const custom = await client.verify.v2.services.create({ friendlyName: "Custom", customCodeEnabled: true, codeLength: 8 });
    const svc = client.verify.v2.services(custom.sid);
    await svc.verifications.create({ to, channel: "sms", customCode: "4321" });
    expect((await sentMessages(server.request, to))[0]?.body).toContain("4321");
    expect((await svc.verificationChecks.create({ to, code: "4321" })).status).toBe("approved");

    const to2 = uniquePhone();
    await svc.verifications.create({ to: to2, channel: "sms", locale: "fr" });
    const [message] = await sentMessages(server.request, to2);
    expect(message?.body).toMatch(/^Votre code de vérification Custom est ([0-9]{8})\. Valable 10 min\.\n@[^ ]+ #\1$/);
    expect(await failure(svc.verifications.create({ to: uniquePhone(), channel: "sms", locale: "xx" }))).toMatchObject({ status: 404, code: 20404 });
  });

  it("Status=canceled and Status=approved update a pending verification at once", async () => {
    const to = uniquePhone();
    const started = await verifications().create({ to, channel: "sms" });
    const code = await latestCode(server.request, to);
    const canceled = await verifications().get(started.sid).update({ status: "canceled" });
    expect(canceled).toMatchObject({ sid: started.sid, status: "canceled" });
    expect(await failure(check({ to, code }))).toMatchObject({ status: 404, code: 20404 });
    expect(await failure(verifications().get(started.sid).update({ status: "approved" }))).toMatchObject({ status: 404, code: 20404 });

    const to2 = uniquePhone();
    const second = await verifications().create({ to: to2, channel: "sms" });
    expect(await verifications().get(second.sid).update({ status: "approved" })).toMatchObject({ status: "approved", valid: true });
    expect(await failure(verifications().get(second.sid).update({ status: "pending" as "approved" }))).toMatchObject({ status: 400, code: 60200 });
  });

  it("5 check attempts, then 60202 (429); a wrong-length code is just pending", async () => {
    const to = uniquePhone();
    const started = await verifications().create({ to, channel: "sms" });
    const code = await latestCode(server.request, to);
    expect(await check({ to, code: "12345" })).toMatchObject({ status: "pending", valid: false });
    for (let i = 1; i <= 4; i++) expect((await check({ to, code: other(code) })).status).toBe("pending");
    expect(await check({ to, code: other(code) })).toMatchObject({ status: "max_attempts_reached", valid: false });
    expect(await failure(check({ to, code }))).toMatchObject({ status: 429, code: 60202 });
    expect(await failure(check({ verificationSid: started.sid, code }))).toMatchObject({ status: 429, code: 60202 });
  });

  it("5 sends to a number in 10 minutes, then 60203 (429)", async () => {
    const to = uniquePhone();
    for (let i = 0; i < 5; i++) await verifications().create({ to, channel: "sms" });
    const limited = await failure(verifications().create({ to, channel: "sms" }));
    expect(limited).toMatchObject({ status: 429, code: 60203, message: "Max send attempts reached" });
  });

  it("wrong credentials get Twilio's 401 (20003)", async () => {
    const bad = await failure(clientFor(server, "tg_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").verify.v2.services(serviceSid).verifications.create({ to: uniquePhone(), channel: "sms" }));
    expect(bad).toMatchObject({ status: 401, code: 20003, message: "Authenticate" });
    const notAc = await fetch(`${server.url}/compat/twilio/v2/Services/${serviceSid}`, {
      headers: { authorization: `Basic ${Buffer.from(`XX${"0".repeat(32)}:${server.key}`).toString("base64")}` },
    });
    expect(notAc.status).toBe(401);
    const raw = await fetch(`${server.url}/compat/twilio/v2/Services/${serviceSid}`);
    expect(raw.status).toBe(401);
    expect(raw.headers.get("www-authenticate")).toBe('Basic realm="Twilio API"');
    expect(await raw.json()).toEqual({
      code: 20003,
      message: "Authenticate",
      detail: "Your AccountSid or AuthToken was incorrect.",
      more_info: "https://www.twilio.com/docs/errors/20003",
      status: 401,
    });
  });
});

describeEachDatabase(variants, "Twilio Verify compat: expiry", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ database, env: { COMPAT_TWILIO_VALID_FOR_SECONDS: "1" } });
  });
  afterAll(() => server?.stop());

  it("an expired verification is 404 20404 on check and fetch", async () => {
    const client = clientFor(server);
    const service = await client.verify.v2.services.create({ friendlyName: "Expiry" });
    const to = uniquePhone();
    const started = await client.verify.v2.services(service.sid).verifications.create({ to, channel: "sms" });
    const code = await latestCode(server.request, to);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await failure(client.verify.v2.services(service.sid).verificationChecks.create({ to, code }))).toMatchObject({ status: 404, code: 20404 });
    expect(await failure(client.verify.v2.services(service.sid).verifications(started.sid).fetch())).toMatchObject({ status: 404, code: 20404 });
    const native = await server.request("GET", `/api/v1/verifications/${uuidOf(started.sid)}`);
    expect(native.body).toMatchObject({ status: "expired" });
  });
});
