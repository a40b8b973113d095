/**
 * Issue 13, test numbers against a real production server process: listed (masked) in the boot log; the
 * native API, the four vendor-compatible APIs and sign-in send nothing to them and accept the configured code;
 * every use is logged (masked) and shown on /owner; the code is never in a response or a log line. A
 * configuration with a bad entry is refused at boot. Sign-in and /owner need the production build.
 * @see server/verification/test-numbers.ts
 */
import crypto from "node:crypto";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRODUCTION_WITH_SANDBOX, productionBuilt, startServer, type TestServer } from "../helpers/server.ts";
import { socketTools } from "../helpers/sockets.ts";

const built = productionBuilt();

const TEST = "+12125550100";
const SIGN_IN_TEST = "+12125550101";
const CODE = "907314";
const SIGN_IN_CODE = "480261";
const OWNER = "+12125559101";
const VALID_UNTIL = new Date(Date.now() + 30 * 86_400_000).toISOString();

describe.skipIf(!built)("test numbers on a production server", () => {
  let server: TestServer;
  const { sandbox, signIn } = socketTools(() => server, { origin: "https://app.example.com", phone: () => OWNER });

  beforeAll(async () => {
    server = await startServer({
      env: {
        ...PRODUCTION_WITH_SANDBOX,
        LOG_LEVEL: "info",
        OWNER_PHONES: OWNER,
        TEST_NUMBERS: `${TEST}=${CODE},${SIGN_IN_TEST}=${SIGN_IN_CODE}`,
        TEST_NUMBERS_VALID_UNTIL: VALID_UNTIL,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("lists them masked in the boot log, without their codes", () => {
    const boot = server.stdout().split("\n").find((line) => line.includes("test number(s) active until"));
    expect(JSON.parse(boot ?? "{}")).toMatchObject({ level: 40, testNumbers: ["+1•••••••100", "+1•••••••101"] });
  });

  it("sends nothing through the native API and the Twilio-compatible API; a wrong code counts, the configured one approves", async () => {
    const created = await server.request("POST", "/api/v1/verifications", { json: { to: TEST } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ testNumber: true, codeLength: 6, deliveries: [{ status: "sent", carrier: "test-number" }] });
    expect(created.text).not.toContain(CODE);
    const id = created.body.id as string;
    expect((await server.request("POST", `/api/v1/verifications/${id}/check`, { json: { code: "000000" } })).body).toMatchObject({ valid: false, attemptsLeft: 4 });
    expect((await server.request("POST", `/api/v1/verifications/${id}/check`, { json: { code: CODE } })).body).toMatchObject({ valid: true, status: "approved" });

    const client = twilio(`AC${"0".repeat(32)}`, server.key);
    client.verify.baseUrl = `${server.url}/compat/twilio`;
    const service = await client.verify.v2.services.create({ friendlyName: "Review" });
    const started = await client.verify.v2.services(service.sid).verifications.create({ to: TEST, channel: "sms" });
    expect(started.status).toBe("pending");
    const checked = await client.verify.v2.services(service.sid).verificationChecks.create({ to: TEST, code: CODE });
    expect(checked.status).toBe("approved");
    expect(await sandbox(TEST)).toEqual([]);
  });

  it("sends nothing through the Vonage-, Textmagic- and SignalWire-compatible APIs; the configured code approves", async () => {
    const post = async (path: string, body: unknown, headers: Record<string, string>, method = "POST") => {
      const res = await fetch(`${server.url}/compat${path}`, { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
      const text = await res.text();
      expect(text).not.toContain(CODE);
      return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> | null };
    };
    const basic = (user: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${server.key}`).toString("base64")}` });

    const vonage = await post("/vonage/v2/verify", { brand: "Review", workflow: [{ channel: "sms", to: TEST.slice(1) }] }, basic("abcd1234"));
    expect(vonage.status).toBe(202);
    expect((await post(`/vonage/v2/verify/${vonage.body?.request_id as string}`, { code: CODE }, basic("abcd1234"))).body).toMatchObject({ status: "completed" });

    const textmagicAuth = { "x-tm-username": "reviewer", "x-tm-key": server.key };
    const textmagic = await post("/textmagic/api/v2/verify", { phone: TEST, brand: "Review", codeLength: 6 }, textmagicAuth);
    expect(textmagic.status).toBe(201);
    expect((await post("/textmagic/api/v2/verify", { code: Number(CODE), verifyId: textmagic.body?.verifyId }, textmagicAuth, "PUT")).status).toBe(204);

    const signalwire = await post("/signalwire/api/relay/rest/mfa/sms", { to: TEST }, basic(crypto.randomUUID()));
    expect(signalwire.status).toBe(200);
    expect((await post(`/signalwire/api/relay/rest/mfa/${signalwire.body?.id as string}/verify`, { token: CODE }, basic(crypto.randomUUID()))).body).toEqual({ success: true });
    expect(await sandbox(TEST)).toEqual([]);
  });

  it("signs in with the configured code, and nothing is sent", async () => {
    const { call } = await signIn(SIGN_IN_TEST, SIGN_IN_CODE);
    const session = (await (await call("/api/auth/session")).json()) as { user?: { phone?: string } };
    expect(session.user?.phone).toBe(SIGN_IN_TEST);
    expect(await sandbox(SIGN_IN_TEST)).toEqual([]);
  });

  it("shows them and their recent uses on /owner, and logs each use masked, never a code", async () => {
    const owner = await signIn(OWNER);
    const res = await owner.call("/api/owner/test-numbers");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(CODE);
    expect(text).not.toContain(SIGN_IN_CODE);
    const body = JSON.parse(text) as { active: boolean; validUntil: string; numbers: string[]; uses: { to: string; surface: string; status: string; testNumber: boolean }[] };
    expect(body).toMatchObject({ active: true, validUntil: VALID_UNTIL, numbers: ["+1•••••••100", "+1•••••••101"] });
    expect(body.uses.map((u) => [u.surface, u.status, u.to, u.testNumber])).toEqual([
      ["auth", "approved", "+1•••••••101", true],
      ["signalwire", "approved", "+1•••••••100", true],
      ["textmagic", "approved", "+1•••••••100", true],
      ["vonage", "approved", "+1•••••••100", true],
      ["twilio", "approved", "+1•••••••100", true],
      ["native", "approved", "+1•••••••100", true],
    ]);
    const page = await owner.call("/owner");
    expect(page.status).toBe(200);

    const logs = server.stdout();
    expect(logs).toContain('"testNumber":"+1•••••••100"');
    expect(logs).toContain("test number: nothing sent, the configured code checks");
    expect(logs).toContain("test number: the configured code was checked and approved");
    expect(logs).not.toContain(CODE);
    expect(logs).not.toContain(SIGN_IN_CODE);
    expect(logs).not.toContain(TEST);
    const anonymous = await fetch(`${server.url}/api/owner/test-numbers`);
    expect(anonymous.status).toBe(401);
  });
});

describe("test numbers refused at boot", () => {
  it("names every bad entry and starts nothing", async () => {
    const started = startServer({
      env: {
        TEST_NUMBERS: "+15555550100=907314,+445612345678=907314,+12125550100=12,+12125550100=907314",
        TEST_NUMBERS_VALID_UNTIL: "2020-01-01",
      },
    });
    const error = (await started.then(
      () => null,
      (e: unknown) => e as Error,
    )) as Error;
    expect(error?.message).toMatch(/The server exited \(1\) before \/healthz answered/);
    for (const problem of [
      "TEST_NUMBERS entry 1 (+15555550100): not a valid phone number by lib/phone.ts",
      "TEST_NUMBERS entry 2 (+445612345678): Codes are not sent to VoIP numbers",
      "TEST_NUMBERS entry 3 (+12125550100): the code must be 4 to 20 digits",
      "TEST_NUMBERS entry 4 (+12125550100): repeats entry 3",
      "TEST_NUMBERS_VALID_UNTIL: 2020-01-02T00:00:00.000Z is in the past",
    ]) {
      expect(error.message).toContain(problem);
    }
    expect(error.message).not.toContain("907314");
  }, 60_000);
});
