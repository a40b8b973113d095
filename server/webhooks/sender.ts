/**
 * One signed POST to one endpoint, per the Standard Webhooks specification
 * (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md): headers
 * `webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256>`, one per active
 * secret, space-separated), made with the `standardwebhooks` package. 10 s timeout, redirects are not
 * followed (a 3xx is a failure), and the socket connects only to an address ssrf.ts allowed.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { Webhook } from "standardwebhooks";
import { addressAllowed, BlockedUrlError, checkUrlScheme, guardedLookup, type UrlPolicy } from "./ssrf.ts";

export const DELIVERY_TIMEOUT_MS = 10_000;
/**
 * Connections are kept open between deliveries (a TLS handshake per event cost more than the rest of a
 * delivery). Safe with the address check: a pooled socket is one `guardedLookup` let through when it
 * connected, and the policy is the same for the whole process.
 */
const agents = { "http:": new http.Agent({ keepAlive: true, maxSockets: 32 }), "https:": new https.Agent({ keepAlive: true, maxSockets: 32 }) };
/** How much of a receiver's answer is kept (the error column); the rest is read and dropped. */
const MAX_RESPONSE_BYTES = 1024;

export interface SendResult {
  ok: boolean;
  /** The receiver's HTTP status, or null when no answer came (timeout, refused, blocked). */
  status: number | null;
  error: string | null;
}

/** One `Webhook` per secret (it decodes the key once); a handful of secrets per endpoint, so bounded in practice. */
const signers = new Map<string, Webhook>();
function signer(secret: string): Webhook {
  let webhook = signers.get(secret);
  if (!webhook) {
    if (signers.size > 1000) signers.clear();
    webhook = new Webhook(secret);
    signers.set(secret, webhook);
  }
  return webhook;
}

export function signatureHeaders(msgId: string, body: string, secrets: readonly string[], at: Date): Record<string, string> {
  const signature = secrets.map((secret) => signer(secret).sign(msgId, at, body)).join(" ");
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signature,
  };
}

export async function postWebhook(
  target: string,
  msgId: string,
  body: string,
  secrets: readonly string[],
  policy: UrlPolicy,
  options: { timeoutMs?: number; now?: Date } = {},
): Promise<SendResult> {
  let url: URL;
  try {
    url = new URL(target);
    checkUrlScheme(url, policy);
    const literal = url.hostname.replace(/^\[|\]$/g, "");
    // Node connects to an IP literal without calling `lookup`: check it here.
    if (net.isIP(literal) && !addressAllowed(literal, policy)) throw new BlockedUrlError(`${literal} is a non-public address`);
  } catch (error) {
    return { ok: false, status: null, error: `blocked: ${(error as Error).message}` };
  }
  const headers = {
    ...signatureHeaders(msgId, body, secrets, options.now ?? new Date()),
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    "user-agent": "textgate-webhooks/1",
  };
  const client = url.protocol === "https:" ? https : http;
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const agent = agents[url.protocol as keyof typeof agents];
    const req = client.request(url, { method: "POST", headers, lookup: guardedLookup(policy), agent }, (res) => {
      const status = res.statusCode ?? 0;
      let kept = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (kept.length < MAX_RESPONSE_BYTES) kept += chunk.slice(0, MAX_RESPONSE_BYTES - kept.length);
      });
      res.on("end", () => {
        const ok = status >= 200 && status < 300;
        finish({ ok, status, error: ok ? null : status >= 300 && status < 400 ? `redirect to ${res.headers.location ?? "?"} not followed` : `HTTP ${status}${kept ? `: ${kept}` : ""}` });
      });
      res.on("error", (error) => finish({ ok: false, status, error: error.message }));
    });
    // One timer for the whole exchange (connect, send, answer), as the Standard Webhooks spec's timeouts intend.
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    req.on("error", (error) => {
      const blocked = error instanceof BlockedUrlError;
      finish({ ok: false, status: null, error: blocked ? `blocked: ${error.message}` : error.message });
    });
    req.end(body);
  });
}
