/** Example request bodies and curl commands generated from an operation. */
import type { RecordedExample } from "@/lib/api-examples.ts";

import type { HttpMethod, MediaType, OpenApiDocument, Operation, Parameter, Schema } from "./openapi-types.ts";
import { deref, resolveSchema, variantsOf } from "./schema.ts";

/** Sample strings by property name, so generated bodies look like real requests. */
const SAMPLE_BY_NAME: Record<string, string> = {
  to: "+14155550123",
  from: "+14155550123",
  phone: "+14155550123",
  phonenumber: "+14155550123",
  number: "+14155550123",
  code: "123456",
  country: "US",
  locale: "en",
  channel: "sms",
  brand: "Acme",
  purpose: "login",
  body: "YES",
  email: "user@example.com",
};

const SAMPLE_BY_FORMAT: Record<string, string> = {
  "date-time": "2026-01-01T12:00:00Z",
  date: "2026-01-01",
  uuid: "3f1c2a9e-8d4b-4c6f-9a1e-2b7d5c8e0f13",
  uri: "https://example.com/webhook",
  url: "https://example.com/webhook",
  email: "user@example.com",
};

/** A value that satisfies the schema well enough to show: explicit examples first, then a guess. */
export function exampleFor(doc: OpenApiDocument, schema: Schema | undefined, name = "", depth = 0): unknown {
  if (schema === undefined || typeof schema === "boolean" || depth > 6) return null;
  const s = resolveSchema(doc, schema);
  if (s.example !== undefined) return s.example;
  if (s.examples?.length) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  if (s.enum?.length) return s.enum[0];
  const variants = variantsOf(s);
  if (variants && !s.properties) {
    const concrete = variants.find((variant) => typeof variant !== "object" || resolveSchema(doc, variant).type !== "null");
    return exampleFor(doc, concrete, name, depth + 1);
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  switch (type ?? (s.properties ? "object" : s.items ? "array" : undefined)) {
    case "string": {
      const byName = SAMPLE_BY_NAME[name.toLowerCase()];
      if (byName !== undefined && (s.maxLength === undefined || byName.length <= s.maxLength)) return byName;
      if (s.format && SAMPLE_BY_FORMAT[s.format]) return SAMPLE_BY_FORMAT[s.format];
      return "string".padEnd(s.minLength ?? 0, "x").slice(0, s.maxLength ?? 64);
    }
    case "integer":
    case "number": {
      if (typeof s.minimum === "number") return s.minimum;
      if (typeof s.exclusiveMinimum === "number") return s.exclusiveMinimum + 1;
      return typeof s.maximum === "number" ? Math.min(1, s.maximum) : 1;
    }
    case "boolean":
      return true;
    case "array":
      return [exampleFor(doc, s.items, name, depth + 1)];
    case "object": {
      const required = new Set(s.required ?? []);
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(s.properties ?? {})) {
        if (required.has(key)) out[key] = exampleFor(doc, child, key, depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}

/** The JSON media type of a body or response, if any. */
export function jsonMedia(content: Record<string, MediaType> | undefined): { type: string; media: MediaType } | undefined {
  if (!content) return undefined;
  const entries = Object.entries(content);
  const json = entries.find(([type]) => /[/+]json\b/.test(type)) ?? entries[0];
  return json ? { type: json[0], media: json[1] } : undefined;
}

export function mediaExample(doc: OpenApiDocument, media: MediaType): unknown {
  if (media.example !== undefined) return media.example;
  const first = media.examples ? Object.values(media.examples)[0] : undefined;
  const resolved = first ? deref(doc, first) : undefined;
  if (resolved && "value" in resolved && resolved.value !== undefined) return resolved.value;
  return exampleFor(doc, media.schema);
}

/** Single-quotes a shell word. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface CurlInput {
  doc: OpenApiDocument;
  method: HttpMethod;
  /** Full base URL, e.g. "http://localhost:3000/api/v1" or "http://localhost:3000". */
  baseUrl: string;
  path: string;
  operation: Operation;
  parameters: Parameter[];
  needsAuth: boolean;
}

export function curlCommand({ doc, method, baseUrl, path, operation, parameters, needsAuth }: CurlInput): string {
  let url = baseUrl.replace(/\/$/, "") + path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const param = parameters.find((p) => p.in === "path" && p.name === name);
    const example = param?.example ?? (param?.schema && typeof param.schema === "object" ? param.schema.example : undefined);
    return example === undefined ? `<${name}>` : encodeURIComponent(String(example));
  });
  const query = parameters
    .filter((p) => p.in === "query" && p.required)
    .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(p.example ?? exampleFor(doc, p.schema, p.name) ?? ""))}`);
  if (query.length) url += `?${query.join("&")}`;

  const lines = [method === "get" ? `curl ${shellQuote(url)}` : `curl -X ${method.toUpperCase()} ${shellQuote(url)}`];
  if (needsAuth) lines.push(`-H "Authorization: Bearer $TEXTGATE_KEY"`);
  for (const header of parameters.filter((p) => p.in === "header" && p.required)) {
    lines.push(`-H ${shellQuote(`${header.name}: ${String(header.example ?? exampleFor(doc, header.schema, header.name) ?? "")}`)}`);
  }
  const body = deref(doc, operation.requestBody);
  const media = jsonMedia(body?.content);
  if (media) {
    lines.push(`-H ${shellQuote(`content-type: ${media.type}`)}`);
    lines.push(`-d ${shellQuote(JSON.stringify(mediaExample(doc, media.media)))}`);
  }
  return lines.join(" \\\n  ");
}

/** A recorded example's request as curl: the key as $TEXTGATE_KEY, in the header or as the Basic password. */
export function recordedCurl(example: RecordedExample, origin: string): string {
  const { request } = example;
  const url = shellQuote(origin.replace(/\/$/, "") + request.path);
  const lines = [request.method === "GET" ? `curl ${url}` : `curl -X ${request.method} ${url}`];
  if (request.auth === "bearer") lines.push(`-H "Authorization: Bearer $TEXTGATE_KEY"`);
  else if (request.auth === "session") lines.push("-b cookies.txt -c cookies.txt");
  else if (request.auth !== "none") lines.push(`-u "${request.auth.basic}:$TEXTGATE_KEY"`);
  if (request.sameOrigin) lines.push(`-H ${shellQuote(`Origin: ${origin.replace(/\/$/, "")}`)}`);
  for (const [name, value] of Object.entries(request.headers ?? {})) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (request.contentType === "application/x-www-form-urlencoded" && request.body && typeof request.body === "object") {
    for (const [name, value] of Object.entries(request.body)) lines.push(`--data-urlencode ${shellQuote(`${name}=${String(value)}`)}`);
  } else if (request.body !== undefined) {
    lines.push(`-H ${shellQuote(`content-type: ${request.contentType ?? "application/json"}`)}`, `-d ${shellQuote(JSON.stringify(request.body))}`);
  }
  return lines.join(" \\\n  ");
}

/** A recorded answer as a reader sees it in a terminal: the status line, the headers that matter, the body. */
export function recordedAnswer(example: RecordedExample): string {
  const { response } = example;
  const head = [`HTTP ${response.status}`, ...Object.entries(response.headers ?? {}).map(([name, value]) => `${name}: ${value}`)];
  if (response.body === null || response.body === undefined) return head.join("\n");
  const body = typeof response.body === "string" ? response.body.trimEnd() : JSON.stringify(response.body, null, 2);
  return `${head.join("\n")}\n\n${body}${response.excerpt ? "\n(excerpt: the first fields only)" : ""}`;
}
