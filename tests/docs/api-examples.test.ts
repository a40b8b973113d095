/**
 * The API reference's examples are real: every request of api-examples.scenario.ts runs against an
 * in-process server (the real runtime and HTTP handler, a fresh SQLite database, the sandbox carrier,
 * a fake clock), and each answer must have the status, headers, structure and fixed values of the
 * answer recorded in server/http/api-examples.json, which the OpenAPI document (and so /docs/api)
 * shows. Ids, codes, secrets and times may differ. `npm run docs:api-examples` re-records the file.
 * The sign-in, account and owner routes are Next route handlers: their examples run against the built
 * server (api-examples-session.scenario.ts), skipped without a build on a laptop, failing on CI.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../server/api-keys.ts";
import { EXAMPLES_FILE, type RecordedExample, type RecordedExamples } from "../../server/http/openapi-examples.ts";
import { buildOpenApiDocument } from "../../server/http/openapi.ts";
import { createApiHandler } from "../../server/http/index.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.ts";
import { SESSION_ENV, SESSION_STEPS, type ServerContext } from "./api-examples-session.scenario.ts";
import { EXAMPLE_ENV, EXAMPLE_STEPS, type ExampleStep, type Vars } from "./api-examples.scenario.ts";

const RECORD = process.env.RECORD_API_EXAMPLES === "1";
/** The routes Next serves need the production build, as in tests/integration/auth.test.ts. */
const built = fs.existsSync(path.join(REPO_ROOT, ".next/BUILD_ID"));
if (!built && process.env.CI === "true") throw new Error("No production build: `npm test` builds it before the tests run.");
/** Answer headers an example shows (the rest are the same on every answer: see the security headers). */
const SHOWN_HEADERS = ["retry-after", "idempotent-replayed", "allow", "www-authenticate", "location"];

const resolve = <T,>(value: T | ((vars: Vars) => T), vars: Vars): T => (typeof value === "function" ? (value as (vars: Vars) => T)(vars) : value);

/** Where the examples run: the base URL, the API key, and curl's cookie jar (`-b/-c cookies.txt`). */
interface Target {
  base: string;
  key: string;
  cookies: Map<string, string>;
}

async function run<C>(step: ExampleStep<C>, target: Target, vars: Vars, context: C): Promise<RecordedExample> {
  await step.before?.(context);
  const auth = step.auth ?? "bearer";
  const path = resolve(step.path, vars);
  const headers: Record<string, string> = { ...step.headers };
  if (auth === "bearer") headers.authorization = `Bearer ${target.key}`;
  else if (auth === "session") {
    if (target.cookies.size) headers.cookie = [...target.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  } else if (auth !== "none") headers.authorization = `Basic ${Buffer.from(`${auth.basic}:${target.key}`).toString("base64")}`;
  if (step.sameOrigin) headers.origin = target.base;
  let body: string | undefined;
  let sent: RecordedExample["request"]["body"];
  if (step.json !== undefined) {
    sent = resolve(step.json, vars);
    body = JSON.stringify(sent);
    headers["content-type"] = "application/json";
  } else if (step.form !== undefined) {
    sent = resolve(step.form, vars);
    body = new URLSearchParams(sent as Record<string, string>).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  const controller = new AbortController();
  const res = await fetch(target.base + path, { method: step.method, headers, body, signal: controller.signal, redirect: "manual" });
  if (auth === "session") {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const name = pair.slice(0, pair.indexOf("="));
      const value = pair.slice(pair.indexOf("=") + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || !value) target.cookies.delete(name);
      else target.cookies.set(name, value);
    }
  }
  const type = res.headers.get("content-type") ?? "";
  let answer: unknown = null;
  if (step.streamUntil !== undefined && res.body) {
    answer = await readUntil(res.body, step.streamUntil);
    controller.abort();
  } else {
    const text = await res.text();
    answer = type.includes("json") && text ? JSON.parse(text) : text || null;
  }
  if (step.excerpt && answer && typeof answer === "object") answer = Object.fromEntries(step.excerpt.map((k) => [k, (answer as Record<string, unknown>)[k]]));
  try {
    await step.save?.(answer, vars, context);
  } catch (error) {
    throw new Error(`${step.operationId} (${step.title}): ${res.status} ${JSON.stringify(answer)}`, { cause: error });
  }
  const shown = Object.fromEntries(SHOWN_HEADERS.flatMap((name) => (res.headers.has(name) ? [[name, res.headers.get(name)!]] : [])));
  return {
    operationId: step.operationId,
    title: step.title,
    request: {
      method: step.method,
      path,
      auth: typeof auth === "string" ? auth : { basic: auth.basic },
      ...(step.sameOrigin ? { sameOrigin: true } : {}),
      ...(step.headers ? { headers: step.headers } : {}),
      ...(headers["content-type"] ? { contentType: headers["content-type"] } : {}),
      ...(sent !== undefined ? { body: sent } : {}),
    },
    response: {
      status: res.status,
      contentType: type.split(";")[0] || null,
      ...(Object.keys(shown).length ? { headers: shown } : {}),
      body: answer,
      ...(step.excerpt ? { excerpt: true } : {}),
    },
  };
}

async function readUntil(stream: ReadableStream<Uint8Array>, marker: RegExp): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  // A stream that never sends the marker fails the test by its timeout.
  while (!marker.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => undefined);
  const match = marker.exec(text);
  return match ? text.slice(0, match.index + match[0].length) : text;
}

