/**
 * GET /api/v1/events as Server-Sent Events (https://html.spec.whatwg.org/multipage/server-sent-events.html),
 * read from the `events` table so that any node serves every node's events: each event is
 * `id: <seq>`, `event: <type>`, `data: <payload JSON>` (the webhook payload). A client that reconnects
 * with `Last-Event-ID` resumes after that event with no gap (events are kept EVENT_RETENTION_MS; see
 * triggers.ts for why `seq` order is commit order). The stream reads again when an event is published
 * on this node or arrives over the Redis bridge, and at least every `pollMs`; a comment line goes out
 * every 15 s so proxies keep the connection open.
 */
import type { ServerResponse } from "node:http";
import type { Outbox } from "./outbox.ts";
import { payloadOf } from "./outbox.ts";

export const HEARTBEAT_MS = 15_000;
const BATCH = 200;

export interface StreamOptions {
  outbox: Outbox;
  onActivity(listener: () => void): () => void;
  /** Resume after this seq (Last-Event-ID), or null to start with the next event. */
  after: number | null;
  types?: readonly string[];
  includePhoneNumbers: boolean;
  pollMs: number;
  heartbeatMs?: number;
}

export function serveEventStream(res: ServerResponse, options: StreamOptions): void {
  const { outbox } = options;
  let cursor = options.after;
  let closed = false;
  let reading = false;
  let again = false;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    // nginx buffers responses unless told otherwise
    "x-accel-buffering": "no",
  });
  res.flushHeaders();
  res.write(`retry: 2000\n\n`);

  const read = async (): Promise<void> => {
    if (closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        if (cursor === null) cursor = await outbox.lastSeq();
        for (;;) {
          const events = await outbox.after(cursor, { limit: BATCH, types: options.types });
          // The query skips other types; the cursor is the last event sent, which is also what the client resumes from.
          for (const event of events) {
            if (closed) return;
            res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(payloadOf(event, options.includePhoneNumbers))}\n\n`);
            cursor = event.seq;
          }
          if (events.length < BATCH) break;
        }
      } while (again && !closed);
    } catch {
      // A failed read is retried at the next wake-up or poll; the client keeps its place either way.
    } finally {
      reading = false;
    }
  };

  const stopActivity = options.onActivity(() => void read());
  const poll = setInterval(() => void read(), options.pollMs);
  const heartbeat = setInterval(() => {
    if (!closed) res.write(`: heartbeat\n\n`);
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  const close = () => {
    if (closed) return;
    closed = true;
    stopActivity();
    clearInterval(poll);
    clearInterval(heartbeat);
  };
  res.on("close", close);
  res.on("error", close);
  void read();
}
