/**
 * The owner desk of one process: connection requests waiting for an owner's decision (owner-alert unit
 * with `waitForDecision`), decided by an SMS from an owner's number (OWNER_PHONES) — "ACCEPT K7Q2" /
 * "DENY K7Q2" — or over HTTP from the /owner page.
 *
 * References are 4 characters (no look-alikes such as 0/O, 1/I), unique among the pending requests of this
 * process. A bare "ACCEPT"/"DENY" without a reference decides the request only when exactly one is pending;
 * with several it is ignored (it would be ambiguous). Texts from other numbers, and references that match
 * nothing, are ignored. Inbound texts reach every node through the event bus (Redis bridge), so an SMS
 * decision works whichever node holds the socket; HTTP decisions and the /owner list see only this
 * process's requests and sockets (the socket server registers them with `setOwnerConsole`).
 */
import crypto from "node:crypto";
import type { EventBus } from "../events/bus.ts";

export type OwnerDecision = "accept" | "deny";

export interface OwnerRequest {
  reference: string;
  connectionId: string;
  userId: string;
  /** The user's name and masked number, e.g. "Ada (+1•••123)". */
  who: string;
  path: string;
  createdAt: string;
}

export interface SocketSummary {
  id: string;
  userId: string;
  path: string;
  state: "pending" | "admitted" | "closed";
}

/** What Next's route handlers see of the socket server of this process. */
export interface OwnerConsole {
  requests(): OwnerRequest[];
  decide(reference: string, decision: OwnerDecision): boolean;
  sockets(): SocketSummary[];
}

declare global {
  var __textgateOwnerConsole: OwnerConsole | undefined;
}

/** Registered by the socket server (server/ws/index.ts); null when this process runs none. */
export function setOwnerConsole(console: OwnerConsole | undefined): void {
  globalThis.__textgateOwnerConsole = console;
}

export function getOwnerConsole(): OwnerConsole | null {
  return globalThis.__textgateOwnerConsole ?? null;
}

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const REFERENCE_LENGTH = 4;

/** "+1•••123": the country prefix and the last three digits. */
export function maskPhone(phone: string): string {
  return phone.length <= 6 ? "•••" : `${phone.slice(0, 2)}•••${phone.slice(-3)}`;
}

export function describeUser(user: { name: string | null; phone: string }): string {
  const masked = maskPhone(user.phone);
  const name = user.name?.trim();
  return name ? `${name} (${masked})` : masked;
}

/** Reads "ACCEPT K7Q2", "deny k7q2", or a bare "ACCEPT"/"DENY" (reference null); anything else is null. */
export function parseOwnerReply(body: string): { decision: OwnerDecision; reference: string | null } | null {
  const words = body.trim().toUpperCase().split(/\s+/).filter(Boolean);
  if (!words.length || words.length > 2) return null;
  const decision = words[0] === "ACCEPT" ? "accept" : words[0] === "DENY" ? "deny" : null;
  if (!decision) return null;
  return { decision, reference: words[1] ?? null };
}

interface Entry {
  request: OwnerRequest;
  resolve(decision: OwnerDecision): void;
}

export class OwnerDesk {
  private readonly pending = new Map<string, Entry>();
  private readonly owners: ReadonlySet<string>;
  private readonly unsubscribe: () => void;

  constructor(
    events: EventBus,
    owners: readonly string[],
    private readonly notify: (to: string, body: string) => Promise<boolean>,
  ) {
    this.owners = new Set(owners);
    this.unsubscribe = events.subscribe("inbound.received", (event) => this.received(event.data.from, event.data.body));
  }

  get ownerCount(): number {
    return this.owners.size;
  }

  isOwner(phone: string | null | undefined): boolean {
    return Boolean(phone && this.owners.has(phone));
  }

  /** Texts every owner; resolves with the number of owners a carrier took the text for. */
  async alert(body: string): Promise<number> {
    const sent = await Promise.all([...this.owners].map((to) => this.notify(to, body)));
    return sent.filter(Boolean).length;
  }

  /**
   * Registers a request with a fresh reference. `decision` resolves with the first decision; it rejects
   * (and the request is withdrawn) when `signal` aborts (timeout, socket closed).
   */
  open(fields: Omit<OwnerRequest, "reference" | "createdAt">, signal: AbortSignal): { reference: string; decision: Promise<OwnerDecision> } {
    const reference = this.newReference();
    const request: OwnerRequest = { ...fields, reference, createdAt: new Date().toISOString() };
    const decision = new Promise<OwnerDecision>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.pending.delete(reference);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.pending.set(reference, {
        request,
        resolve: (outcome) => {
          signal.removeEventListener("abort", onAbort);
          this.pending.delete(reference);
          resolve(outcome);
        },
      });
    });
    return { reference, decision };
  }

  /** Decides a pending request; false when no request has this reference (decided, withdrawn, unknown). */
  decide(reference: string, decision: OwnerDecision): boolean {
    const entry = this.pending.get(reference.toUpperCase());
    if (!entry) return false;
    entry.resolve(decision);
    return true;
  }

  requests(): OwnerRequest[] {
    return [...this.pending.values()].map((entry) => entry.request);
  }

  close(): void {
    this.unsubscribe();
  }

  private received(from: string, body: string): void {
    if (!this.owners.has(from)) return;
    const reply = parseOwnerReply(body);
    if (!reply) return;
    if (reply.reference) {
      this.decide(reply.reference, reply.decision);
      return;
    }
    if (this.pending.size === 1) {
      const [only] = this.pending.keys();
      if (only) this.decide(only, reply.decision);
    }
  }

  private newReference(): string {
    for (;;) {
      let reference = "";
      for (let i = 0; i < REFERENCE_LENGTH; i++) reference += ALPHABET[crypto.randomInt(ALPHABET.length)];
      if (!this.pending.has(reference)) return reference;
    }
  }
}
