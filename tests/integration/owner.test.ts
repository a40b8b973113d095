/**
 * The owner-alert unit (/ws/demo/owner-alert, waiting for a decision) and the owner console API against a
 * real server process: owners (OWNER_PHONES) are texted a reference and decide by SMS ("ACCEPT K7Q2",
 * "DENY K7Q2") or over HTTP; replies from other numbers are ignored; parallel requests are kept apart by
 * their reference. Users and the owner sign in over HTTP, so this needs the production build.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { CLOSE } from "../../lib/socket/protocol.ts";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";
import { Client, SESSION_COOKIE as COOKIE, socketTools } from "../helpers/sockets.ts";
import { decideOverHttp, type OwnerListing } from "../helpers/owner.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

const built = fs.existsSync(path.join(REPO_ROOT, ".next/BUILD_ID"));
if (!built && process.env.CI === "true") throw new Error("No production build: `npm test` builds it before the tests run.");

const ORIGIN = "https://app.example.com";
const UNIT_TIMEOUT_MS = 2500;

let counter = 0;
const phone = () => `+1212555${String(2000 + ((process.pid * 17 + 1000 + counter++) % 7000)).padStart(4, "0")}`;
const OWNER = "+12125559001";
const SECOND_OWNER = "+12125559002";

const variants = await databaseVariants();

describe.skipIf(!built)("owner alert", () => describeEachDatabase(variants, "owner alert unit and /owner", (database) => {
  let server: TestServer;
  let wsUrl: string;

  const { connect, sandbox, textTo, replyFrom, signIn } = socketTools(() => server, { origin: ORIGIN, phone });

  beforeAll(async () => {
    server = await startServer({
      database,
      env: {
        NODE_ENV: "production",
        SERVE_PAGES: "true",
        SANDBOX_IN_PRODUCTION: "true",
        AUTH_START_LIMIT_PER_NUMBER: "1000",
        AUTH_START_LIMIT_PER_IP: "1000",
        WS_ALLOWED_ORIGINS: ORIGIN,
        WS_DEMO_UNIT_TIMEOUT_MS: String(UNIT_TIMEOUT_MS),
        OWNER_PHONES: `${OWNER},${SECOND_OWNER}`,
      },
    });
    wsUrl = server.url.replace("http://", "ws://");
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const PATH = "/ws/demo/owner-alert";
  /** Opens the demo socket as a new user; returns the client, the user's number and the request's reference. */
  const request = async () => {
    const user = await signIn();
    const client = connect(PATH, { cookie: user.cookie });
    const pending = await client.next("pending");
    expect(pending).toEqual({ type: "pending", unit: "owner-approval", reference: expect.stringMatching(/^[A-Z2-9]{4}$/) });
    const reference = pending.reference as string;
    return { client, user, reference };
  };
  // The masked number in GSM-7 ("*" for "•"), so the English alert keeps its 160-character segment (server/verification/notices.ts).
  const alertFor = (reference: string) => new RegExp(`^textgate: \\+1(\\*){7}[0-9]{3} is connecting to /ws/demo/owner-alert\\. Reply ACCEPT ${reference} or DENY ${reference}\\.$`);
  const settle = () => new Promise((r) => setTimeout(r, 400));

  it("texts every owner and admits on ACCEPT <reference> from an owner", async () => {
    const { client, user, reference } = await request();
    const alert = await textTo(OWNER, alertFor(reference));
    expect(alert).toContain(`+1*******${user.phone.slice(-3)}`);
    await textTo(SECOND_OWNER, alertFor(reference));
    await replyFrom(SECOND_OWNER, ` accept ${reference.toLowerCase()} `);
    expect(await client.next("unit_passed")).toEqual({ type: "unit_passed", unit: "owner-alert" });
    await client.next("admitted");
    client.send({ type: "message", data: "hi" });
    expect(await client.next("message")).toEqual({ type: "message", data: "hi" });
    client.ws.close();
  });

  it("closes with 4001 on DENY <reference>", async () => {
    const { client, reference } = await request();
    await textTo(OWNER, alertFor(reference));
    await replyFrom(OWNER, `DENY ${reference}`);
    expect(await client.closed).toEqual({ code: CLOSE.denied, reason: "denied by owner" });
    // The owner is told what the DENY did.
    await textTo(OWNER, new RegExp(`^textgate: Denied ${reference}: \\+1(\\*){7}[0-9]{3} is not connected to /ws/demo/owner-alert\\.$`));
  });

  it("closes with 4002 when no owner decides in time", async () => {
    const { client } = await request();
    expect(await client.closed).toEqual({ code: CLOSE.timedOut, reason: "timed out" });
  });

  it("ignores replies from numbers that are not owners, and unrelated texts", async () => {
    const { client, user, reference } = await request();
    await textTo(OWNER, alertFor(reference));
    await replyFrom(user.phone, `ACCEPT ${reference}`);
    await replyFrom(phone(), `ACCEPT ${reference}`);
    await replyFrom(OWNER, "who is this?");
    await replyFrom(OWNER, "ACCEPT ZZZZ");
    await settle();
    expect(client.messages).toEqual([]);
    await replyFrom(OWNER, `ACCEPT ${reference}`);
    await client.next("admitted");
    client.ws.close();
  });

  it("decides parallel requests independently by reference; a bare ACCEPT is ignored while several wait", async () => {
    const a = await request();
    const b = await request();
    expect(a.reference).not.toBe(b.reference);
    await textTo(OWNER, alertFor(a.reference));
    await textTo(OWNER, alertFor(b.reference));
    await replyFrom(OWNER, "ACCEPT");
    await settle();
    expect(a.client.messages).toEqual([]);
    expect(b.client.messages).toEqual([]);
    await replyFrom(OWNER, `DENY ${b.reference}`);
    expect(await b.client.closed).toEqual({ code: CLOSE.denied, reason: "denied by owner" });
    expect(a.client.messages).toEqual([]);
    // With exactly one request left, a bare ACCEPT decides it.
    await replyFrom(OWNER, "accept");
    await a.client.next("admitted");
    a.client.ws.close();
  });

  describe("owner console API", () => {
    let owner: Awaited<ReturnType<typeof signIn>> | undefined;
    const signInOwner = async () => (owner ??= await signIn(OWNER));

    it("lists pending requests and open sockets, and admits on an HTTP decision", async () => {
      const { call } = await signInOwner();
      const { client, reference } = await request();
      const list = await call("/api/owner/requests");
      expect(list.status).toBe(200);
      const body = (await list.json()) as OwnerListing;
      expect(body.requests).toContainEqual(expect.objectContaining({ reference, path: PATH, who: expect.stringMatching(/^\+1•{7}[0-9]{3}$/) }));
      expect(body.sockets.count).toBeGreaterThanOrEqual(1);
      expect(body.sockets.pending).toBeGreaterThanOrEqual(1);
      expect(body.sockets.nodes).toEqual([expect.objectContaining({ local: true, sockets: body.sockets.count, pending: body.sockets.pending })]);
      expect((await decideOverHttp(call, reference, "maybe")).status).toBe(400);
      const decided = await decideOverHttp(call, reference, "accept");
      expect(decided.status).toBe(200);
      expect(await decided.json()).toEqual({ reference, decision: "accept" });
      await client.next("admitted");
      expect((await decideOverHttp(call, reference, "deny")).status).toBe(404);
      client.ws.close();
    });

    it("denies over HTTP with 4001", async () => {
      const { call } = await signInOwner();
      const { client, reference } = await request();
      const res = await decideOverHttp(call, reference, "deny");
      expect(res.status).toBe(200);
      expect(await client.closed).toEqual({ code: CLOSE.denied, reason: "denied by owner" });
    });

    it("refuses signed-out callers with 401 and non-owners with 403", async () => {
      expect((await fetch(`${server.url}/api/owner/requests`)).status).toBe(401);
      const { call } = await signIn();
      expect((await call("/api/owner/requests")).status).toBe(403);
      const res = await decideOverHttp(call, "ABCD", "accept");
      expect(res.status).toBe(403);
    });

    it("lists the verifications of every surface with the status the native API gives them", async () => {
      const { call } = await signInOwner();
      type Row = { id: string; surface: string; surfaceId: string; status: string; to: string; channel: string; attempts: number };
      const list = async (query = "") => {
        const res = await call(`/api/owner/verifications${query}`);
        expect(res.status).toBe(200);
        return ((await res.json()) as { verifications: Row[] }).verifications;
      };
      const nativeStatus = async (id: string) => (await server.request("GET", `/api/v1/verifications/${id}`)).body.status;

      // Started through the Twilio-compatible API, as a Twilio client would.
      const twilioAuth = `Basic ${Buffer.from(`AC${"1".repeat(32)}:${server.key}`).toString("base64")}`;
      const twilio = async (pathname: string, fields: Record<string, string>) => {
        const res = await fetch(`${server.url}/compat/twilio/v2${pathname}`, {
          method: "POST",
          headers: { authorization: twilioAuth, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(fields),
        });
        expect(res.status).toBeLessThan(300);
        return (await res.json()) as Record<string, string>;
      };
      const service = await twilio("/Services", { FriendlyName: "Shop" });
      const to = phone();
      const started = await twilio(`/Services/${service.sid}/Verifications`, { To: to, Channel: "sms" });
      let row = (await list("?surface=twilio")).find((v) => v.surfaceId === started.sid);
      expect(row).toMatchObject({ surface: "twilio", status: "pending", channel: "sms", attempts: 0, to: `+1${"•".repeat(7)}${to.slice(-3)}` });
      expect(await nativeStatus(row?.id ?? "")).toBe("pending");

      const code = /([0-9]{6})/.exec(await textTo(to, /[0-9]{6}/))?.[1] ?? "";
      expect((await twilio(`/Services/${service.sid}/VerificationCheck`, { To: to, Code: code })).status).toBe("approved");
      row = (await list()).find((v) => v.surfaceId === started.sid);
      expect(row?.status).toBe("approved");
      expect(await nativeStatus(row?.id ?? "")).toBe("approved");

      // Started through the native API and locked by a wrong code: the filter finds it under its status only.
      const created = await server.request("POST", "/api/v1/verifications", { json: { to: phone(), code: "123456", maxAttempts: 1 } });
      const id = created.body.id as string;
      expect((await list("?status=pending&surface=native")).map((v) => v.id)).toContain(id);
      expect((await server.request("POST", `/api/v1/verifications/${id}/check`, { json: { code: "654321" } })).body).toMatchObject({ valid: false });
      expect((await list("?status=pending")).map((v) => v.id)).not.toContain(id);
      const locked = (await list("?status=max_attempts_reached&limit=200")).find((v) => v.id === id);
      expect(locked).toMatchObject({ surface: "native", surfaceId: id, status: "max_attempts_reached", attempts: 1 });
      expect(await nativeStatus(id)).toBe("max_attempts_reached");

      for (const bad of ["?status=done", "?surface=nexmo", "?limit=0", "?limit=201", "?page=2"]) {
        const res = await call(`/api/owner/verifications${bad}`);
        expect(res.status, bad).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
      }
    });

    it("shows verifications to owners only", async () => {
      expect((await fetch(`${server.url}/api/owner/verifications`)).status).toBe(401);
      const { call } = await signIn();
      expect((await call("/api/owner/verifications")).status).toBe(403);
    });

    it("lists webhook endpoints with their deliveries, retries one, and refuses non-owners", async () => {
      const { call } = await signInOwner();
      // Production: a plain-http loopback URL is accepted as configuration but refused at delivery (server/webhooks/ssrf.ts).
      const created = await server.request("POST", "/api/v1/webhooks", { json: { url: "http://127.0.0.1:9/hook", events: ["verification.created"] } });
      expect(created.status).toBe(201);
      await server.request("POST", "/api/v1/verifications", { json: { to: phone() } });
      type Listed = { id: string; deliveries: { id: string; status: string; attempts: number; error: string | null; nextAttemptAt: string | null }[] };
      let endpoint: Listed | undefined;
      for (let i = 0; i < 100 && !endpoint?.deliveries[0]?.error; i++) {
        const res = await call("/api/owner/webhooks");
        expect(res.status).toBe(200);
        endpoint = ((await res.json()) as { endpoints: Listed[] }).endpoints.find((e) => e.id === created.body.id);
        await new Promise((r) => setTimeout(r, 100));
      }
      const delivery = endpoint?.deliveries[0];
      expect(delivery).toMatchObject({ status: "pending", attempts: 1 });
      expect(delivery?.error).toContain("blocked");
      expect(delivery?.nextAttemptAt).not.toBeNull();
      const retried = await call(`/api/owner/webhooks/${created.body.id as string}/deliveries/${delivery?.id}/retry`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(retried.status).toBe(202);
      const unknown = await call(`/api/owner/webhooks/${created.body.id as string}/deliveries/01900000-0000-7000-8000-000000000000/retry`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      const crossSite = await call(`/api/owner/webhooks/${created.body.id as string}/deliveries/${delivery?.id}/retry`, { method: "POST", headers: { "content-type": "text/plain", origin: "https://evil.example" }, body: "x" });
      expect(crossSite.status).toBe(403);
      expect(unknown.status).toBe(404);
      expect((await fetch(`${server.url}/api/owner/webhooks`)).status).toBe(401);
      expect((await (await signIn()).call("/api/owner/webhooks")).status).toBe(403);
    });

    it("serves the /owner page", async () => {
      const res = await fetch(`${server.url}/owner`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("Owner console");
    });
  });
}));
