/**
 * Routes inbound texts to the units waiting for them, by sender number and expected answer. Only texts
 * received while a unit waits can match (an earlier answer is never replayed into a later unit); a text
 * that matches nothing is ignored (the inbound path has already stored it). The texts come from a feed:
 * `inbound.received` on the event bus in process (`busReplies`), `inbound.message` events of the REST
 * event stream for a host's gate (server/kit/ws-remote.ts).
 */
import type { EventBus } from "../events/bus.ts";
import type { InboundService } from "../inbound/receive.ts";

/** A text a phone sent: its stored id, the sender's number, the words. */
export interface InboundText {
  inboundId: string;
  from: string;
  body: string;
}

/** Starts handing texts to `deliver` as they arrive; returns the stop. */
export type InboundFeed = (deliver: (text: InboundText) => void) => () => void;

/** Records that a text answered the socket `connectionId` (in process: `InboundService.markMatched`). */
export type MarkMatched = (inboundId: string, connectionId: string) => Promise<void>;

interface Waiter {
  connectionId: string;
  match(body: string): "accept" | "deny" | null;
  resolve(outcome: "accept" | "deny"): void;
}

export class ReplyRouter {
  private readonly byPhone = new Map<string, Set<Waiter>>();
  private readonly unsubscribe: () => void;

  constructor(feed: InboundFeed, private readonly markMatched: MarkMatched | null, private readonly onError: (error: unknown) => void) {
    this.unsubscribe = feed((text) => this.received(text.inboundId, text.from, text.body));
  }

  wait(phone: string, connectionId: string, match: Waiter["match"], signal: AbortSignal): Promise<"accept" | "deny"> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const set = this.byPhone.get(phone) ?? new Set();
      const waiter: Waiter = {
        connectionId,
        match,
        resolve: (outcome) => {
          done();
          resolve(outcome);
        },
      };
      const onAbort = () => {
        done();
        reject(signal.reason);
      };
      const done = () => {
        signal.removeEventListener("abort", onAbort);
        set.delete(waiter);
        if (!set.size && this.byPhone.get(phone) === set) this.byPhone.delete(phone);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      set.add(waiter);
      this.byPhone.set(phone, set);
    });
  }

  private received(inboundId: string, from: string, body: string): void {
    const set = this.byPhone.get(from);
    if (!set) return;
    for (const waiter of set) {
      const outcome = waiter.match(body);
      if (!outcome) continue;
      waiter.resolve(outcome);
      this.markMatched?.(inboundId, waiter.connectionId).catch(this.onError);
      return;
    }
  }

  close(): void {
    this.unsubscribe();
  }
}

/** The in-process router: texts from the event bus, matches recorded on the `inbound_messages` row. */
export function busReplies(events: EventBus, inbound: Pick<InboundService, "markMatched">, onError: (error: unknown) => void): ReplyRouter {
  return new ReplyRouter(
    (deliver) => events.subscribe("inbound.received", (event) => deliver(event.data)),
    (inboundId, connectionId) => inbound.markMatched(inboundId, `socket-unit:${connectionId}`),
    onError,
  );
}