/** Values that differ from run to run, replaced by their kind; the rest of each string must stay. */
function normalize(value: unknown, vars: Vars): unknown {
  if (typeof value === "string") {
    // Times first, then each value only as a whole word, longest first: a 4-digit code can be part of a
    // 6-digit one, of "000000" or of a year, and would then rename what is not it.
    let text = value.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>");
    const named = Object.entries(vars).filter(([, v]) => v.length >= 4).sort(([, a], [, b]) => b.length - a.length);
    for (const [name, v] of named) {
      text = text.replace(new RegExp(`(?<![A-Za-z0-9])${v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z0-9])`, "g"), `<${name}>`);
    }
    return text
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>")
      .replace(/whsec_[A-Za-z0-9+/=]+/g, "<secret>")
      .replace(/\b([A-Z]{2})?[0-9a-f]{32}\b/g, "$1<hex>");
  }
  if (Array.isArray(value)) return value.map((v) => normalize(v, vars));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, vars)]));
  return value;
}

/** Runs a group's steps; records them (RECORD_API_EXAMPLES=1) or compares them with the recorded run. */
async function runGroup<C>(group: string, steps: readonly ExampleStep<C>[], target: Target, vars: Vars, context: C): Promise<void> {
  const fresh: RecordedExample[] = [];
  for (const step of steps) fresh.push(await run(step, target, vars, context));
  const file: RecordedExamples = fs.existsSync(EXAMPLES_FILE) ? JSON.parse(fs.readFileSync(EXAMPLES_FILE, "utf8")) : {};
  if (RECORD) {
    file[group] = { vars, examples: fresh };
    fs.writeFileSync(EXAMPLES_FILE, `${JSON.stringify(file, null, 2)}\n`);
    return;
  }
  const recorded = file[group] ?? { vars: {}, examples: [] };
  expect(recorded.examples.length, "npm run docs:api-examples records the examples").toBe(fresh.length);
  fresh.forEach((example, i) => {
    // Both runs' own ids and codes become their names (<id>, <code>), so the rest must be equal.
    expect(normalize(example, vars), `${example.operationId}: ${example.title}`).toEqual(normalize(recorded.examples[i], recorded.vars));
  });
}

describe("API reference examples: the API and the vendor-compatible APIs, in process", () => {
  let t: TestRuntime;
  let server: http.Server;
  let receiver: WebhookReceiver;
  const vars: Vars = {};
  let target: Target;

  beforeAll(async () => {
    // The carrier adapters read their credentials from process.env (server/carriers/index.ts).
    for (const [name, value] of Object.entries(EXAMPLE_ENV)) if (name.startsWith("TEXTLOCAL_")) process.env[name] = value;
    t = await startTestRuntime("sqlite", EXAMPLE_ENV);
    const key = (await createApiKey(t.runtime.prisma, "docs")).key;
    const handle = createApiHandler(t.runtime);
    server = http.createServer((req, res) => void (handle(req, res) || res.writeHead(404).end()));
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    target = { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, key, cookies: new Map() };
    receiver = await startWebhookReceiver();
    vars.receiver = receiver.url;
  }, 60_000);
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done));
    await receiver?.close();
    await t?.stop();
    for (const name of Object.keys(EXAMPLE_ENV)) if (name.startsWith("TEXTLOCAL_")) delete process.env[name];
  });

  it("runs every example request and gets the recorded answer", () => runGroup("inProcess", EXAMPLE_STEPS, target, vars, t), 60_000);
});

