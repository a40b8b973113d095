/**
 * The Twilio REST shape (2010-04-01 Messages and Calls, form bodies, Basic auth, Twilio error JSON) and
 * its webhooks, shared by twilio.ts and signalwire.ts: SignalWire's compatibility ("LaML"/cXML) API is
 * the same protocol on another host. Plain fetch rather than the `twilio` SDK: one form POST per
 * operation, one code path for both carriers, an explicit timeout, and no host rewriting (the SDK
 * mangles two-label hostnames, providers.md §2.7), so a local fake is just a base URL.
 */
import { basicAuth, carrierError, carrierFetch, codeForStatus, type CarrierResponse, type FetchLike, isPhoneNumber, toE164 } from "./http.ts";
import { isE164 } from "../../lib/phone.ts";
import { assertSmsFits } from "./segments.ts";
import type { CarrierErrorCode, CarrierWebhooks, InboundText, OutboundMessage, SendResult, StatusUpdate, WebhookRequest } from "./types.ts";

export interface LamlAccount {
  carrier: string;
  /** Base of the account's resources, e.g. https://api.twilio.com/2010-04-01/Accounts/AC… */
  accountUrl: string;
  /** "Messages.json" on Twilio; SignalWire's spec has no ".json" suffix. */
  messagesResource: string;
  callsResource: string;
  username: string;
  password: string;
  timeoutMs: number;
  fetch: FetchLike;
}

/** Twilio error codes (https://www.twilio.com/docs/api/errors) with a meaning of their own. */
const TWILIO_CODES: Readonly<Record<string, CarrierErrorCode>> = {
  "20003": "auth_failed", // authentication failed / permission denied
  "20429": "rate_limited", // too many concurrent requests
  "21211": "invalid_number", // invalid 'To' phone number
  "21214": "invalid_number", // 'To' number cannot be reached
  "21217": "invalid_number", // phone number does not appear to be valid
  "21401": "invalid_number", // invalid phone number
  "21407": "invalid_number", // not a valid phone number for this call
  "21421": "invalid_number", // phone number is invalid
  "21614": "invalid_number", // 'To' number is not a mobile number
  "21612": "rejected", // cannot route to this number from this sender
  "21408": "rejected", // permission to send to this region not enabled
  "21610": "rejected", // recipient unsubscribed (STOP)
  "21606": "rejected", // 'From' number is not a valid sender for this destination
  "21212": "rejected", // invalid 'From' number
  "21617": "message_too_long", // body exceeds 1600 characters
};

export function lamlError(carrier: string, response: CarrierResponse) {
  const body = (response.json ?? {}) as { code?: unknown; message?: unknown; errors?: { code?: unknown; message?: unknown }[] };
  const first = Array.isArray(body.errors) ? body.errors[0] : undefined;
  const code = String(body.code ?? first?.code ?? "");
  const message = String(body.message ?? first?.message ?? (response.text.slice(0, 200) || `HTTP ${response.status}`));
  let mapped = TWILIO_CODES[code] ?? codeForStatus(response.status);
  // A 4xx about money is final whatever its number; a 5xx stays retryable whatever its text.
  if (response.status < 500 && /insufficient (funds|balance)|balance is too low|out of credit/i.test(message)) mapped = "insufficient_funds";
  return carrierError(carrier, mapped, `${carrier} ${response.status}${code ? ` ${code}` : ""}: ${message}`);
}

async function create(account: LamlAccount, resource: string, fields: Record<string, string | undefined>): Promise<SendResult> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
  const response = await carrierFetch(
    account.carrier,
    account.fetch,
    `${account.accountUrl}/${resource}`,
    {
      method: "POST",
      headers: {
        authorization: basicAuth(account.username, account.password),
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: form.toString(),
    },
    account.timeoutMs,
  );
  if (response.status < 200 || response.status >= 300) throw lamlError(account.carrier, response);
  const sid = (response.json as { sid?: unknown } | undefined)?.sid;
  if (typeof sid !== "string" || !sid) {
    // Accepted but unreadable: the message may be on its way, so sending again could text twice.
    throw carrierError(account.carrier, "bad_response", `${account.carrier} answered ${response.status} without a sid`);
  }
  return { carrierMessageId: sid, status: "sent" };
}

