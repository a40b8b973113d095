/**
 * A stateful fake of Textmagic's REST API v2: POST /api/v2/messages accepts and keeps texts and
 * text-to-speech messages; GET /api/v2/messages?page=1&limit=100 lists them newest first, the way
 * textmagic.ts assumes [UNCONFIRMED: the order].
 */
import type { FakeReply, RecordedRequest } from "../fake-server.ts";
import { withoutPlus } from "../http.ts";
import { LOOKUP_LIMIT } from "../textmagic.ts";
import { type AcceptedSend, exactFields, newestFirst, refuse, type StatefulFake } from "./stateful.ts";

export interface TextmagicFakeOptions {
  username: string;
  apiKey: string;
  clock: () => Date;
}

/** An outbound message resource (MessageOut). */
export function messageOut(send: AcceptedSend): Record<string, unknown> {
  return {
    id: Number(send.id),
    receiver: withoutPlus(send.to),
    sender: send.from,
    text: send.body,
    status: "d",
    messageTime: send.at.toISOString().replace(/\.\d{3}Z$/, "+0000"),
    charsetLabel: send.channel === "voice" ? "Voice" : "ISO-8859-1",
    partsCount: 1,
  };
}

/** One page of GET /api/v2/messages. */
export function messagesPage(resources: Record<string, unknown>[], pageCount = 1): FakeReply {
  return { status: 200, body: { page: 1, pageCount, limit: LOOKUP_LIMIT, resources } };
}

export function textmagicFake(options: TextmagicFakeOptions): StatefulFake {
  const sends: AcceptedSend[] = [];
  const problems: string[] = [];

  const accept = (request: RecordedRequest): FakeReply => {
    const body = request.json as { text?: string; phones?: string; from?: string; tts?: boolean } | undefined;
    if (!body?.text || !body.phones) return refuse(problems, request, "no text or phones");
    const id = String(49576009 + sends.length);
    sends.push({ id, channel: body.tts ? "voice" : "sms", to: `+${body.phones}`, from: body.from ?? null, body: body.text, clientRef: null, at: options.clock() });
    return { status: 201, body: { id: Number(id), href: `/api/v2/messages/${id}`, type: "message", messageId: Number(id) } };
  };

  const list = (request: RecordedRequest): FakeReply => {
    const why = exactFields(request.query, { page: "1", limit: String(LOOKUP_LIMIT) });
    if (why) return refuse(problems, request, why);
    const all = newestFirst(sends);
    return messagesPage(all.slice(0, LOOKUP_LIMIT).map(messageOut), Math.max(1, Math.ceil(all.length / LOOKUP_LIMIT)));
  };

  return {
    sends,
    problems,
    handle(request) {
      if (request.headers["x-tm-username"] !== options.username || request.headers["x-tm-key"] !== options.apiKey) return refuse(problems, request, "wrong X-TM headers");
      const route = `${request.method} ${request.path}`;
      if (route === "POST /api/v2/messages") return accept(request);
      if (route === "GET /api/v2/messages") return list(request);
      return refuse(problems, request, "no such route");
    },
  };
}
