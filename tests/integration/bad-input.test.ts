/**
 * Security checklist item 36: malformed input is refused with 400 (or 413/415) and has no side effect —
 * no verification, no message to the number, no attempt used — on SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { rawRequest } from "../helpers/http.ts";
import { errorCode, sentMessages, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

const variants = await databaseVariants();

describeEachDatabase(variants, "bad input", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ database });
  });
  afterAll(() => server?.stop());

  async function expectNothingSentTo(to: string): Promise<void> {
    expect(await sentMessages(server.request, to)).toEqual([]);
  }

  it("malformed JSON is 400 invalid_json", async () => {
    const to = uniquePhone();
    const res = await server.request("POST", "/api/v1/verifications", { body: `{"to":"${to}",`, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("invalid_json");
    await expectNothingSentTo(to);
  });

  it("a body that is not application/json is 415", async () => {
    const to = uniquePhone();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await server.request("POST", "/api/v1/verifications", { body: JSON.stringify({ to }), headers: { "content-type": type } });
      expect(res.status, type).toBe(415);
      expect(errorCode(res.body)).toBe("unsupported_media_type");
    }
    await expectNothingSentTo(to);
  });

  it("a 64 KB body is 413 payload_too_large (declared and streamed)", async () => {
    const to = uniquePhone();
    const big = JSON.stringify({ to, template: "x".repeat(64 * 1024) });
    const declared = await server.request("POST", "/api/v1/verifications", { body: big, headers: { "content-type": "application/json" } });
    expect(declared.status).toBe(413);
    expect(errorCode(declared.body)).toBe("payload_too_large");

    const streamed = await rawRequest(server.url, {
      method: "POST",
      path: "/api/v1/verifications",
      headers: { authorization: `Bearer ${server.key}`, "content-type": "application/json" },
      chunks: Array.from({ length: 16 }, (_, i) => big.slice(i * 4096, (i + 1) * 4096)).concat(big.slice(16 * 4096)),
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.text).error.code).toBe("payload_too_large");
    expect((await server.request("GET", "/healthz")).status).toBe(200);
    await expectNothingSentTo(to);
  });

  it.each([
    ["letters", "abc"],
    ["country code only", "+1"],
    ["full-width digits", "+１２１２５５５０１００"],
    ["Arabic-Indic digits", "+١٢١٢٥٥٥٠١٠٠"],
    ["too long", `+1212555010${"0".repeat(40)}`],
    ["no country code", "2125550100"],
    ["an SQL injection after a valid number", "+12125550100'; DROP TABLE verifications;--"],
    ["an SQL injection", "' OR '1'='1"],
    ["a JSON injection", '+12125550100","to":"+12125550101'],
    ["an empty string", ""],
  ])("a `to` with %s is 400 and sends nothing", async (_name, to) => {
    const res = await server.request("POST", "/api/v1/verifications", { json: { to } });
    expect(res.status).toBe(400);
    expect(["invalid_phone_number", "invalid_request"]).toContain(errorCode(res.body));
    await expectNothingSentTo("+12125550100");
    await expectNothingSentTo("+12125550101");
  });

  it("exact codes: letters and unicode digits are invalid_phone_number, a wrong type is invalid_request", async () => {
    for (const to of ["abc", "+1", "+１２１２５５５０１００"]) {
      const res = await server.request("POST", "/api/v1/verifications", { json: { to } });
      expect(errorCode(res.body), to).toBe("invalid_phone_number");
    }
    for (const to of [12125550100, null, ["+12125550100"], { number: "+12125550100" }]) {
      const res = await server.request("POST", "/api/v1/verifications", { json: { to } });
      expect(res.status).toBe(400);
      expect(errorCode(res.body)).toBe("invalid_request");
      expect(res.body.error?.details).toEqual([expect.objectContaining({ path: "to" })]);
    }
    await expectNothingSentTo("+12125550100");
  });

  it("spaces around a number are trimmed: it is accepted and stored as E.164", async () => {
    const to = uniquePhone();
    const res = await server.request("POST", "/api/v1/verifications", { json: { to: `  ${to} ` } });
    expect(res.status).toBe(201);
    expect(res.body.to).toBe(to);
    expect(await sentMessages(server.request, to)).toHaveLength(1);
  });

  it.each([
    ["codeLength 3", { codeLength: 3 }, "codeLength"],
    ["codeLength 21", { codeLength: 21 }, "codeLength"],
    ["codeLength 6.5", { codeLength: 6.5 }, "codeLength"],
    ["codeLength as a string", { codeLength: "6" }, "codeLength"],
    ["validFor 604801", { validFor: 604801 }, "validFor"],
    ["validFor -1", { validFor: -1 }, "validFor"],
    ["maxAttempts 0", { maxAttempts: 0 }, "maxAttempts"],
    ["maxAttempts 21", { maxAttempts: 21 }, "maxAttempts"],
    ["channel fax", { channel: "fax" }, "channel"],
    ["an unknown field", { color: "blue" }, "color"],
    ["a prototype key", JSON.parse('{"__proto__":{"admin":true}}') as Record<string, unknown>, "__proto__"],
    ["purpose with capitals", { purpose: "Login" }, "purpose"],
    ["a code of 3 characters", { code: "123" }, "code"],
  ])("%s is 400 invalid_request naming the field, and sends nothing", async (_name, fields, path) => {
    const to = uniquePhone();
    const res = await server.request("POST", "/api/v1/verifications", { json: { to, ...fields } });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("invalid_request");
    expect(res.body.error?.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    await expectNothingSentTo(to);
  });

  it("a JSON value that is not an object is 400 invalid_request", async () => {
    for (const body of ['"+12125550100"', "[]", "null", "42"]) {
      const res = await server.request("POST", "/api/v1/verifications", { body, headers: { "content-type": "application/json" } });
      expect(res.status, body).toBe(400);
      expect(errorCode(res.body)).toBe("invalid_request");
    }
    await expectNothingSentTo("+12125550100");
  });

  it("a check with a malformed code uses no attempt", async () => {
    const to = uniquePhone();
    const created = await server.request("POST", "/api/v1/verifications", { json: { to } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    for (const code of [123456, ["123456"], null, "", "1234567", "12 34 56x", "'; DROP TABLE verifications;--"]) {
      const res = await server.request("POST", `/api/v1/verifications/${id}/check`, { json: { code } });
      expect(res.status, JSON.stringify(code)).toBe(400);
      expect(errorCode(res.body)).toBe("invalid_request");
    }
    for (const body of ['{"code":', '{"code": 012345}']) {
      const malformed = await server.request("POST", `/api/v1/verifications/${id}/check`, { body, headers: { "content-type": "application/json" } });
      expect(malformed.status, body).toBe(400);
      expect(errorCode(malformed.body)).toBe("invalid_json");
    }
    const read = await server.request("GET", `/api/v1/verifications/${id}`);
    expect(read.body).toMatchObject({ attempts: 0, attemptsLeft: 5, status: "pending" });
  });

  it("a sandbox query with a bad number or limit is 400", async () => {
    for (const to of ["abc", "+1", "+１２１２５５５０１００"]) {
      const res = await server.request("GET", `/api/v1/sandbox/messages?to=${encodeURIComponent(to)}`);
      expect(res.status).toBe(400);
      expect(errorCode(res.body)).toBe("invalid_phone_number");
    }
    const missing = await server.request("GET", "/api/v1/sandbox/messages");
    expect(errorCode(missing.body)).toBe("invalid_request");
    for (const limit of ["0", "101", "x"]) {
      const res = await server.request("GET", `/api/v1/sandbox/messages?to=%2B12125550100&limit=${limit}`);
      expect(res.status).toBe(400);
      expect(errorCode(res.body)).toBe("invalid_request");
    }
  });
});
