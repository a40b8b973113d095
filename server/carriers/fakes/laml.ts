/**
 * A stateful fake of the LaML REST API (Twilio, and SignalWire's compatibility API): POST Messages and
 * Calls accept and keep sends; GET Messages?To=&PageSize= and GET Calls?To=&From=&PageSize= list
 * them newest first, one page, with `next_page_uri` when more exist (laml.ts `findLamlSend`).
 */
import type { FakeReply, RecordedRequest } from "../fake-server.ts";
import { LOOKUP_PAGE_SIZE } from "../laml.ts";
import { type AcceptedSend, basic, exactFields, newestFirst, refuse, type StatefulFake } from "./stateful.ts";

export interface LamlFakeOptions {
  /** Path of the account's resources, e.g. /2010-04-01/Accounts/AC… */
  accountPath: string;
  messagesResource: string;
  callsResource: string;
  username: string;
  password: string;
  clock: () => Date;
}

/** A Message resource as the list shows it. */
export function lamlMessage(send: AcceptedSend): Record<string, unknown> {
  return { sid: send.id, to: send.to, from: send.from, body: send.body, direction: "outbound-api", status: "sent", date_created: send.at.toUTCString() };
}

/** A Call resource as the list shows it: a call still queued has no start time. */
export function lamlCall(send: AcceptedSend): Record<string, unknown> {
  return { sid: send.id, to: send.to, from: send.from, direction: "outbound-api", status: "queued", start_time: null, date_created: send.at.toUTCString() };
}

/** One page of a list: `key` is "messages" or "calls". */
export function lamlPage(key: "messages" | "calls", records: Record<string, unknown>[], more = false): FakeReply {
  return { status: 200, body: { [key]: records, page: 0, page_size: LOOKUP_PAGE_SIZE, next_page_uri: more ? `/next?Page=1&PageSize=${LOOKUP_PAGE_SIZE}` : null } };
}

export function lamlFake(options: LamlFakeOptions): StatefulFake {
  const sends: AcceptedSend[] = [];
  const problems: string[] = [];
  const messagesPath = `${options.accountPath}/${options.messagesResource}`;
  const callsPath = `${options.accountPath}/${options.callsResource}`;

  const accept = (request: RecordedRequest, channel: AcceptedSend["channel"]): FakeReply => {
    const form = request.form;
    const to = form?.get("To");
    if (!to) return refuse(problems, request, "no To");
    const id = `${channel === "sms" ? "SM" : "CA"}${String(sends.length + 1).padStart(32, "0")}`;
    const body = channel === "sms" ? (form?.get("Body") ?? "") : (form?.get("Twiml") ?? form?.get("Url") ?? "");
    sends.push({ id, channel, to, from: form?.get("From") ?? null, body, clientRef: null, at: options.clock() });
    return { status: 201, body: { sid: id, status: "queued" } };
  };

  const list = (request: RecordedRequest, channel: AcceptedSend["channel"]): FakeReply => {
    const to = request.query.get("To") ?? "";
    const from = request.query.get("From") ?? "";
    const why = exactFields(request.query, channel === "sms" ? { To: /^\+\d+$/, PageSize: "50" } : { To: /^\+\d+$/, From: /^\+\d+$/, PageSize: "50" });
    if (why) return refuse(problems, request, why);
    const found = newestFirst(sends).filter((s) => s.channel === channel && s.to === to && (channel === "sms" || s.from === from));
    const page = found.slice(0, LOOKUP_PAGE_SIZE).map(channel === "sms" ? lamlMessage : lamlCall);
    return lamlPage(channel === "sms" ? "messages" : "calls", page, found.length > LOOKUP_PAGE_SIZE);
  };

  return {
    sends,
    problems,
    handle(request) {
      if (request.headers.authorization !== basic(options.username, options.password)) return refuse(problems, request, "wrong Basic auth");
      const route = `${request.method} ${request.path}`;
      if (route === `POST ${messagesPath}`) return accept(request, "sms");
      if (route === `POST ${callsPath}`) return accept(request, "voice");
      if (route === `GET ${messagesPath}`) return list(request, "sms");
      if (route === `GET ${callsPath}`) return list(request, "voice");
      return refuse(problems, request, "no such route");
    },
  };
}