/** POST …/Messages: To and From in E.164 with "+", Body up to 1600 characters (10 GSM-7 parts). */
export function sendLamlSms(
  account: LamlAccount,
  message: OutboundMessage,
  sender: { from?: string; messagingServiceSid?: string; statusCallback?: string },
): Promise<SendResult> {
  assertSmsFits(account.carrier, message.body, 10);
  if (!isE164(message.to)) throw carrierError(account.carrier, "invalid_number", `${account.carrier}: "${message.to}" is not an E.164 number`);
  const from = message.from ?? sender.from;
  return create(account, account.messagesResource, {
    To: message.to,
    // A messaging service picks the sender itself; an explicit From still wins when there is one.
    From: from,
    MessagingServiceSid: from ? undefined : sender.messagingServiceSid,
    Body: message.body,
    StatusCallback: sender.statusCallback,
  });
}

/** Newest records one lookup reads. A full page with nothing older than `since` could hide the send. */
export const LOOKUP_PAGE_SIZE = 50;

interface LamlRecord {
  sid?: unknown;
  body?: unknown;
  direction?: unknown;
  date_created?: unknown;
}

/**
 * "Was this already sent?" on the LaML API, newest first, one page: GET …/Messages?To=… for a text,
 * GET …/Calls?To=…&From=… for a call. A match is outbound, created since `since` and not `taken` (a
 * send already recorded for another delivery); a text must also have exactly this body (it holds the
 * code). LaML keeps no reference of ours, and a call has no body to compare, so any other call from our
 * number to this number since `since` counts as placed, whatever its status. No date filter is sent:
 * DateSent and StartTime stay empty while a message or call waits in the carrier's queue (calls beyond
 * the account's calls-per-second are queued), and such a send must still be found.
 * Failures are thrown like send failures, and so is a page that may hide the answer.
 */
export async function findLamlSend(
  account: LamlAccount,
  message: OutboundMessage,
  since: Date,
  caller: string | undefined,
  taken: ReadonlySet<string> = new Set(),
): Promise<SendResult | null> {
  const voice = message.channel === "voice";
  const resource = voice ? account.callsResource : account.messagesResource;
  const query = new URLSearchParams({ To: message.to, ...(voice && caller ? { From: caller } : {}), PageSize: String(LOOKUP_PAGE_SIZE) });
  const response = await carrierFetch(
    account.carrier,
    account.fetch,
    `${account.accountUrl}/${resource}?${query}`,
    { method: "GET", headers: { authorization: basicAuth(account.username, account.password), accept: "application/json" } },
    account.timeoutMs,
  );
  if (response.status < 200 || response.status >= 300) throw lamlError(account.carrier, response);
  const page = (response.json ?? {}) as { messages?: unknown; calls?: unknown; next_page_uri?: unknown };
  const records = voice ? page.calls : page.messages;
  if (!Array.isArray(records)) throw carrierError(account.carrier, "bad_response", `${account.carrier} listed ${resource} without its records`);
  const createdAt = (r: LamlRecord) => (typeof r.date_created === "string" ? Date.parse(r.date_created) : Number.NaN);
  const outbound = (r: LamlRecord) => typeof r.direction !== "string" || r.direction.startsWith("outbound");
  // An unreadable date counts as recent: a wrong "already sent" costs a late code, a wrong "not sent" a second one.
  const match = (records as LamlRecord[]).find(
    (r) => typeof r.sid === "string" && !taken.has(r.sid) && outbound(r) && !(createdAt(r) < since.getTime()) && (voice || r.body === message.body),
  );
  if (match) return { carrierMessageId: match.sid as string, status: "sent" };
  const reachedOlder = (records as LamlRecord[]).some((r) => createdAt(r) < since.getTime());
  if (page.next_page_uri && !reachedOlder) {
    throw carrierError(account.carrier, "lookup_incomplete", `${account.carrier}: more than ${LOOKUP_PAGE_SIZE} ${resource} to ${message.to} since ${since.toISOString()}`);
  }
  return null;
}

