/**
 * `textgate/next-auth` in its in-process mode (server/kit/next-auth.ts with a Textgate of createTextgate):
 * the same entry a remote host uses, with codes, limits, users and sessions of the textgate in this
 * process. textgate's own /api/auth/sms/* routes are this mode (server/auth/sign-in-routes.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSignInError, type SmsChallenge } from "../../lib/auth/contract.ts";
import { createSmsAuthRoutes, SmsProvider } from "../../server/kit/next-auth.ts";
import { uniquePhone } from "../helpers/phones.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime("sqlite", { AUTH_START_LIMIT_PER_IP: "4", AUTH_START_LIMIT_PER_NUMBER: "2" });
});
afterAll(async () => {
  await t?.stop();
});

const request = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://host.example/api/auth/sms/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

type Authorize = (credentials: Record<string, string>, request: unknown) => Promise<{ id: string; name: string | null; phone?: string; accountExisted?: boolean } | null>;
const authorizeOf = (provider: unknown) => (provider as { options: { authorize: Authorize } }).options.authorize;

describe("textgate/next-auth, in-process mode", () => {
  it("sends codes with the options it is given and signs in (and signs up) the textgate's own users", async () => {
    const routes = createSmsAuthRoutes({ textgate: t.runtime, codeLength: 8, trustedProxies: 1 });
    const phone = uniquePhone();
    const started = await routes.start.POST(request("start", { phone }, { "x-forwarded-for": "198.51.100.1, 10.0.0.1" }));
    expect(started.status).toBe(200);
    const challenge = (await started.json()) as SmsChallenge;
    expect(challenge).toMatchObject({ to: phone, codeLength: 8, channel: "sms" });
    const config = await (await routes.config.GET(new Request("http://host.example/api/auth/sms/config"))).json();
    expect(config).toMatchObject({ codeLength: 8, sandbox: true });

    const authorize = authorizeOf(SmsProvider({ textgate: () => t.runtime }));
    const code = await t.lastCode(phone);
    expect(code).toHaveLength(8);
    const wrong = code === "00000000" ? "11111111" : "00000000";
    const failure = await authorize({ verificationId: challenge.verificationId, code: wrong }, {}).catch((e: Error) => parseSignInError(e.message));
    expect(failure).toEqual({ kind: "invalid_code", attemptsLeft: 2 });
    const user = await authorize({ verificationId: challenge.verificationId, code, name: "Ada" }, {});
    expect(user).toMatchObject({ name: "Ada", phone, accountExisted: false });
    // Single use, and the user is a row of this textgate's users: the next sign-in finds it.
    expect(await authorize({ verificationId: challenge.verificationId, code }, {}).catch((e: Error) => parseSignInError(e.message))).toEqual({ kind: "expired_or_used" });
    const second = (await (await routes.start.POST(request("start", { phone }, { "x-forwarded-for": "198.51.100.1, 10.0.0.1" }))).json()) as SmsChallenge;
    const again = await authorize({ verificationId: second.verificationId, code: await t.lastCode(phone) }, {});
    expect(again).toMatchObject({ id: user!.id, name: "Ada", accountExisted: true });
  });

  it("applies the textgate's own limits per number and per client IP, answering 429 with Retry-After", async () => {
    const routes = createSmsAuthRoutes({ textgate: t.runtime, clientIp: () => "192.0.2.50" });
    const phone = uniquePhone();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await routes.start.POST(request("start", { phone }))).status);
    expect(statuses).toEqual([200, 200, 429]);
    const others = [uniquePhone(), uniquePhone(), uniquePhone()];
    const byIp: Response[] = [];
    for (const other of others) byIp.push(await routes.start.POST(request("start", { phone: other })));
    // Four starts from 192.0.2.50 in all (AUTH_START_LIMIT_PER_IP): the one over the limit is refused.
    expect(byIp.map((r) => r.status)).toEqual([200, 429, 429]);
    const refused = byIp.at(-1)!;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: "rate_limited" } });
  });

  it("refuses bad bodies in textgate's error shape, and resends only sign-in codes", async () => {
    const routes = createSmsAuthRoutes({ textgate: t.runtime, clientIp: () => "192.0.2.60" });
    const notJson = await routes.start.POST(new Request("http://host.example/x", { method: "POST", headers: { "content-type": "text/plain" }, body: "phone" }));
    expect(notJson.status).toBe(415);
    expect(await notJson.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
    const badPhone = await routes.start.POST(request("start", { phone: "not a number" }));
    expect(badPhone.status).toBe(400);
    expect(await badPhone.json()).toMatchObject({ error: { code: "invalid_phone_number" } });
    const unknownField = await routes.start.POST(request("start", { phone: uniquePhone(), admin: true }));
    expect(unknownField.status).toBe(400);
    expect(await unknownField.json()).toMatchObject({ error: { code: "invalid_request" } });

    const { verification } = await t.runtime.engine.create({ to: uniquePhone(), purpose: "checkout" });
    const resend = await routes.resend.POST(request("resend", { verificationId: verification.id }));
    expect(resend.status).toBe(404);
    expect(await resend.json()).toMatchObject({ error: { code: "verification_not_found" } });
  });
});