describe.skipIf(!built)("API reference examples: sign-in, account and owner routes, on the built server", () => {
  let server: TestServer;
  const vars: Vars = {};
  let target: Target;
  let context: ServerContext;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    server = await startServer({ env: SESSION_ENV });
    target = { base: server.url, key: server.key, cookies: new Map() };
    vars.origin = server.url;
    const api = async (method: string, path: string, json?: unknown): Promise<any> => (await server.request(method as "GET", path, json === undefined ? {} : { json })).body;
    context = {
      api,
      async lastCode(to) {
        const { messages } = await api("GET", `/api/v1/sandbox/messages?to=${encodeURIComponent(to)}`);
        return /#([0-9A-Z]{4,20})\s*$/.exec(messages[0]?.body ?? "")?.[1] ?? "";
      },
      async until(check) {
        for (let i = 0; i < 200 && !(await check()); i++) await new Promise((done) => setTimeout(done, 50));
      },
      openSocket(path, unit) {
        const cookie = [...target.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
        const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}${path}`, { headers: { cookie, origin: server.url } });
        sockets.push(socket);
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${path}: not pending on ${unit} after 10 s`)), 10_000);
          socket.on("message", (data) => {
            const message = JSON.parse(String(data)) as { type?: string; unit?: string };
            if (message.type === "pending" && message.unit === unit) (clearTimeout(timer), resolve());
          });
          socket.on("close", (code, reason) => (clearTimeout(timer), reject(new Error(`${path} closed ${code} ${reason}`))));
          socket.on("error", reject);
        });
      },
    };
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await server?.stop();
  });

  it("runs every example request and gets the recorded answer", () => runGroup("server", SESSION_STEPS, target, vars, context), 60_000);
});

describe("API reference examples in the OpenAPI document", () => {
  it.skipIf(RECORD)("every operation has a success and an error example, and every example an operation", () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, { operationId: string; "x-examples"?: RecordedExample[] }>> };
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));
    const missing = operations.filter((op) => {
      const statuses = (op["x-examples"] ?? []).map((e) => e.response.status);
      return (!statuses.some((s) => s < 300) && !NO_SUCCESS_EXAMPLE.has(op.operationId)) || (!statuses.some((s) => s >= 400) && !NO_ERROR_EXAMPLE.has(op.operationId));
    });
    expect(missing.map((op) => op.operationId)).toEqual([]);
    const documented = new Set(operations.map((op) => op.operationId));
    // Each answer fits the schema the document gives for its status: the page's field tables describe real answers.
    type Op = (typeof operations)[number] & { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> };
    const broken = (operations as Op[]).flatMap((op) =>
      (op["x-examples"] ?? []).flatMap((example) => {
        const schema = op.responses[String(example.response.status)]?.content?.["application/json"]?.schema;
        if (!schema && example.response.contentType === "application/json" && example.response.body !== null) return [`${op.operationId} ${example.response.status}: no schema for this status`];
        return mismatches(doc as never, schema, example.response.body).map((problem) => `${op.operationId} (${example.title}): ${problem}`);
      }),
    );
    expect(broken).toEqual([]);
    const steps = [...EXAMPLE_STEPS, ...SESSION_STEPS].map((step) => step.operationId);
    expect(steps.filter((id) => !documented.has(id)), "examples of undocumented operations").toEqual([]);
  });
});

type Schema = { $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; anyOf?: Schema[]; oneOf?: Schema[] };

/** Where a value breaks the documented schema ($ref, type, enum, required and known properties, items), or [] when it fits. */
function mismatches(doc: { components: { schemas: Record<string, Schema> } }, schema: Schema | undefined, value: unknown, at = "body"): string[] {
  if (!schema) return [];
  if (schema.$ref) return mismatches(doc, doc.components.schemas[schema.$ref.split("/").at(-1)!], value, at);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.some((v) => mismatches(doc, v, value, at).length === 0) ? [] : [`${at}: fits none of its variants`];
  const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "number" && Number.isInteger(value) ? "integer" : typeof value;
  const types = schema.type === undefined ? [] : [schema.type].flat();
  if (types.length && !types.includes(kind) && !(kind === "integer" && types.includes("number"))) return [`${at}: ${kind}, documented ${types.join(" | ")}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} is not one of the documented values`];
  if (Array.isArray(value)) return value.flatMap((item, i) => mismatches(doc, schema.items, item, `${at}[${i}]`));
  if (kind !== "object" || !schema.properties) return [];
  const object = value as Record<string, unknown>;
  return [
    ...(schema.required ?? []).filter((key) => !(key in object)).map((key) => `${at}.${key}: documented as required, missing`),
    ...Object.keys(object).filter((key) => !(key in schema.properties!)).map((key) => `${at}.${key}: not documented`),
    ...Object.entries(object).flatMap(([key, item]) => mismatches(doc, schema.properties![key], item, `${at}.${key}`)),
  ];
}

/**
 * Operations with no error status to show: no key and no input (an unknown session is an empty one), or
 * next-auth's sign-out, which answers a refused request 200 with an error URL (its example shows one).
 */
const NO_ERROR_EXAMPLE = new Set(["getOpenApi", "health", "signInConfig", "nextAuthCsrf", "nextAuthSession", "nextAuthSignOut"]);
/**
 * No request here could get a success: a call document exists only for a call SignalWire placed (sealed for
 * it; server/carriers/signalwire.test.ts covers it).
 */
const NO_SUCCESS_EXAMPLE = new Set(["getCarrierWebhookVoice", "postCarrierWebhookVoice"]);
