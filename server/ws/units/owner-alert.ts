/**
 * Owner alert: texts every owner (OWNER_PHONES) that someone is connecting — who (name and masked number)
 * and the socket path. Alone (`waitForDecision` false) it only informs and passes at once. With
 * `waitForDecision` the socket stays pending (`{ type: "pending", unit: "owner-approval", reference }`) until
 * an owner answers "ACCEPT <ref>" (passes) or "DENY <ref>" (closes 4001 "denied by owner") by SMS, or decides
 * on /owner (on any node); the timeout closes 4002. A bare ACCEPT/DENY counts only when exactly one request is pending
 * (see server/owners/desk.ts). With no owner configured, a socket that needs a decision is denied at once.
 */
import { CLOSE, CLOSE_REASON } from "../../../lib/socket/protocol.ts";
import { describeUser } from "../../owners/desk.ts";
import type { SessionUnit } from "../sessions.ts";

export interface OwnerAlertOptions {
  /**
   * Replaces the alert's first sentence (the catalog's "{brand}: {who} is connecting to {path}.", in each
   * owner's language); `{who}` and `{path}` are filled in.
   */
  text?: string;
  /** Keep the socket pending until an owner decides. Default false (alert only). */
  waitForDecision?: boolean;
  /** Default 120 s. */
  timeoutMs?: number;
}

export function ownerAlert(options: OwnerAlertOptions = {}): SessionUnit {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return {
    name: "owner-alert",
    timeoutMs,
    needsOwnerDesk: true,
    async run(ctx) {
      // createSocketGate refuses this unit on a backend without owner alerts.
      const owners = ctx.owners;
      if (!owners) throw new Error("ownerAlert() needs a backend with owner alerts");
      // Each owner gets the alert in the language of their number (server/owners/desk.ts).
      const alert = { who: describeUser(ctx.user), path: ctx.path, ...(options.text ? { text: options.text } : {}) };
      if (!options.waitForDecision) {
        await owners.announce(alert);
        return { ok: true };
      }
      const asked = await owners.ask({ ...alert, connectionId: ctx.connectionId, userId: ctx.user.id }, ctx.signal, timeoutMs);
      if (!asked) return { ok: false, code: CLOSE.denied, reason: CLOSE_REASON.noOwner };
      ctx.pending({ type: "pending", unit: "owner-approval", reference: asked.reference });
      return (await asked.decision) === "accept" ? { ok: true } : { ok: false, code: CLOSE.denied, reason: CLOSE_REASON.deniedByOwner };
    },
  };
}
