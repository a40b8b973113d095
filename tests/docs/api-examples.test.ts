/**
 * The API reference's examples are real: every request of api-examples.scenario.ts runs against an
 * in-process server (the real runtime and HTTP handler, a fresh SQLite database, the sandbox carrier,
 * a fake clock), and each answer must have the status, headers, structure and fixed values of the
 * answer recorded in server/http/api-examples.json, which the OpenAPI document (and so /docs/api)
 * shows. Ids, codes, secrets and times may differ. `npm run docs:api-examples` re-records the file.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../server/api-keys.ts";
import { EXAMPLES_FILE, type RecordedExample, type RecordedExamples } from "../../server/http/openapi-examples.ts";
import { buildOpenApiDocument } from "../../server/http/openapi.ts";
import { createApiHandler } from "../../server/http/index.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.ts";
import { EXAMPLE_ENV, EXAMPLE_STEPS, type ExampleStep, type Vars } from "./api-examples.scenario.ts";

const RECORD = process.env.RECORD_API_EXAMPLES === "1";
/** Answer headers an example shows (the rest are the same on every answer: see the security headers). */
const SHOWN_HEADERS = ["retry-after", "idempotent-replayed", "allow", "www-authenticate", "location"];

const resolve = <T,>(value: T | ((vars: Vars) => T), vars: Vars): T => (typeof value === "function" ? (value as (vars: Vars) => T)(vars) : value);

async function run(step: ExampleStep, base: string, key: string, vars: Vars, t: TestRuntime): Promise<RecordedExample> {
  await step.before?.(t);
  const auth = step.auth ?? "bearer";
  const target = resolve(step.path, vars);
  const headers: Record<string, string> = { ...step.headers };
  if (auth === "bearer") headers.authorization = `Bearer ${key}`;
  else if (auth !== "none") headers.authorization = `Basic ${Buffer.from(`${auth.basic}:${key}`).toString("base64")}`;
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
  const res = await fetch(base + target, { method: step.method, headers, body, signal: controller.signal });
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
    await step.save?.(answer, vars, t);
  } catch (error) {
    throw new Error(`${step.operationId} (${step.title}): ${res.status} ${JSON.stringify(answer)}`, { cause: error });
  }
  const shown = Object.fromEntries(SHOWN_HEADERS.flatMap((name) => (res.headers.has(name) ? [[name, res.headers.get(name)!]] : [])));
  return {
    operationId: step.operationId,
    title: step.title,
    request: {
      method: step.method,
      path: target,
      auth: auth === "bearer" || auth === "none" ? auth : { basic: auth.basic },
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
    let text = value;
    for (const [name, v] of Object.entries(vars)) if (v.length >= 4) text = text.replaceAll(v, `<${name}>`);
    return text
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>")
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
      .replace(/whsec_[A-Za-z0-9+/=]+/g, "<secret>")
      .replace(/\b([A-Z]{2})?[0-9a-f]{32}\b/g, "$1<hex>");
  }
  if (Array.isArray(value)) return value.map((v) => normalize(v, vars));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, vars)]));
  return value;
}

describe("API reference examples", () => {
  let t: TestRuntime;
  let server: http.Server;
  let base: string;
  let key: string;
  let receiver: WebhookReceiver;
  const recorded: RecordedExamples = RECORD || !fs.existsSync(EXAMPLES_FILE) ? { vars: {}, examples: [] } : JSON.parse(fs.readFileSync(EXAMPLES_FILE, "utf8"));
  const fresh: RecordedExample[] = [];
  const vars: Vars = {};

  beforeAll(async () => {
    // The carrier adapters read their credentials from process.env (server/carriers/index.ts).
    for (const [name, value] of Object.entries(EXAMPLE_ENV)) if (name.startsWith("TEXTLOCAL_")) process.env[name] = value;
    t = await startTestRuntime("sqlite", EXAMPLE_ENV);
    key = (await createApiKey(t.runtime.prisma, "docs")).key;
    const handle = createApiHandler(t.runtime);
    server = http.createServer((req, res) => void (handle(req, res) || res.writeHead(404).end()));
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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

  it("runs every example request and gets the recorded answer", async () => {
    for (const step of EXAMPLE_STEPS) fresh.push(await run(step, base, key, vars, t));
    if (RECORD) {
      fs.writeFileSync(EXAMPLES_FILE, `${JSON.stringify({ vars, examples: fresh } satisfies RecordedExamples, null, 2)}\n`);
      return;
    }
    expect(recorded.examples.length, "npm run docs:api-examples records the examples").toBe(fresh.length);
    fresh.forEach((example, i) => {
      // Both runs' own ids and codes become their names (<id>, <code>), so the rest must be equal.
      expect(normalize(example, vars), `${example.operationId}: ${example.title}`).toEqual(normalize(recorded.examples[i], recorded.vars));
    });
  }, 60_000);

  it.skipIf(RECORD)("the OpenAPI document shows them: every operation has a success and an error example", () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, { operationId: string; "x-examples"?: RecordedExample[] }>> };
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));
    const missing = operations.filter((op) => {
      const statuses = (op["x-examples"] ?? []).map((e) => e.response.status);
      return (!statuses.some((s) => s < 300) && !NO_SUCCESS_EXAMPLE.has(op.operationId)) || (!statuses.some((s) => s >= 400) && !NO_ERROR_EXAMPLE.has(op.operationId));
    });
    expect(missing.map((op) => op.operationId)).toEqual([]);
    const documented = new Set(operations.map((op) => op.operationId));
    expect(EXAMPLE_STEPS.map((step) => step.operationId).filter((id) => !documented.has(id)), "examples of undocumented operations").toEqual([]);
  });
});

/** Operations with no error of their own to show (they need no key and take no input). */
const NO_ERROR_EXAMPLE = new Set(["getOpenApi", "health"]);
/** A call document exists only for a call SignalWire placed and is sealed for it: no request here could fetch one. */
const NO_SUCCESS_EXAMPLE = new Set(["getCarrierWebhookVoice", "postCarrierWebhookVoice"]);
