/**
 * The verification lifecycle counted from the event bus (server/events/), as the audit log records it:
 * one subscriber sees every surface (native API, compat APIs, sign-in, sockets) and every way a
 * verification ends (TERMINAL_EVENT_STATUS), so no code path has to remember to count. Only this node's
 * own events count (`meta.remote` events came from another node over Redis and are counted there).
 */
import { uuidv7Time } from "../../lib/ids.ts";
import { countryOf } from "../../lib/phone.ts";
import type { EventBus } from "../events/bus.ts";
import { type EventPayloads, TERMINAL_EVENT_STATUS, type VerificationRef } from "../events/types.ts";
import type { Metrics } from "./metrics.ts";

/**
 * Countries of verifications created here and not finished yet, by id, so a final status needs no parse
 * (countryOf was 1.5% of the server's CPU on bench:api, docs/benchmarks.md). Bounded: past it the oldest go,
 * and a verification not found here (created on another node, before a restart, or evicted) is parsed.
 */
const PENDING_COUNTRIES = 100_000;

/** Subscribes `metrics` to `events`; returns the unsubscribe function. */
export function countEvents(events: EventBus, metrics: Metrics): () => void {
  const countries = new Map<string, string>();
  return events.subscribe("*", (event, meta) => {
    if (meta.remote) {
      // The budget is shared by every node: its state is every node's, whoever saw it trip.
      if (event.type === "send_budget.exhausted") metrics.budgetExhausted.set(1);
      if (event.type === "send_budget.recovered") metrics.budgetExhausted.set(0);
      return;
    }
    switch (event.type) {
      case "verification.created": {
        // The engine parsed the number already.
        const { surface, channel, country, verificationId } = event.data as EventPayloads["verification.created"];
        metrics.verificationStarted({ surface, channel, country });
        if (countries.size >= PENDING_COUNTRIES) countries.delete(countries.keys().next().value as string);
        countries.set(verificationId, country);
        return;
      }
      case "auth.start_blocked":
        metrics.refused((event.data as EventPayloads["auth.start_blocked"]).reason);
        return;
      case "send_budget.exhausted":
        metrics.budgetExhausted.set(1);
        return;
      case "send_budget.recovered":
        metrics.budgetExhausted.set(0);
        return;
    }
    const status = TERMINAL_EVENT_STATUS[event.type];
    if (!status) return;
    // Every terminal event's payload is a VerificationRef and more.
    const { surface, channel, to, verificationId } = event.data as VerificationRef;
    const country = countries.get(verificationId) ?? countryOf(to);
    countries.delete(verificationId);
    metrics.verificationFinished({ surface, channel, country, status });
    if (status === "approved") {
      // A verification's id is a UUIDv7: its first 48 bits are when it was created (lib/ids.ts).
      const seconds = (Date.parse(event.at) - uuidv7Time(verificationId)) / 1000;
      if (Number.isFinite(seconds)) metrics.createToApproval.observe({ surface, channel }, Math.max(0, seconds));
    }
  });
}