/** The number a call comes from: the message's own sender when it is a number, else the configured one. */
export function callerNumber(message: OutboundMessage, configured: string): string {
  return message.from && isPhoneNumber(message.from) ? message.from : configured;
}

/** POST …/Calls with either inline TwiML or a document URL. */
export function createLamlCall(account: LamlAccount, to: string, from: string, document: { Twiml: string } | { Url: string; Method: "GET" | "POST" }): Promise<SendResult> {
  if (!isE164(to)) throw carrierError(account.carrier, "invalid_number", `${account.carrier}: "${to}" is not an E.164 number`);
  return create(account, account.callsResource, { To: to, From: from, ...document });
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] as string);
}

/** `<Response><Say …>text</Say></Response>`: what Twilio speaks (and SignalWire, from a cXML URL). */
export function sayDocument(text: string, options: { voice?: string; language?: string }): string {
  const attributes = [options.voice ? ` voice="${escapeXml(options.voice)}"` : "", options.language ? ` language="${escapeXml(options.language)}"` : ""].join("");
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Say${attributes}>${escapeXml(text)}</Say></Response>`;
}

function field(request: WebhookRequest, name: string): string | undefined {
  const source = request.method === "GET" ? request.query : request.form;
  for (const [key, value] of source) if (key === name) return value;
  return undefined;
}

/** Inbound text (form POST, or GET when so configured): MessageSid, From, To, Body. */
export function parseLamlInbound(request: WebhookRequest): InboundText | null {
  const sid = field(request, "MessageSid") ?? field(request, "SmsMessageSid") ?? field(request, "SmsSid");
  const from = toE164(field(request, "From"));
  if (!sid || !from) return null;
  return { carrierMessageId: sid, from, to: toE164(field(request, "To")) ?? field(request, "To") ?? null, body: field(request, "Body") ?? "" };
}

const MESSAGE_STATUS: Readonly<Record<string, StatusUpdate["status"]>> = {
  sent: "sent",
  delivered: "delivered",
  read: "delivered",
  failed: "failed",
  undelivered: "failed",
};
/** Call statuses, for calls placed with a StatusCallback: an answered call that completed was heard. */
const CALL_STATUS: Readonly<Record<string, StatusUpdate["status"]>> = {
  completed: "delivered",
  busy: "failed",
  "no-answer": "failed",
  failed: "failed",
  canceled: "failed",
};

/** Status callback: MessageSid + MessageStatus (+ ErrorCode), or CallSid + CallStatus. */
export function parseLamlStatus(request: WebhookRequest): StatusUpdate | null {
  const messageSid = field(request, "MessageSid") ?? field(request, "SmsSid");
  const messageStatus = field(request, "MessageStatus") ?? field(request, "SmsStatus");
  if (messageSid && messageStatus) {
    const status = MESSAGE_STATUS[messageStatus];
    if (!status) return null;
    const errorCode = field(request, "ErrorCode");
    return { carrierMessageId: messageSid, status, carrierError: status === "failed" ? `${messageStatus}${errorCode ? ` ${errorCode}` : ""}` : undefined };
  }
  const callSid = field(request, "CallSid");
  const callStatus = field(request, "CallStatus");
  const status = callStatus ? CALL_STATUS[callStatus] : undefined;
  if (callSid && callStatus && status) return { carrierMessageId: callSid, status, carrierError: status === "failed" ? callStatus : undefined };
  return null;
}

/** An empty TwiML answer: "received, no reply". */
export const EMPTY_RESPONSE = { contentType: "text/xml; charset=utf-8", body: '<?xml version="1.0" encoding="UTF-8"?><Response/>' } as const;

export function lamlWebhooks(configured: boolean, verify: CarrierWebhooks["verify"], voice?: CarrierWebhooks["voice"]): CarrierWebhooks {
  return { configured, verify, inbound: parseLamlInbound, status: parseLamlStatus, voice, inboundReply: EMPTY_RESPONSE };
}
