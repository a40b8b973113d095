/**
 * Fetch API requests and responses whose body is already in memory. A Web `Request` or `Response` built
 * from bytes or a string makes a body stream, and reading it back (or teeing it for `clone()`) goes
 * through that stream again: on the sign-in path, two requests and two responses of a few hundred bytes,
 * that was the largest share of the CPU after SQLite (docs/benchmarks.md, "Full sign-in").
 *
 * Both are real instances (`instanceof Request`, `instanceof Response`, undici's own headers, url, method
 * and status); `text()`, `json()`, `arrayBuffer()` and `clone()` answer from the buffer, and `body` still
 * makes a stream for code that asks for one (Next pipes a route handler's `response.body`). A body is read
 * once, as undici allows.
 */

type Bytes = Uint8Array<ArrayBuffer>;

/** What both keep: the bytes, whether they were read, and the stream if one was asked for. */
class BufferedBody {
  private used = false;
  private stream: ReadableStream<Bytes> | null = null;

  constructor(readonly bytes: Bytes | null) {}

  get body(): ReadableStream<Bytes> | null {
    if (!this.bytes) return null;
    this.stream ??= new Blob([this.bytes]).stream() as ReadableStream<Bytes>;
    return this.stream;
  }

  get bodyUsed(): boolean {
    return this.used || (this.stream !== null && this.stream.locked);
  }

  take(): Bytes {
    if (this.bodyUsed) throw new TypeError("Body is unusable: Body has already been read");
    this.used = true;
    return this.bytes ?? new Uint8Array(0);
  }

  /** UTF-8 as the Fetch API decodes it: a leading byte order mark is dropped (undici's text() and json() do). */
  text(): string {
    const bytes = this.take();
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  arrayBuffer(): ArrayBuffer {
    const bytes = this.take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  /** The bytes for a clone, or a TypeError once read (as undici's clone). */
  forClone(what: string): Bytes | null {
    if (this.bodyUsed) throw new TypeError(`${what}.clone: Body has already been consumed.`);
    return this.bytes;
  }
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

const nonEmpty = (bytes: Bytes | null): Bytes | null => (bytes && bytes.length > 0 ? bytes : null);

const buffers = new WeakMap<object, BufferedBody>();

function bufferOf(target: object): BufferedBody {
  const buffer = buffers.get(target);
  if (!buffer) throw new TypeError("Illegal invocation");
  return buffer;
}

/** The body members both classes put over undici's, on their prototypes (one definition for the two). */
function overrideBody(prototype: Request | Response): void {
  const method = (value: (this: Request | Response) => Promise<unknown>): PropertyDescriptor => ({ value, writable: true, configurable: true });
  Object.defineProperties(prototype, {
    body: { get: function (this: object) { return bufferOf(this).body; }, configurable: true },
    bodyUsed: { get: function (this: object) { return bufferOf(this).bodyUsed; }, configurable: true },
    text: method(async function () { return bufferOf(this).text(); }),
    json: method(async function () { return JSON.parse(bufferOf(this).text()) as unknown; }),
    arrayBuffer: method(async function () { return bufferOf(this).arrayBuffer(); }),
    blob: method(async function () { return new Blob([bufferOf(this).take()], { type: this.headers.get("content-type") ?? "" }); }),
    formData: method(async function () {
      return new Response(bufferOf(this).take(), { headers: { "content-type": this.headers.get("content-type") ?? "" } }).formData();
    }),
  });
}

export class BufferedRequest extends Request {
  /** `bytes` is the whole body (null or empty: none). */
  constructor(url: string, init: { method: string; headers: Headers }, bytes: Bytes | null) {
    super(url, { method: init.method, headers: init.headers });
    buffers.set(this, new BufferedBody(nonEmpty(bytes)));
  }

  override clone(): BufferedRequest {
    return new BufferedRequest(this.url, { method: this.method, headers: new Headers(this.headers) }, bufferOf(this).forClone("Request"));
  }
}

export class BufferedResponse extends Response {
  /** `body`: a string (UTF-8) or the bytes; null or empty for none. */
  constructor(body: string | Bytes | null, init: ResponseInit = {}) {
    super(null, init);
    const bytes = nonEmpty(typeof body === "string" ? (new Uint8Array(Buffer.from(body, "utf8")) as Bytes) : body);
    // As undici: no body with a null-body status, and text gets a text type unless one was given.
    if (bytes && NULL_BODY_STATUSES.has(this.status)) throw new TypeError(`Response constructor: Invalid response status code ${this.status}`);
    if (typeof body === "string" && !this.headers.has("content-type")) this.headers.set("content-type", "text/plain;charset=UTF-8");
    buffers.set(this, new BufferedBody(bytes));
  }

  /** The body's bytes for a writer that sends them itself (server/http/auth-routes.ts), without reading it. */
  get bufferedBytes(): Bytes | null {
    return bufferOf(this).bytes;
  }

  override clone(): BufferedResponse {
    return new BufferedResponse(bufferOf(this).forClone("Response"), { status: this.status, statusText: this.statusText, headers: new Headers(this.headers) });
  }
}

overrideBody(BufferedRequest.prototype);
overrideBody(BufferedResponse.prototype);
