/**
 * Owner alert: texts every owner (OWNER_PHONES) that someone is connecting — who (name and masked number)
 * and the socket path. Alone (`waitForDecision` false) it only informs and passes at once. With
 * `waitForDecision` the socket stays pending (`{ type: "pending", unit: "owner-approval", reference }`) until
 * an owner answers "ACCEPT <ref>" (passes) or "DENY <ref>" (closes 4001 "denied by owner") by SMS, or decides
 * on /owner (on any node); the timeout closes 4002. A bare ACCEPT/DENY counts only when exactly one request is pending
 * (see server/owners/desk.ts). With no owner configured, a socket that needs a decision is denied at once.
 */
import { CLOSE, CLOSE_REASON } from "../../../lib/socket/protocol.ts";
import { fillPlaceholders } from "../../verification/notices.ts";
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
      // createSocketGate refuses this unit without an owner desk (a remote textgate has none over REST).
      const owners = ctx.owners;
      if (!owners) throw new Error("ownerAlert() needs textgate in process (an owner desk)");
      const who = describeUser(ctx.user);
      const values = { who, path: ctx.path };
      // Each owner gets the alert in the language of their number (OwnerDesk.notice).
      const lead = (to: string) => (options.text ? fillPlaceholders(options.text, values) : owners.notice(to, "ownerAlert", values));
      if (!options.waitForDecision) {
        await owners.alert(lead);
        return { ok: true };
      }
      if (!owners.ownerCount) return { ok: false, code: CLOSE.denied, reason: CLOSE_REASON.noOwner };
      const { reference, decision } = await owners.open({ connectionId: ctx.connectionId, userId: ctx.user.id, who, path: ctx.path }, ctx.signal, timeoutMs);
      ctx.pending({ type: "pending", unit: "owner-approval", reference });
      await owners.alert((to) => `${lead(to)} ${owners.notice(to, "ownerDecide", { ref: reference })}`);
      return (await decision) === "accept" ? { ok: true } : { ok: false, code: CLOSE.denied, reason: CLOSE_REASON.deniedByOwner };
    },
  };
}
