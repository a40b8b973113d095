/**
 * Reads textgate's Server-Sent Events stream (GET /api/v1/events, server/webhooks/stream.ts) with fetch,
 * which, unlike EventSource, can send the Authorization header. After a dropped connection it reconnects
 * with Last-Event-ID set to the last event it yielded, waiting the `retry:` the server asked for.
 */
import { requestErrorFrom } from "../errors.ts";
import type { StreamedEvent, WebhookEventType } from "./types.ts";

export interface EventStreamOptions {
  url: string;
  apiKey: string;
  fetch: typeof fetch;
  types?: readonly WebhookEventType[];
  includePhoneNumbers?: boolean;
  lastEventId?: string;
  signal?: AbortSignal;
}

interface Frame {
  id?: string;
  event?: string;
  data: string[];
  retry?: number;
}

/** Splits SSE text into frames (a blank line ends one); returns the frames and the unfinished rest. */
export function parseFrames(text: string): { frames: Frame[]; rest: string } {
  const frames: Frame[] = [];
  const blocks = text.replace(/\r\n?/g, "\n").split("\n\n");
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    const frame: Frame = { data: [] };
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue; // a comment: the server's heartbeat
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") frame.id = value;
      else if (field === "event") frame.event = value;
      else if (field === "data") frame.data.push(value);
      else if (field === "retry" && /^\d+$/.test(value)) frame.retry = Number(value);
    }
    frames.push(frame);
  }
  return { frames, rest };
}

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

export async function* readEventStream(options: EventStreamOptions): AsyncGenerator<StreamedEvent> {
  const query = new URLSearchParams();
  if (options.types?.length) query.set("types", options.types.join(","));
  if (options.includePhoneNumbers) query.set("includePhoneNumbers", "true");
  const url = query.size ? `${options.url}?${query}` : options.url;
  let lastEventId = options.lastEventId;
  let retryMs = 2_000;
  while (!options.signal?.aborted) {
    const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}`, accept: "text/event-stream" };
    if (lastEventId) headers["last-event-id"] = lastEventId;
    let response: Response;
    try {
      response = await options.fetch(url, { headers, signal: options.signal });
    } catch {
      if (options.signal?.aborted) return;
      await wait(retryMs, options.signal); // the server is restarting or unreachable: try again
      continue;
    }
    // A refusal (bad key, unknown type, unknown Last-Event-ID) does not get better by retrying.
    if (response.status >= 400 && response.status < 500) throw await requestErrorFrom(response);
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      await wait(retryMs, options.signal);
      continue;
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        const { frames, rest } = parseFrames(buffer + value);
        buffer = rest;
        for (const frame of frames) {
          if (frame.retry !== undefined) retryMs = frame.retry;
          if (!frame.data.length || frame.id === undefined) continue;
          const payload = JSON.parse(frame.data.join("\n")) as Omit<StreamedEvent, "id">;
          lastEventId = frame.id;
          yield { id: frame.id, ...payload };
        }
      }
    } catch (error) {
      if (options.signal?.aborted) return;
      if (error instanceof SyntaxError) throw error; // not textgate's stream
      // The connection dropped: reconnect from the last event.
    } finally {
      reader.releaseLock();
    }
    if (!options.signal?.aborted) await wait(retryMs, options.signal);
  }
}
