/**
 * A webhook receiver for tests, on 127.0.0.1: records every request, verifies each with the
 * `standardwebhooks` package (once `secret` is set), and answers with the next queued status (default
 * 200), or holds requests unanswered while `hold` is on (to kill a server mid-delivery).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedWebhook {
  id: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The verified payload, or null when verification failed (or no secret was set). */
  payload: { type: string; timestamp: string; data: Record<string, unknown> } | null;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Statuses for the next requests, in order; then 200. */
  statuses: number[];
  secret: string | null;
  hold: boolean;
  /** How many requests are being held right now. */
  held(): number;
  /** Distinct webhook-ids that were answered 2xx. */
  acknowledged: Set<string>;
  /** Resolves once `predicate` is true, polling every 25 ms, or rejects after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const pending = new Set<http.ServerResponse>();
  const receiver: WebhookReceiver = {
    url: "",
    received: [],
    statuses: [],
    secret: null,
    hold: false,
    held: () => pending.size,
    acknowledged: new Set(),
    async until(predicate, timeoutMs = 20_000, what = "the receiver's condition") {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (received ${receiver.received.length})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of pending) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      let payload: ReceivedWebhook["payload"] = null;
      if (receiver.secret) {
        try {
          payload = new Webhook(receiver.secret).verify(body, req.headers as Record<string, string>) as ReceivedWebhook["payload"];
        } catch {
          payload = null;
        }
      }
      const id = String(req.headers["webhook-id"] ?? "");
      receiver.received.push({ id, headers: req.headers, body, payload });
      if (receiver.hold) {
        pending.add(res);
        res.on("close", () => pending.delete(res));
        return;
      }
      const status = receiver.statuses.shift() ?? 200;
      if (status >= 200 && status < 300) receiver.acknowledged.add(id);
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
