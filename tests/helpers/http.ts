/** HTTP helpers for tests: a small JSON client over fetch, and a raw client for hand-made bodies. */
import http from "node:http";

export interface ApiResponse<T = JsonValue> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: T;
  text: string;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A loosely typed JSON object, convenient for assertions. */
export type Json = Record<string, JsonValue> & { error?: { code: string; message: string; details?: { path: string; message: string }[] } };

export interface RequestOptions {
  /** Serialised with JSON.stringify and sent as application/json. */
  json?: unknown;
  /** Sent as is (set content-type yourself). */
  body?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
  /** API key for Authorization: Bearer; null sends no Authorization header. */
  key?: string | null;
}

export function createClient(baseUrl: string, defaultKey: string | null = null) {
  return async function request<T = Json>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? defaultKey : options.key;
    if (key !== null && headers.authorization === undefined) headers.authorization = `Bearer ${key}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };
}

export type Client = ReturnType<typeof createClient>;

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * A request whose body is written chunk by chunk (chunked transfer encoding unless content-length is
 * given), for limits that only a streamed body can exercise.
 */
export function rawRequest(
  url: string,
  options: { method: string; path: string; headers?: http.OutgoingHttpHeaders; chunks?: (string | Buffer)[] },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url + options.path, { method: options.method, headers: options.headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
}
