/**
 * A stateful fake of the Vonage APIs textgate uses: the SMS API (POST /sms/json, `client-ref` kept),
 * the Voice API (POST /v1/calls and its call list GET /v1/calls) and the Reports API's synchronous
 * records (GET /v2/reports/records), answering lookups the way vonage-reports.ts and vonage.ts assume.
 */
import { withoutPlus } from "../http.ts";
import type { FakeReply, RecordedRequest } from "../fake-server.ts";
import { type AcceptedSend, basic, exactFields, newestFirst, refuse, type StatefulFake } from "./stateful.ts";

export interface VonageFakeOptions {
  apiKey: string;
  apiSecret: string;
  clock: () => Date;
}

const ISO_SECOND = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const CALL_PAGE_SIZE = 100;

/** A Reports API answer; TRUNCATED says more records exist than it holds. */
export function reportsAnswer(records: Record<string, unknown>[], truncated = false): FakeReply {
  return { status: 200, body: { request_status: truncated ? "TRUNCATED" : "SUCCESS", product: "SMS", direction: "outbound", items_count: records.length, records } };
}

/** An outbound SMS record of the Reports API. */
export function reportsSmsRecord(send: AcceptedSend): Record<string, unknown> {
  return { message_id: send.id, client_ref: send.clientRef, direction: "outbound", to: withoutPlus(send.to), from: send.from, status: "accepted", date_received: send.at.toISOString() };
}

/** One page of the Voice API's call list; `more` adds the link to the next page. */
export function callsPage(calls: Record<string, unknown>[], more = false): FakeReply {
  const next = more ? { next: { href: "/v1/calls?record_index=100" } } : {};
  return { status: 200, body: { count: calls.length, page_size: CALL_PAGE_SIZE, record_index: 0, _links: { self: { href: "/v1/calls" }, ...next }, _embedded: { calls } } };
}

/** A call of the Voice API's call list. */
export function listedCall(send: AcceptedSend): Record<string, unknown> {
  return {
    uuid: send.id,
    conversation_uuid: `CON-${send.id}`,
    to: { type: "phone", number: withoutPlus(send.to) },
    from: { type: "phone", number: send.from },
    direction: "outbound",
    status: "started",
    start_time: send.at.toISOString(),
  };
}

export function vonageFake(options: VonageFakeOptions): StatefulFake {
  const sends: AcceptedSend[] = [];
  const problems: string[] = [];
  const keyAuth = basic(options.apiKey, options.apiSecret);
  const jwt = (request: RecordedRequest) => /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(String(request.headers.authorization));

  const acceptSms = (request: RecordedRequest): FakeReply => {
    const sms = request.json as { to?: string; from?: string; text?: string; "client-ref"?: string } | undefined;
    if (!sms?.to || !sms.text) return refuse(problems, request, "no to or text");
    const id = `0A${String(sends.length + 1).padStart(14, "0")}`;
    sends.push({ id, channel: "sms", to: `+${sms.to}`, from: sms.from ?? null, body: sms.text, clientRef: sms["client-ref"] ?? null, at: options.clock() });
    return { status: 200, body: { "message-count": "1", messages: [{ to: sms.to, "message-id": id, status: "0", "client-ref": sms["client-ref"] }] } };
  };

  const acceptCall = (request: RecordedRequest): FakeReply => {
    const call = request.json as { to?: { number?: string }[]; from?: { number?: string }; ncco?: { text?: string }[] } | undefined;
    const to = call?.to?.[0]?.number;
    if (!to) return refuse(problems, request, "no to");
    const id = `63f61863-4a51-4f6b-86e1-${String(sends.length + 1).padStart(12, "0")}`;
    sends.push({ id, channel: "voice", to: `+${to}`, from: call?.from?.number ?? null, body: call?.ncco?.[0]?.text ?? "", clientRef: null, at: options.clock() });
    return { status: 201, body: { uuid: id, status: "started", direction: "outbound", conversation_uuid: `CON-${id}` } };
  };

  const smsRecords = (request: RecordedRequest): FakeReply => {
    const q = request.query;
    const why = exactFields(q, { account_id: options.apiKey, product: "SMS", direction: "outbound", date_start: ISO_SECOND, date_end: ISO_SECOND, to: /^\d+$/ });
    if (why) return refuse(problems, request, why);
    const start = Date.parse(q.get("date_start") as string);
    const end = Date.parse(q.get("date_end") as string);
    if (!(start <= end && end - start <= 24 * 3600_000)) return refuse(problems, request, "date_end must follow date_start within 24 h");
    const to = `+${q.get("to")}`;
    const found = sends.filter((s) => s.channel === "sms" && s.to === to && s.at.getTime() >= start && s.at.getTime() < end);
    return reportsAnswer(found.map(reportsSmsRecord));
  };

  const callList = (request: RecordedRequest): FakeReply => {
    const why = exactFields(request.query, { date_start: ISO_SECOND, page_size: "100", order: "desc" });
    if (why) return refuse(problems, request, why);
    const start = Date.parse(request.query.get("date_start") as string);
    const found = newestFirst(sends).filter((s) => s.channel === "voice" && s.at.getTime() >= start);
    return callsPage(found.slice(0, CALL_PAGE_SIZE).map(listedCall), found.length > CALL_PAGE_SIZE);
  };

  return {
    sends,
    problems,
    handle(request) {
      const route = `${request.method} ${request.path}`;
      if (route === "POST /sms/json") return request.headers.authorization === keyAuth ? acceptSms(request) : refuse(problems, request, "wrong Basic auth");
      if (route === "GET /v2/reports/records") return request.headers.authorization === keyAuth ? smsRecords(request) : refuse(problems, request, "wrong Basic auth");
      if (route === "POST /v1/calls") return jwt(request) ? acceptCall(request) : refuse(problems, request, "no JWT");
      if (route === "GET /v1/calls") return jwt(request) ? callList(request) : refuse(problems, request, "no JWT");
      return refuse(problems, request, "no such route");
    },
  };
}
