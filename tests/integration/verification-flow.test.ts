/**
 * The native API's verification lifecycle over real HTTP against the real server process, on SQLite
 * and on PostgreSQL: create, read the code from the sandbox, check, cancel, approve, resend, idempotency.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Json } from "../helpers/http.ts";
import { errorCode, latestCode, sentMessages, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

const variants = await databaseVariants();

describeEachDatabase(variants, "verification lifecycle", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ database });
  });
  afterAll(() => server?.stop());

  async function create(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Json> {
    const res = await server.request("POST", "/api/v1/verifications", { json: body, headers });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  it("create → code from the sandbox → wrong code → right code → used code", async () => {
    const to = uniquePhone();
    const created = await create({ to, maxAttempts: 3 });
    expect(created).toMatchObject({ to, status: "pending", codeLength: 6, attempts: 0, attemptsLeft: 3, maxAttempts: 3, purpose: "verify" });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    const code = await latestCode(server.request, to);
    expect(code).toMatch(/^[0-9]{6}$/);
    const wrongCode = code === "000000" ? "111111" : "000000";

    const wrong = await server.request("POST", `/api/v1/verifications/${created.id}/check`, { json: { code: wrongCode } });
    expect(wrong.status).toBe(200);
    expect(wrong.body).toEqual({ valid: false, status: "pending", attemptsLeft: 2 });

    const right = await server.request("POST", `/api/v1/verifications/${created.id}/check`, { json: { code } });
    expect(right.status).toBe(200);
    expect(right.body).toEqual({ valid: true, status: "approved", attemptsLeft: 0 });

    const again = await server.request("POST", `/api/v1/verifications/${created.id}/check`, { json: { code } });
    expect(again.status).toBe(404);
    expect(errorCode(again.body)).toBe("verification_not_found");

    const read = await server.request("GET", `/api/v1/verifications/${created.id}`);
    expect(read.status).toBe(200);
    // The engine counts every check that reached a code comparison, the right one included.
    expect(read.body).toMatchObject({ id: created.id, status: "approved", attempts: 2, attemptsLeft: 0 });
    expect(read.body.finishedAt).toEqual(expect.any(String));
  });

  it("never returns the code: not on create, read, check or resend", async () => {
    const to = uniquePhone();
    const created = await create({ to, codeLength: 8 });
    const code = await latestCode(server.request, to);
    expect(code).toHaveLength(8);
    const responses = [
      JSON.stringify(created),
      (await server.request("GET", `/api/v1/verifications/${created.id}`)).text,
      (await server.request("POST", `/api/v1/verifications/${created.id}/resend`)).text,
      (await server.request("POST", `/api/v1/verifications/${created.id}/check`, { json: { code: "00000000" } })).text,
    ];
    for (const text of responses) {
      expect(text).not.toContain(code);
      expect(text).not.toMatch(/"code(Hash|Sealed)?"/);
    }
  });

  it("a GET of an unknown or malformed id is 404 verification_not_found", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-an-id", "1'%20OR%20'1'='1"]) {
      const res = await server.request("GET", `/api/v1/verifications/${id}`);
      expect(res.status).toBe(404);
      expect(errorCode(res.body)).toBe("verification_not_found");
    }
  });

  it("wrong-format codes (number, array, null, wrong length) use no attempt", async () => {
    const to = uniquePhone();
    const created = await create({ to });
    for (const code of [123456, ["123456"], null, { code: "1" }, "12345", "abcdef"]) {
      const res = await server.request("POST", `/api/v1/verifications/${created.id}/check`, { json: { code } });
      expect(res.status, JSON.stringify(code)).toBe(400);
      expect(errorCode(res.body)).toBe("invalid_request");
      expect(res.body.error?.details?.[0]?.path).toBe("code");
    }
    const read = await server.request("GET", `/api/v1/verifications/${created.id}`);
    expect(read.body).toMatchObject({ attempts: 0, attemptsLeft: 5, status: "pending" });
  });

  it("an Idempotency-Key replays the first result and sends once; another body under it is 422", async () => {
    const to = uniquePhone();
    const key = `idem-${to}`;
    const first = await server.request("POST", "/api/v1/verifications", { json: { to }, headers: { "idempotency-key": key } });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();

    const second = await server.request("POST", "/api/v1/verifications", { json: { to }, headers: { "idempotency-key": key } });
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body.id).toBe(first.body.id);
    expect(await sentMessages(server.request, to)).toHaveLength(1);

    const other = await server.request("POST", "/api/v1/verifications", { json: { to, codeLength: 8 }, headers: { "idempotency-key": key } });
    expect(other.status).toBe(422);
    expect(errorCode(other.body)).toBe("idempotency_key_reused");
    expect(await sentMessages(server.request, to)).toHaveLength(1);
  });

  it("an Idempotency-Key longer than 255 characters is 400 and sends nothing", async () => {
    const to = uniquePhone();
    const res = await server.request("POST", "/api/v1/verifications", { json: { to }, headers: { "idempotency-key": "k".repeat(256) } });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("invalid_request");
    expect(await sentMessages(server.request, to)).toHaveLength(0);
  });

  it("cancel within 30 s is 409 cancel_too_early with Retry-After, and the verification stays pending", async () => {
    const created = await create({ to: uniquePhone() });
    const res = await server.request("POST", `/api/v1/verifications/${created.id}/cancel`);
    expect(res.status).toBe(409);
    expect(errorCode(res.body)).toBe("cancel_too_early");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await server.request("GET", `/api/v1/verifications/${created.id}`)).body.status).toBe("pending");
  });

  it("approve marks it approved; afterwards it cannot be checked or approved again", async () => {
    const to = uniquePhone();
    const created = await create({ to });
    const res = await server.request("POST", `/api/v1/verifications/${created.id}/approve`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, status: "approved" });
    const code = await latestCode(server.request, to);
    const check = await server.request("POST", `/api/v1/verifications/${created.id}/check`, { json: { code } });
    expect(check.status).toBe(404);
    expect(errorCode(check.body)).toBe("verification_not_found");
    expect((await server.request("POST", `/api/v1/verifications/${created.id}/approve`)).status).toBe(404);
  });

  it("resend sends a second message with the same code, which still checks", async () => {
    const to = uniquePhone();
    const created = await create({ to });
    const first = await latestCode(server.request, to);
    const res = await server.request("POST", `/api/v1/verifications/${created.id}/resend`, { json: {} });
    expect(res.status).toBe(200);
    expect(res.body.sends).toBe(2);
    const messages = await sentMessages(server.request, to);
    expect(messages).toHaveLength(2);
    expect(await latestCode(server.request, to)).toBe(first);
    const check = await server.request("POST", `/api/v1/verifications/${created.id}/check`, { json: { code: first } });
    expect(check.body).toMatchObject({ valid: true, status: "approved" });
  });

  it("resend of an unknown id is 404 and of a bad channel is 400", async () => {
    const created = await create({ to: uniquePhone() });
    const unknown = await server.request("POST", "/api/v1/verifications/00000000-0000-4000-8000-000000000000/resend");
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown.body)).toBe("verification_not_found");
    const bad = await server.request("POST", `/api/v1/verifications/${created.id}/resend`, { json: { channel: "fax" } });
    expect(bad.status).toBe(400);
    expect(errorCode(bad.body)).toBe("invalid_request");
  });

  it("the sandbox endpoint accepts a formatted number and limits results", async () => {
    const to = uniquePhone();
    const created = await create({ to });
    await server.request("POST", `/api/v1/verifications/${created.id}/resend`);
    const formatted = `+1 (${to.slice(2, 5)}) ${to.slice(5, 8)}-${to.slice(8)}`;
    const res = await server.request<{ messages: { to: string; direction: string }[] }>(
      "GET",
      `/api/v1/sandbox/messages?to=${encodeURIComponent(formatted)}&limit=1`,
    );
    expect(res.status).toBe(200);
    expect(res.body.messages).toHaveLength(1);
    expect(res.body.messages[0]).toMatchObject({ to, direction: "outbound" });
  });
});
