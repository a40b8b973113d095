/**
 * Routes inbound texts (`inbound.received`) to the units waiting for them, by sender number and expected
 * answer. Only texts received while a unit waits can match (an earlier answer is never replayed into a
 * later unit); a text that matches nothing is ignored (the inbound path has already stored it).
 */
import type { EventBus } from "../events/bus.ts";
import type { InboundService } from "../inbound/receive.ts";

interface Waiter {
  connectionId: string;
  match(body: string): "accept" | "deny" | null;
  resolve(outcome: "accept" | "deny"): void;
}

export class ReplyRouter {
  private readonly byPhone = new Map<string, Set<Waiter>>();
  private readonly unsubscribe: () => void;

  constructor(events: EventBus, private readonly inbound: Pick<InboundService, "markMatched">, private readonly onError: (error: unknown) => void) {
    this.unsubscribe = events.subscribe("inbound.received", (event) => this.received(event.data.inboundId, event.data.from, event.data.body));
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
      this.inbound.markMatched(inboundId, `socket-unit:${waiter.connectionId}`).catch(this.onError);
      return;
    }
  }

  close(): void {
    this.unsubscribe();
  }
}
