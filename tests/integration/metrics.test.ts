/**
 * GET /metrics against the real server process: the token (401 without it or with a wrong one, 405 for
 * other methods, no route at all without METRICS_TOKEN), the counters a verification moves from create
 * to approval (carrier send, checks, latencies, budget, a fraud refusal, a webhook delivery), and no
 * phone number, code or id in any label.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, latestCode, PREMIUM_RATE_PHONE, uniquePhone } from "../helpers/phones.ts";
import { type Sample, scrape, valueOf } from "../helpers/prometheus.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.ts";

const TOKEN = crypto.randomBytes(24).toString("hex");

describe("GET /metrics", () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    server = await startServer({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it("answers only the token: 401 JSON without it, with a wrong or malformed one; 405 for other methods", async () => {
    const wrongSameLength = TOKEN.replace(/.$/, TOKEN.endsWith("0") ? "1" : "0");
    for (const authorization of [undefined, `Bearer ${wrongSameLength}`, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, `Bearer  ${TOKEN}`, "Bearer", `Bearer ${server.key}`]) {
      const res = await fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("metrics_unauthorized");
      expect(body.error.message).toMatch(/METRICS_TOKEN/);
    }
    const post = await fetch(`${server.url}/metrics`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    expect(errorCode((await post.json()) as never)).toBe("method_not_allowed");
    // The scheme is case-insensitive (RFC 9110), as for API keys; a query string changes nothing.
    const lower = await fetch(`${server.url}/metrics?x=1`, { headers: { authorization: `bearer ${TOKEN}` } });
    expect(lower.status).toBe(200);
    const head = await fetch(`${server.url}/metrics`, { method: "HEAD", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("counts a verification from create to approval, its send, checks, latencies, budget, a refusal and a webhook", async () => {
    const endpoint = await server.request("POST", "/api/v1/webhooks", { json: { url: receiver.url, events: ["verification.approved"] } });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
    const before = await scrape(server.url, TOKEN);

    const to = uniquePhone();
    const created = await server.request("POST", "/api/v1/verifications", { json: { to } });
    expect(created.status).toBe(201);
    const code = await latestCode(server.request, to);
    const id = created.body.id as string;
    const wrong = await server.request("POST", `/api/v1/verifications/${id}/check`, { json: { code: code === "000000" ? "111111" : "000000" } });
    expect(wrong.body).toMatchObject({ valid: false });
    const badFormat = await server.request("POST", `/api/v1/verifications/${id}/check`, { json: { code: "12" } });
    expect(badFormat.status).toBe(400);
    const right = await server.request("POST", `/api/v1/verifications/${id}/check`, { json: { code } });
    expect(right.body).toMatchObject({ valid: true, status: "approved" });
    const refused = await server.request("POST", "/api/v1/verifications", { json: { to: PREMIUM_RATE_PHONE } });
    expect(errorCode(refused.body)).toBe("line_type_not_allowed");
    await receiver.until(() => receiver.acknowledged.size > 0, 20_000, "the approval's webhook");

    // The webhook's outcome is counted once the dispatcher has written it (its next pass).
    let after: Sample[] = [];
    const deadline = Date.now() + 10_000;
    do {
      after = await scrape(server.url, TOKEN);
    } while (valueOf(after, "textgate_webhook_deliveries_total", { outcome: "succeeded" }) === 0 && Date.now() < deadline);
    const moved = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);

    const verification = { surface: "native", channel: "sms", country: "US" };
    expect(moved("textgate_verifications_started_total", verification)).toBe(1);
    expect(moved("textgate_verifications_total", { ...verification, status: "approved" })).toBe(1);
    expect(moved("textgate_verifications_total")).toBe(1);
    expect(moved("textgate_carrier_sends_total", { carrier: "sandbox", channel: "sms", outcome: "sent" })).toBe(1);
    expect(moved("textgate_carrier_send_duration_seconds_count", { carrier: "sandbox", channel: "sms" })).toBe(1);
    // The sandbox knows at once that a text arrived: delivered 0 s after the send.
    expect(moved("textgate_send_to_delivery_seconds_count", { carrier: "sandbox", channel: "sms" })).toBe(1);
    expect(moved("textgate_send_to_delivery_seconds_bucket", { carrier: "sandbox", channel: "sms", le: "0.5" })).toBe(1);
    expect(moved("textgate_create_to_approval_seconds_count", { surface: "native", channel: "sms" })).toBe(1);
    expect(moved("textgate_check_attempts_total", { outcome: "wrong_code" })).toBe(1);
    expect(moved("textgate_check_attempts_total", { outcome: "bad_format" })).toBe(1);
    expect(moved("textgate_check_attempts_total", { outcome: "approved" })).toBe(1);
    expect(moved("textgate_fraud_refusals_total", { reason: "line_type_not_allowed" })).toBe(1);
    expect(moved("textgate_send_budget_taken_total")).toBe(1);
    expect(valueOf(after, "textgate_send_budget_per_hour")).toBe(1_000_000);
    expect(valueOf(after, "textgate_send_budget_exhausted")).toBe(0);
    expect(moved("textgate_webhook_deliveries_total", { outcome: "succeeded" })).toBe(1);
    expect(after.filter((s) => s.name === "textgate_sockets").map((s) => [s.labels.state, s.value])).toEqual([
      ["open", 0],
      ["pending", 0],
    ]);
    // prom-client's process metrics, under the same prefix.
    expect(after.some((s) => s.name === "textgate_process_cpu_user_seconds_total")).toBe(true);
    expect(after.filter((s) => !s.name.startsWith("textgate_"))).toEqual([]);

    // No label carries the number (whole or its subscriber digits), the code or an id.
    const values = after.flatMap((s) => Object.values(s.labels));
    const secrets = [to, to.slice(1), to.slice(-7), PREMIUM_RATE_PHONE.slice(-7), code, id, id.slice(0, 8)];
    for (const value of values) {
      for (const secret of secrets) expect(value, `label value ${value}`).not.toContain(secret);
      expect(value, "a run of digits as long as a phone number's").not.toMatch(/[0-9]{7,}/);
    }
    // What a label may be at all: short words, ISO codes, bucket bounds, versions.
    expect(values.filter((v) => !/^[A-Za-z0-9_.+-]{1,40}$/.test(v))).toEqual([]);
  });
});

describe("without METRICS_TOKEN", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it("has no /metrics route: 404, with or without a token", async () => {
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }] as Record<string, string>[]) {
      const res = await fetch(`${server.url}/metrics`, { headers });
      expect(res.status).toBe(404);
      expect(errorCode((await res.json()) as never)).toBe("not_found");
    }
  });
});

describe("on a sockets-only node (SERVE_API=false)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { SERVE_API: "false", METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => server?.stop());

  it("serves its socket gauges at /metrics too, behind the token", async () => {
    const samples = await scrape(server.url, TOKEN);
    expect(samples.filter((s) => s.name === "textgate_sockets").map((s) => s.labels.state)).toEqual(["open", "pending"]);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    // The API itself is not served here.
    expect((await fetch(`${server.url}/api/v1/verifications`)).status).toBe(404);
  });
});
