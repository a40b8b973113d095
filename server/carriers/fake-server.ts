/**
 * A local stand-in for a carrier's HTTP API, for tests and the contract: a node:http server on
 * 127.0.0.1 with a free port that records every request and answers with whatever the test scripts.
 * It never forwards anything anywhere.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body as form fields when it is form-encoded, else null. */
  form: URLSearchParams | null;
  /** The body parsed as JSON when it is JSON, else undefined. */
  json: unknown;
}

export interface FakeReply {
  status: number;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** "hang" never answers (a timeout); "drop" destroys the connection (a network failure). */
export type FakeHandler = (request: RecordedRequest) => FakeReply | "hang" | "drop";

export interface FakeCarrier {
  url: string;
  requests: RecordedRequest[];
  /** Answers every following request with `handler` (or the same reply each time). */
  respond(handler: FakeHandler | FakeReply): void;
  /** Answers the next requests with these replies in turn, then with the last one. */
  respondInTurn(...replies: FakeReply[]): void;
  close(): Promise<void>;
}

export interface FakeCarrierOptions {
  /**
   * How long to hold each answer back, in ms. The handler runs as the request arrives (a stateful fake
   * has accepted the send by then), so a slow answer is a carrier that has the send and has not said so yet.
   */
  answerAfterMs?: (request: RecordedRequest) => number;
}

export async function startFakeCarrier(
  initial: FakeHandler | FakeReply = { status: 500, body: { message: "no answer scripted" } },
  options: FakeCarrierOptions = {},
): Promise<FakeCarrier> {
  const requests: RecordedRequest[] = [];
  let handler: FakeHandler = typeof initial === "function" ? initial : () => initial;
  const answer = (req: http.IncomingMessage, res: http.ServerResponse, reply: FakeReply | "hang" | "drop") => {
    if (reply === "hang") return;
    if (reply === "drop") {
      req.socket.destroy();
      return;
    }
    const text = typeof reply.body === "string" ? reply.body : reply.body === undefined ? "" : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "content-type": typeof reply.body === "string" ? "text/plain" : "application/json",
      ...reply.headers,
    });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://fake");
      const type = req.headers["content-type"] ?? "";
      let json: unknown;
      if (type.includes("json")) {
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
      }
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        form: type.includes("application/x-www-form-urlencoded") ? new URLSearchParams(body) : null,
        json,
      };
      requests.push(recorded);
      const reply = handler(recorded);
      const delay = options.answerAfterMs?.(recorded) ?? 0;
      if (delay > 0 && reply !== "hang") {
        setTimeout(() => answer(req, res, reply), delay);
        return;
      }
      answer(req, res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(next) {
      handler = typeof next === "function" ? next : () => next;
    },
    respondInTurn(...replies) {
      let i = 0;
      handler = () => replies[Math.min(i++, replies.length - 1)] as FakeReply;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL where nothing listens: connecting fails at once. */
export async function closedUrl(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
