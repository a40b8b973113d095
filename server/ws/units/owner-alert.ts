/**
 * Owner alert: texts every owner (OWNER_PHONES) that someone is connecting — who (name and masked number)
 * and the socket path. Alone (`waitForDecision` false) it only informs and passes at once. With
 * `waitForDecision` the socket stays pending (`{ type: "pending", unit: "owner-approval", reference }`) until
 * an owner answers "ACCEPT <ref>" (passes) or "DENY <ref>" (closes 4001 "denied by owner") by SMS, or decides
 * on /owner (on any node); the timeout closes 4002. A bare ACCEPT/DENY counts only when exactly one request is pending
 * (see server/ws/owner.ts). With no owner configured, a socket that needs a decision is denied at once.
 */
import { CLOSE, CLOSE_REASON } from "../../../lib/socket/protocol.ts";
import { describeUser } from "../owner.ts";
import type { SessionUnit } from "../sessions.ts";

export interface OwnerAlertOptions {
  /** The alert's first sentence; `{who}` and `{path}` are filled in. Default "textgate: {who} is connecting to {path}." */
  text?: string;
  /** Keep the socket pending until an owner decides. Default false (alert only). */
  waitForDecision?: boolean;
  /** Default 120 s. */
  timeoutMs?: number;
}

export function ownerAlert(options: OwnerAlertOptions = {}): SessionUnit {
  const template = options.text ?? "textgate: {who} is connecting to {path}.";
  const timeoutMs = options.timeoutMs ?? 120_000;
  return {
    name: "owner-alert",
    timeoutMs,
    async run(ctx) {
      const who = describeUser(ctx.user);
      const lead = template.replaceAll("{who}", who).replaceAll("{path}", ctx.path);
      if (!options.waitForDecision) {
        await ctx.owners.alert(lead);
        return { ok: true };
      }
      if (!ctx.owners.ownerCount) return { ok: false, code: CLOSE.denied, reason: CLOSE_REASON.noOwner };
      const { reference, decision } = await ctx.owners.open({ connectionId: ctx.connectionId, userId: ctx.user.id, who, path: ctx.path }, ctx.signal, timeoutMs);
      ctx.pending({ type: "pending", unit: "owner-approval", reference });
      await ctx.owners.alert(`${lead} Reply ACCEPT ${reference} or DENY ${reference}.`);
      return (await decision) === "accept" ? { ok: true } : { ok: false, code: CLOSE.denied, reason: CLOSE_REASON.deniedByOwner };
    },
  };
}
