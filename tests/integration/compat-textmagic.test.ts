/**
 * The Textmagic Verify compatible API (/compat/textmagic), driven by the official textmagic-client
 * 2.0.23575 (the last version with the verify methods) against a real server on SQLite and PostgreSQL.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, expect, it } from "vitest";
import { international, latestCode, PREMIUM_RATE_PHONE, sentMessages, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

/** The part of textgate-client's (untyped, CommonJS) surface these tests use. */
interface TextmagicApi {
  sendPhoneVerificationCodeTFA(input: Record<string, unknown>): Promise<{ verifyId: string; price: number }>;
  checkPhoneVerificationCodeTFA(input: Record<string, unknown>): Promise<unknown>;
  cancelVerification(verifyId: string): Promise<unknown>;
}
interface TextmagicModule {
  ApiClient: new () => { basePath: string; authentications: { BasicAuth: { username?: string; password?: string } } };
  TextMagicApi: new (client: unknown) => TextmagicApi;
}
const textmagic = createRequire(import.meta.url)("textmagic-client") as TextmagicModule;

const variants = await databaseVariants();

function apiFor(server: TestServer, key = server.key): TextmagicApi {
  const client = new textmagic.ApiClient();
  client.basePath = `${server.url}/compat/textmagic`;
  client.authentications.BasicAuth.username = "tester";
  client.authentications.BasicAuth.password = key;
  return new textmagic.TextMagicApi(client);
}

async function failure(promise: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; response?: { body: Record<string, unknown> } };
    return { status: e.status, body: e.response?.body ?? {} };
  }
  throw new Error("expected the call to fail");
}
const wrong = (code: string) => (code === "0".repeat(code.length) ? "1".repeat(code.length) : "0".repeat(code.length));

