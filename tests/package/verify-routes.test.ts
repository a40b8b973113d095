/**
 * `createVerifyRoutes` of textgate/next-auth (server/kit/verify-routes.ts), the server side of
 * restAdapter, against a real textgate server: codes only to the signed-in user's own number, only this
 * route's verifications, within limits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTextgateClient } from "../../lib/client/index.ts";
import { createVerifyRoutes } from "../../server/kit/next-auth.ts";
import { uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const call = (route: ReturnType<typeof createVerifyRoutes>, path: string[], body: unknown, headers: Record<string, string> = {}) =>
  route.POST(new Request(`http://host.example/api/verify/${path.join("/")}`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.20", ...headers }, body: JSON.stringify(body) }), {
    params: Promise.resolve({ path }),
  });

const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

describe("createVerifyRoutes", () => {
  it("texts only the signed-in user's own number, and checks and resends only that user's verifications", async () => {
    const me = uniquePhone();
    const route = createVerifyRoutes({ textgate: { baseUrl: server.url, apiKey: server.key }, phoneOf: async (request) => request.headers.get("x-test-user") });
    const signedIn = { "x-test-user": me };

    expect(await errorOf(await call(route, ["verifications"], { to: me }))).toBe("unauthorized");
    const other = await call(route, ["verifications"], { to: uniquePhone() }, signedIn);
    expect(other.status).toBe(403);
    expect(await errorOf(other)).toBe("forbidden");

    const started = await call(route, ["verifications"], { to: me.replace("+1", ""), country: "us" }, signedIn);
    expect(started.status).toBe(200);
    const verification = (await started.json()) as { id: string; to: string; codeLength: number; attemptsLeft: number; expiresAt: string; purpose: string };
    expect(verification).toMatchObject({ to: me, purpose: "verify" });

    // Someone else signed in cannot check or resend it.
    const stranger = { "x-test-user": uniquePhone() };
    expect((await call(route, ["verifications", verification.id, "check"], { code: "123456" }, stranger)).status).toBe(404);
    expect((await call(route, ["verifications", verification.id, "resend"], {}, stranger)).status).toBe(404);

    const client = createTextgateClient({ baseUrl: server.url, apiKey: server.key });
    const [text] = await client.sandbox.messages(me, { limit: 1 });
    const code = /\b([0-9]{4,20})\b/.exec(text!.body)![1]!;
    expect((await call(route, ["verifications", verification.id, "resend"], {}, signedIn)).status).toBe(200);
    const checked = await call(route, ["verifications", verification.id, "check"], { code }, signedIn);
    expect(await checked.json()).toMatchObject({ valid: true, status: "approved" });
  });

  it("keeps other purposes' verifications out, limits per number and per IP, and refuses bad input", async () => {
    const route = createVerifyRoutes({ textgate: { baseUrl: server.url, apiKey: server.key }, limitPerNumber: 1, limitPerIp: 2 });
    const client = createTextgateClient({ baseUrl: server.url, apiKey: server.key });
    const signIn = await client.verifications.create({ to: uniquePhone(), purpose: "login" });
    expect((await call(route, ["verifications", signIn.id, "check"], { code: "123456" })).status).toBe(404);

    const phone = uniquePhone();
    expect((await call(route, ["verifications"], { to: phone }, { "x-forwarded-for": "192.0.2.50" })).status).toBe(200);
    const again = await call(route, ["verifications"], { to: phone }, { "x-forwarded-for": "192.0.2.51" });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await call(route, ["verifications"], { to: uniquePhone() }, { "x-forwarded-for": "192.0.2.50" })).status).toBe(200);
    expect((await call(route, ["verifications"], { to: uniquePhone() }, { "x-forwarded-for": "192.0.2.50" })).status).toBe(429);

    expect(await errorOf(await call(route, ["verifications"], { to: "12" }, { "x-forwarded-for": "192.0.2.60" }))).toBe("invalid_phone_number");
    expect(await errorOf(await call(route, ["verifications"], { to: uniquePhone(), purpose: "x" }, { "x-forwarded-for": "192.0.2.61" }))).toBe("invalid_request");
    expect((await call(route, ["keys"], {})).status).toBe(404);
    expect((await call(route, ["verifications", "x", "approve"], {})).status).toBe(404);
  });
});
