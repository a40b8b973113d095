/**
 * A stateful fake of Textlocal: POST /send/ accepts and keeps texts with their `custom` reference;
 * POST /get_history_api/ lists them newest first between min_time and max_time, the record fields
 * textlocal.ts assumes (`id`, `number`, `content`, `datetime`, `customID`) [UNCONFIRMED].
 */
import type { FakeReply, RecordedRequest } from "../fake-server.ts";
import { withoutPlus } from "../http.ts";
import { HISTORY_LIMIT } from "../textlocal.ts";
import { type AcceptedSend, exactFields, newestFirst, refuse, type StatefulFake } from "./stateful.ts";

export interface TextlocalFakeOptions {
  apiKey: string;
  clock: () => Date;
}

/** A message of the API history, as textlocal.ts reads it. */
export function historyMessage(send: AcceptedSend): Record<string, unknown> {
  return {
    id: send.id,
    number: Number(withoutPlus(send.to)),
    content: send.body,
    sender: send.from,
    datetime: send.at.toISOString().slice(0, 19).replace("T", " "),
    status: "D",
    customID: send.clientRef ?? "",
  };
}

export function historyAnswer(messages: Record<string, unknown>[]): FakeReply {
  return { status: 200, body: { total: messages.length, start: 0, limit: HISTORY_LIMIT, messages, status: "success" } };
}

export function textlocalFake(options: TextlocalFakeOptions): StatefulFake {
  const sends: AcceptedSend[] = [];
  const problems: string[] = [];

  const accept = (request: RecordedRequest): FakeReply => {
    const form = request.form;
    const numbers = form?.get("numbers");
    if (!numbers || !form?.get("message")) return refuse(problems, request, "no numbers or message");
    const id = String(1151346216 + sends.length);
    sends.push({ id, channel: "sms", to: `+${numbers}`, from: form.get("sender"), body: form.get("message") as string, clientRef: form.get("custom"), at: options.clock() });
    return { status: 200, body: { batch_id: Number(id) + 1000, num_messages: 1, custom: form.get("custom"), messages: [{ id, recipient: Number(numbers) }], status: "success" } };
  };

  const history = (request: RecordedRequest): FakeReply => {
    const why = exactFields(request.form, { apikey: options.apiKey, min_time: /^\d+$/, max_time: /^\d+$/, sort_order: "desc", start: "0", limit: String(HISTORY_LIMIT) });
    if (why) return refuse(problems, request, why);
    const from = Number(request.form?.get("min_time")) * 1000;
    const to = Number(request.form?.get("max_time")) * 1000;
    const found = newestFirst(sends).filter((s) => s.at.getTime() >= from && s.at.getTime() <= to);
    return historyAnswer(found.slice(0, HISTORY_LIMIT).map(historyMessage));
  };

  return {
    sends,
    problems,
    handle(request) {
      if (request.method !== "POST") return refuse(problems, request, "Textlocal takes POST");
      if (request.form?.get("apikey") !== options.apiKey) return refuse(problems, request, "wrong apikey");
      if (request.path === "/send/") return accept(request);
      if (request.path === "/get_history_api/") return history(request);
      return refuse(problems, request, "no such route");
    },
  };
}