describeEachDatabase(variants, "Textmagic Verify compat", (database) => {
  let server: TestServer;
  let api: TextmagicApi;
  beforeAll(async () => {
    server = await startServer({ database, env: { COMPAT_TEXTMAGIC_PRICE: "0.05" } });
    api = apiFor(server);
  });
  afterAll(() => server?.stop());

  it("send → wrong code (400) → right code (204) → reuse (404); the native API sees it", async () => {
    const phone = uniquePhone();
    const sent = await api.sendPhoneVerificationCodeTFA({ phone: international(phone), brand: "Acme", codeLength: 4, workflowId: 6 });
    expect(sent).toEqual({ verifyId: expect.stringMatching(/^[0-9a-f-]{36}$/), price: 0.05 });
    const code = await latestCode(server.request, phone);
    expect(code).toMatch(/^[0-9]{4}$/);
    expect((await sentMessages(server.request, phone))[0]?.body).toContain("Acme");
    const native = await server.request("GET", `/api/v1/verifications/${sent.verifyId}`);
    expect(native.body).toMatchObject({ status: "pending", workflowPreset: 6, codeLength: 4, validFor: 300, purpose: "textmagic" });

    const bad = await failure(api.checkPhoneVerificationCodeTFA({ code: Number(wrong(code)), verifyId: sent.verifyId }));
    expect(bad).toEqual({ status: 400, body: { code: 400, message: "Wrong verification code", errors: { common: [], fields: { code: ["The verification code is not valid."] } } } });
    // The client sends the code as a Number; leading zeros are restored from the code length.
    const ok = await fetch(`${server.url}/compat/textmagic/api/v2/verify`, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-tm-username": "tester", "x-tm-key": server.key },
      body: JSON.stringify({ code: Number(code), verifyId: sent.verifyId }),
    });
    expect(ok.status).toBe(204);
    expect(await failure(api.checkPhoneVerificationCodeTFA({ code: Number(code), verifyId: sent.verifyId }))).toEqual({
      status: 404,
      body: { code: 404, message: "Verification not found" },
    });
    expect((await server.request("GET", `/api/v1/verifications/${sent.verifyId}`)).body).toMatchObject({ status: "approved" });
  });

  it("workflow 1 is SMS → TTS → TTS; language and local numbers with country work; senderId is the sender", async () => {
    const phone = uniquePhone();
    const sent = await api.sendPhoneVerificationCodeTFA({ phone: phone.slice(2), country: "US", brand: "Acme", codeLength: 6, language: "fr-fr", senderId: "Acme" });
    const native = await server.request<{ workflow: unknown[] }>("GET", `/api/v1/verifications/${sent.verifyId}`);
    expect(native.body.workflow).toEqual([
      { channel: "sms", afterSeconds: 0 },
      { channel: "voice", afterSeconds: 60 },
      { channel: "voice", afterSeconds: 60 },
    ]);
    const [message] = await sentMessages(server.request, phone);
    expect(message?.body).toMatch(/^Votre code de vérification Acme est ([0-9]{6})\. Valable 5 min\.\n@[^ ]+ #\1$/);
    expect(message?.from).toBe("Acme");
  });

  it("bad parameters are 400 with Textmagic's field errors", async () => {
    const phone = uniquePhone();
    for (const [input, field] of [
      [{ phone, brand: "Acme", codeLength: 5 }, "codeLength"],
      [{ phone, brand: "x".repeat(19), codeLength: 4 }, "brand"],
      [{ phone, codeLength: 4 }, "brand"],
      [{ phone, brand: "Acme", codeLength: 4, workflowId: 8 }, "workflowId"],
      [{ phone, brand: "Acme", codeLength: 4, language: "xx-xx" }, "language"],
      [{ phone: "+15550000000", brand: "Acme", codeLength: 4 }, "phone"],
    ] as const) {
      const res = await failure(api.sendPhoneVerificationCodeTFA(input));
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.body).toMatchObject({ code: 400, message: "Validation Failed", errors: { fields: { [field]: [expect.any(String)] } } });
    }
  });

  it("takes Textmagic's own example, 447860021130 (international digits without +), and the same number with +", async () => {
    // @see issue 10 item 10: this answered 400 "not a valid phone number".
    const sent = await api.sendPhoneVerificationCodeTFA({ phone: "447860021130", brand: "Acme", codeLength: 4, workflowId: 6 });
    expect((await server.request("GET", `/api/v1/verifications/${sent.verifyId}`)).body).toMatchObject({ to: "+447860021130", status: "pending" });
    expect(await latestCode(server.request, "+447860021130")).toMatch(/^[0-9]{4}$/);
    const plus = await api.sendPhoneVerificationCodeTFA({ phone: "+447860021130", brand: "Acme", codeLength: 4, workflowId: 6 });
    expect((await server.request("GET", `/api/v1/verifications/${plus.verifyId}`)).body).toMatchObject({ to: "+447860021130" });
  });

  it("a premium-rate number is 400 with a phone field error, and nothing is sent", async () => {
    const res = await failure(api.sendPhoneVerificationCodeTFA({ phone: PREMIUM_RATE_PHONE, brand: "Acme", codeLength: 4 }));
    expect(res).toMatchObject({ status: 400, body: { message: "Validation Failed", errors: { fields: { phone: [expect.stringContaining("premium-rate")] } } } });
    expect(await sentMessages(server.request, PREMIUM_RATE_PHONE)).toEqual([]);
  });

  it("cancel is refused in the first 30 seconds, unknown ids are 404", async () => {
    const phone = uniquePhone();
    const sent = await api.sendPhoneVerificationCodeTFA({ phone: international(phone), brand: "Acme", codeLength: 6 });
    const early = await failure(api.cancelVerification(sent.verifyId));
    expect(early.status).toBe(400);
    expect(early.body.message).toMatch(/30 seconds/);
    expect(await failure(api.cancelVerification("00000000-0000-4000-8000-000000000000"))).toMatchObject({ status: 404 });
    expect((await server.request("GET", `/api/v1/verifications/${sent.verifyId}`)).body).toMatchObject({ status: "pending" });
  });

  it("wrong credentials are 401 (Basic and X-TM headers)", async () => {
    expect(await failure(apiFor(server, "wrong").sendPhoneVerificationCodeTFA({ phone: uniquePhone(), brand: "Acme", codeLength: 4 }))).toEqual({
      status: 401,
      body: { code: 401, message: "Unauthorized" },
    });
    const res = await fetch(`${server.url}/compat/textmagic/api/v2/verify/00000000-0000-4000-8000-000000000000`, {
      method: "DELETE",
      headers: { "x-tm-username": "tester", "x-tm-key": "tg_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
    });
    expect(res.status).toBe(401);
  });
});

describeEachDatabase(variants, "Textmagic Verify compat: expiry and cancel", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ database, env: { COMPAT_TEXTMAGIC_VALID_FOR_SECONDS: "2", CANCEL_MIN_AGE_SECONDS: "1" } });
  });
  afterAll(() => server?.stop());

  it("an expired verification is 404 on check", async () => {
    const api = apiFor(server);
    const phone = uniquePhone();
    const sent = await api.sendPhoneVerificationCodeTFA({ phone: international(phone), brand: "Acme", codeLength: 6, workflowId: 6 });
    const code = await latestCode(server.request, phone);
    await new Promise((r) => setTimeout(r, 2300));
    expect(await failure(api.checkPhoneVerificationCodeTFA({ code, verifyId: sent.verifyId }))).toMatchObject({ status: 404 });
  });

  it("cancels once the minimum age has passed (204), after which the code is refused", async () => {
    const api = apiFor(server);
    const phone = uniquePhone();
    const sent = await api.sendPhoneVerificationCodeTFA({ phone: international(phone), brand: "Acme", codeLength: 6, workflowId: 6 });
    const code = await latestCode(server.request, phone);
    expect(await failure(api.cancelVerification(sent.verifyId))).toMatchObject({ status: 400 });
    await new Promise((r) => setTimeout(r, 1100));
    await api.cancelVerification(sent.verifyId);
    expect(await failure(api.checkPhoneVerificationCodeTFA({ code, verifyId: sent.verifyId }))).toMatchObject({ status: 404 });
  });
});
