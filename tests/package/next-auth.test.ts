/**
 * `textgate/next-auth` in remote mode (server/kit/next-auth.ts) against a real textgate server: the
 * host's start/resend/config routes and the provider's authorize, as a host app runs them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseSignInError, type SmsChallenge } from "../../lib/auth/contract.ts";
import { createTextgateClient } from "../../lib/client/index.ts";
import { checkSignInCode, clientIpOf, createSmsAuthRoutes, SmsProvider } from "../../server/kit/next-auth.ts";
import { uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const post = (body: unknown, ip = "203.0.113.7") =>
  new Request("http://host.example/api/auth/sms/start", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify(body),
  });

async function codeSentTo(to: string): Promise<string> {
  const client = createTextgateClient({ baseUrl: server.url, apiKey: server.key });
  const [latest] = await client.sandbox.messages(to, { limit: 1 });
  return /\b([0-9]{4,20})\b/.exec(latest!.body)![1]!;
}

type Authorize = (credentials: Record<string, string>, request: unknown) => Promise<{ id: string; name: string | null; phone?: string } | null>;

describe("textgate/next-auth, remote mode", () => {
  it("starts a sign-in, and the provider signs in the verified number with the right code only", async () => {
    const textgate = { baseUrl: server.url, apiKey: server.key };
    const routes = createSmsAuthRoutes({ textgate, codeLength: 6 });
    const phone = uniquePhone();
    const started = await routes.start.POST(post({ phone }));
    expect(started.status).toBe(200);
    const challenge = (await started.json()) as SmsChallenge;
    expect(challenge).toMatchObject({ to: phone, codeLength: 6, channel: "sms", attemptsLeft: 3 });

    const provider = SmsProvider({ textgate, authorizeUser: async (number, { name }) => ({ id: `user-${number}`, name: name ?? null }) });
    const authorize = (provider as unknown as { options: { authorize: Authorize } }).options.authorize;
    const code = await codeSentTo(phone);
    const wrong = code === "000000" ? "111111" : "000000";
    await expect(authorize({ verificationId: challenge.verificationId, code: wrong }, {})).rejects.toThrow();
    const failure = await authorize({ verificationId: challenge.verificationId, code: wrong }, {}).catch((e: Error) => parseSignInError(e.message));
    expect(failure).toEqual({ kind: "invalid_code", attemptsLeft: 1 });
    const user = await authorize({ verificationId: challenge.verificationId, code, name: "Ada" }, {});
    expect(user).toEqual({ id: `user-${phone}`, name: "Ada", email: null, phone });
    // Single use: the same code again is refused.
    const again = await authorize({ verificationId: challenge.verificationId, code }, {}).catch((e: Error) => parseSignInError(e.message));
    expect(again).toEqual({ kind: "expired_or_used" });
  });

  it("is no open relay: per-number and per-IP limits answer 429 with Retry-After before textgate is asked", async () => {
    const routes = createSmsAuthRoutes({ textgate: { baseUrl: server.url, apiKey: server.key }, limitPerNumber: 2, limitPerIp: 3 });
    const phone = uniquePhone();
    expect((await routes.start.POST(post({ phone }, "198.51.100.1"))).status).toBe(200);
    expect((await routes.start.POST(post({ phone }, "198.51.100.2"))).status).toBe(200);
    const perNumber = await routes.start.POST(post({ phone }, "198.51.100.3"));
    expect(perNumber.status).toBe(429);
    expect(Number(perNumber.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await perNumber.json()) as { error: { code: string } }).error.code).toBe("rate_limited");

    const ip = "198.51.100.9";
    for (let i = 0; i < 3; i++) expect((await routes.start.POST(post({ phone: uniquePhone() }, ip))).status).toBe(200);
    expect((await routes.start.POST(post({ phone: uniquePhone() }, ip))).status).toBe(429);
  });

  it("answers bad input with the dictionary's codes, and passes textgate's refusals on", async () => {
    const routes = createSmsAuthRoutes({ textgate: { baseUrl: server.url, apiKey: server.key } });
    const bad = await routes.start.POST(post({ phone: "not a number" }, "192.0.2.1"));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_phone_number");
    const extra = await routes.start.POST(post({ phone: uniquePhone(), to: "+12125550100" }, "192.0.2.2"));
    expect(((await extra.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
    const notJson = await routes.start.POST(new Request("http://host.example/x", { method: "POST", headers: { "content-type": "text/plain" }, body: "phone=1" }));
    expect(notJson.status).toBe(415);
    const unknown = await routes.resend.POST(
      new Request("http://host.example/x", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ verificationId: "00000000-0000-4000-8000-000000000000" }) }),
    );
    expect(unknown.status).toBe(404);
    const down = createSmsAuthRoutes({ textgate: { baseUrl: "http://127.0.0.1:9", apiKey: "k" } });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    expect((await down.start.POST(post({ phone: uniquePhone() }, "192.0.2.3"))).status).toBe(502);
    expect(String(logged.mock.calls[0]?.[1])).toMatch(/fetch failed/);
    logged.mockRestore();
  });

  it("resends only its own sign-in verifications, and refuses another purpose's code", async () => {
    const textgate = createTextgateClient({ baseUrl: server.url, apiKey: server.key });
    const routes = createSmsAuthRoutes({ textgate });
    const phone = uniquePhone();
    const challenge = (await (await routes.start.POST(post({ phone }, "192.0.2.10"))).json()) as SmsChallenge;
    const resent = await routes.resend.POST(
      new Request("http://host.example/x", { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.10" }, body: JSON.stringify({ verificationId: challenge.verificationId }) }),
    );
    expect(resent.status).toBe(200);
    const payout = await textgate.verifications.create({ to: uniquePhone(), purpose: "payout" });
    const refused = await checkSignInCode(textgate, "login", { verificationId: payout.id, code: "123456" }).catch((e: Error) => parseSignInError(e.message));
    expect(refused).toEqual({ kind: "expired_or_used" });
    const config = await (await routes.config.GET(new Request("http://host.example/x"))).json();
    expect(config).toEqual({ sandbox: false, codeLength: 6, alphanumeric: false, channel: "sms", defaultCountry: "US" });
  });

  it("builds its routes and provider without the textgate server's settings (as `next build` imports them); a request then fails in the error shape", async () => {
    const unset = { baseUrl: process.env.TEXTGATE_URL_NEVER_SET!, apiKey: process.env.TEXTGATE_KEY_NEVER_SET! };
    const routes = createSmsAuthRoutes({ textgate: unset });
    expect(() => SmsProvider({ textgate: unset })).not.toThrow();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await routes.start.POST(post({ phone: uniquePhone() }));
    expect(response.status).toBe(502);
    expect((await response.json()).error.code).toBe("internal_error");
    expect(String(logged.mock.calls[0]?.[1])).toMatch(/baseUrl must be an absolute URL/);
    logged.mockRestore();
    expect(() => createSmsAuthRoutes({ textgate: { baseUrl: "not a url", apiKey: "k" } })).toThrow(/baseUrl/);
  });

  it("takes the client IP from X-Forwarded-For, trusting only the configured number of proxies", () => {
    // A forged entry, then what a CDN appended (the client) and what the load balancer behind it appended (the CDN):
    // Next adds nothing to a header that is there.
    const request = new Request("http://x/", { headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.5, 10.0.0.2" } });
    expect(clientIpOf(request, 2)).toBe("203.0.113.5");
    expect(clientIpOf(request, 1)).toBe("10.0.0.2");
    expect(clientIpOf(request, 0)).toBe("10.0.0.2");
    expect(clientIpOf(request, 5)).toBe("6.6.6.6");
    expect(clientIpOf(new Request("http://x/"))).toBe("unknown");
  });
});
