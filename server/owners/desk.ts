/**
 * The owner desk of one process: connection requests waiting for an owner's decision (owner-alert unit
 * with `waitForDecision`), decided by an SMS from an owner's number (OWNER_PHONES) — "ACCEPT K7Q2" /
 * "DENY K7Q2" — or over HTTP from the /owner page.
 *
 * Several nodes: pending requests live in the database (`owner-requests.ts`), so every node lists them all
 * and references are unique among all pending requests. A decision is taken where it arrives: the node
 * that receives the owner's SMS (not the copies of `inbound.received` other nodes get over Redis) or the
 * /owner request deletes the row (one winner) and publishes `owner.decided`; the node holding the socket
 * (this one, or another through the Redis bridge) resolves its waiting unit.
 *
 * References are 4 characters (no look-alikes such as 0/O, 1/I). A bare "ACCEPT"/"DENY" without a reference
 * decides the request only when exactly one is pending (on any node); with several it is ignored (it would
 * be ambiguous). Texts from other numbers, and references that match nothing, are ignored.
 */
import crypto from "node:crypto";
import { TextgateError } from "../../lib/errors.ts";
import { maskPhone } from "../../lib/phone.ts";
import type { EventBus } from "../events/bus.ts";
import { fillPlaceholders, type NoticeKey, type NoticeValues } from "../verification/notices.ts";

export type OwnerDecision = "accept" | "deny";

export interface OwnerRequest {
  reference: string;
  connectionId: string;
  userId: string;
  /** The user's name and masked number, e.g. "Ada (+1•••••••123)". */
  who: string;
  path: string;
  createdAt: string;
}

/** A pending request as stored: which node holds the socket, and until when it can be decided. */
export interface StoredOwnerRequest extends OwnerRequest {
  node: string;
  expiresAt: Date;
}

/** Where the desk keeps pending requests: the database for every node (owner-requests.ts). */
export interface OwnerRequestStore {
  /** Stores a new request; false when its reference is taken by another pending request. */
  add(request: StoredOwnerRequest): Promise<boolean>;
  /** Deletes a request the holding node withdraws (no-op when it was decided meanwhile). */
  remove(reference: string, connectionId: string): Promise<void>;
  /** Deletes the pending request `reference` if `node` holds it; false when it does not (decided, withdrawn, another's). */
  removeHeldBy(reference: string, node: string): Promise<boolean>;
  /** Deletes a pending, unexpired request and returns it: the one winner of concurrent decisions. */
  take(reference: string, now: Date): Promise<StoredOwnerRequest | null>;
  /** Every pending, unexpired request, oldest first. */
  list(now: Date): Promise<StoredOwnerRequest[]>;
  /** The node holding a pending, unexpired request, or null. */
  holder(reference: string, now: Date): Promise<string | null>;
}

/**
 * The holder of a request a remote gate opened over REST (POST /api/v1/owner-alerts): no node holds its
 * socket; the decision reaches the gate as `owner.decided` on the event stream, which every node serves.
 */
export const REST_HOLDER = "rest";

/** Who is connecting where, as the owners' alert says it; `text` replaces the catalog's first sentence (in process only). */
export interface OwnerAlertFields {
  who: string;
  path: string;
  text?: string;
}

/** What the Owner alert unit asks of the owners (server/ws/units/owner-alert.ts): the desk in process, REST in remote mode. */
export interface OwnerAlerts {
  /** Texts every owner the alert; how many a carrier took it for. */
  announce(alert: OwnerAlertFields): Promise<number>;
  /**
   * Opens a request the owners decide and texts them the alert with its reference; null when no owner is
   * configured. `decision` rejects when `signal` aborts (the request is then withdrawn).
   */
  ask(alert: OwnerAlertFields & { connectionId: string; userId: string }, signal: AbortSignal, ttlMs: number): Promise<{ reference: string; decision: Promise<OwnerDecision> } | null>;
}

/** A pending request as the /owner page lists it: with the node holding the socket. */
export interface ListedOwnerRequest extends OwnerRequest {
  node: string;
}

/** The open sockets of one node (its last report, or live for this node). */
export interface NodeSockets {
  node: string;
  sockets: number;
  pending: number;
  /** This process. */
  local: boolean;
}

export interface SocketsSummary {
  count: number;
  pending: number;
  nodes: NodeSockets[];
}

/** Request references: 4 characters without look-alikes (0/O, 1/I). */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const REFERENCE_LENGTH = 4;

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

export interface OwnerDeskOptions {
  events: EventBus;
  owners: readonly string[];
  /** Texts one owner; false when no carrier took it. */
  notify(to: string, body: string): Promise<boolean>;
  /** The catalog text `key` for the owner `to`, in the language of their number, with the brand (notices.ts noticeFor). */
  notice(to: string, key: NoticeKey, values?: NoticeValues): string;
  store: OwnerRequestStore;
  /** This process's id among the nodes. */
  node: string;
  /** True when events reach the other nodes (REDIS_URL); without it a decision only reaches this node's sockets. */
  crossNodeEvents: boolean;
  /** Failures of the store while withdrawing a request or reading an owner's SMS (never thrown). */
  onError(error: unknown): void;
  clock?: () => Date;
}

export class OwnerDesk implements OwnerAlerts {
  /** The requests whose sockets this process holds, by reference. */
  private readonly pending = new Map<string, Entry>();
  private readonly owners: ReadonlySet<string>;
  private readonly unsubscribe: (() => void)[];
  private readonly clock: () => Date;

  constructor(private readonly options: OwnerDeskOptions) {
    this.owners = new Set(options.owners);
    this.clock = options.clock ?? (() => new Date());
    this.unsubscribe = [
      options.events.subscribe("owner.decided", (event) => this.decided(event.data.reference, event.data.connectionId, event.data.decision)),
      options.events.subscribe("inbound.received", (event, meta) => {
        // Only the node that received the text acts on it; the others get the decision as `owner.decided`.
        if (!meta.remote) this.received(event.data.from, event.data.body).catch(options.onError);
      }),
    ];
  }

  get ownerCount(): number {
    return this.owners.size;
  }

  isOwner(phone: string | null | undefined): boolean {
    return Boolean(phone && this.owners.has(phone));
  }

  /** Texts every owner (`body` per owner: each in their language); resolves with the number of owners a carrier took the text for. */
  async alert(body: (to: string) => string): Promise<number> {
    const sent = await Promise.all([...this.owners].map((to) => this.options.notify(to, body(to))));
    return sent.filter(Boolean).length;
  }

  notice(to: string, key: NoticeKey, values?: NoticeValues): string {
    return this.options.notice(to, key, values);
  }

  /** The alert's first sentence for the owner `to`: the catalog's, in their language, or the unit's own `text`. */
  private lead(to: string, { who, path, text }: OwnerAlertFields): string {
    return text ? fillPlaceholders(text, { who, path }) : this.notice(to, "ownerAlert", { who, path });
  }

  /** Texts every owner the alert and how to decide the request `reference`. */
  private askOwners(alert: OwnerAlertFields, reference: string): Promise<number> {
    return this.alert((to) => `${this.lead(to, alert)} ${this.notice(to, "ownerDecide", { ref: reference })}`);
  }

  announce(alert: OwnerAlertFields): Promise<number> {
    return this.alert((to) => this.lead(to, alert));
  }

  async ask(
    alert: OwnerAlertFields & { connectionId: string; userId: string },
    signal: AbortSignal,
    ttlMs: number,
  ): Promise<{ reference: string; decision: Promise<OwnerDecision> } | null> {
    if (!this.ownerCount) return null;
    const opened = await this.open({ connectionId: alert.connectionId, userId: alert.userId, who: alert.who, path: alert.path }, signal, ttlMs);
    await this.askOwners(alert, opened.reference);
    return opened;
  }

  /**
   * A request for a remote gate (POST /api/v1/owner-alerts): stored for every node with REST_HOLDER, the
   * owners texted; nobody here waits for it, the decision goes out as `owner.decided`. Null without owners.
   */
  async askForRemote(alert: { who: string; path: string; connectionId: string; userId: string }, ttlMs: number): Promise<{ reference: string; sent: number; expiresAt: Date } | null> {
    if (!this.ownerCount) return null;
    for (;;) {
      const reference = this.newReference();
      const createdAt = this.clock();
      const expiresAt = new Date(createdAt.getTime() + ttlMs);
      const stored = await this.options.store.add({ ...alert, reference, createdAt: createdAt.toISOString(), node: REST_HOLDER, expiresAt });
      if (!stored) continue;
      const sent = await this.askOwners(alert, reference);
      return { reference, sent, expiresAt };
    }
  }

  /** Withdraws a remote gate's pending request (its socket closed or timed out); false when none was pending. */
  async withdrawRemote(reference: string): Promise<boolean> {
    return this.options.store.removeHeldBy(reference.toUpperCase(), REST_HOLDER);
  }

  /**
   * Registers a request with a fresh reference, stored for every node until `ttlMs` has passed. `decision`
   * resolves with the first decision; it rejects (and the request is withdrawn) when `signal` aborts
   * (timeout, socket closed).
   */
  async open(fields: Omit<OwnerRequest, "reference" | "createdAt">, signal: AbortSignal, ttlMs: number): Promise<{ reference: string; decision: Promise<OwnerDecision> }> {
    for (;;) {
      signal.throwIfAborted();
      const reference = this.newReference();
      const createdAt = this.clock();
      const request: OwnerRequest = { ...fields, reference, createdAt: createdAt.toISOString() };
      // Listening before the row exists, so a decision taken the moment it is stored is not missed.
      const decision = this.listen(request, signal);
      decision.catch(() => {});
      if (await this.options.store.add({ ...request, node: this.options.node, expiresAt: new Date(createdAt.getTime() + ttlMs) })) {
        if (signal.aborted) this.withdraw(request);
        return { reference, decision };
      }
      this.pending.delete(reference);
    }
  }

  /**
   * Decides a pending request of any node; false when no request has this reference (decided, withdrawn,
   * timed out, unknown).
   */
  async decide(reference: string, decision: OwnerDecision): Promise<boolean> {
    return (await this.take(reference, decision)) !== null;
  }

  /** Takes the pending request (one winner among all nodes) and publishes the decision; null when none. */
  private async take(reference: string, decision: OwnerDecision): Promise<OwnerRequest | null> {
    const key = reference.toUpperCase();
    if (!this.options.crossNodeEvents && !this.pending.has(key)) {
      // Taking another node's request here would answer "decided" while its socket waits for nothing.
      const holder = await this.options.store.holder(key, this.clock());
      // A remote gate's request has no holding node: its decision reaches the gate through the outbox (REST_HOLDER).
      if (holder !== null && holder !== this.options.node && holder !== REST_HOLDER) throw new TextgateError("owner_request_elsewhere");
    }
    const request = await this.options.store.take(key, this.clock());
    if (!request) return null;
    this.options.events.publish("owner.decided", { reference: request.reference, connectionId: request.connectionId, decision });
    return request;
  }

  /** Every node's pending requests, oldest first. */
  async requests(): Promise<ListedOwnerRequest[]> {
    const stored = await this.options.store.list(this.clock());
    return stored.map(({ expiresAt: _expiresAt, ...request }) => request);
  }

  /** The number of requests this process holds. */
  get localCount(): number {
    return this.pending.size;
  }

  close(): void {
    for (const stop of this.unsubscribe) stop();
  }

  private listen(request: OwnerRequest, signal: AbortSignal): Promise<OwnerDecision> {
    return new Promise<OwnerDecision>((resolve, reject) => {
      const onAbort = () => {
        this.withdraw(request);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.pending.set(request.reference, {
        request,
        resolve: (outcome) => {
          signal.removeEventListener("abort", onAbort);
          this.pending.delete(request.reference);
          resolve(outcome);
        },
      });
    });
  }

  private withdraw(request: OwnerRequest): void {
    if (this.pending.get(request.reference)?.request === request) this.pending.delete(request.reference);
    this.options.store.remove(request.reference, request.connectionId).catch(this.options.onError);
  }

  /** A decision taken on any node: resolves the request if this process holds that very socket. */
  private decided(reference: string, connectionId: string, decision: OwnerDecision): void {
    const entry = this.pending.get(reference);
    if (entry?.request.connectionId === connectionId) entry.resolve(decision);
  }

  /** An owner's SMS: decides the request it names and texts the owner back what happened. */
  private async received(from: string, body: string): Promise<void> {
    if (!this.owners.has(from)) return;
    const reply = parseOwnerReply(body);
    if (!reply) return;
    let reference = reply.reference;
    if (!reference) {
      const waiting = await this.options.store.list(this.clock());
      if (waiting.length !== 1) {
        await this.options.notify(from, waiting.length ? this.notice(from, "ownerSeveral", { count: waiting.length }) : this.notice(from, "ownerNoneWaiting"));
        return;
      }
      reference = waiting[0]!.reference;
    }
    let request: OwnerRequest | null;
    try {
      request = await this.take(reference, reply.decision);
    } catch (error) {
      if (!(error instanceof TextgateError && error.code === "owner_request_elsewhere")) throw error;
      await this.options.notify(from, this.notice(from, "ownerElsewhere", { ref: reference.toUpperCase() }));
      return;
    }
    const answer = request
      ? this.notice(from, reply.decision === "accept" ? "ownerAccepted" : "ownerDenied", { ref: request.reference, who: request.who, path: request.path })
      : this.notice(from, "ownerNotPending", { ref: reference.toUpperCase() });
    await this.options.notify(from, answer);
  }

  private newReference(): string {
    for (;;) {
      let reference = "";
      for (let i = 0; i < REFERENCE_LENGTH; i++) reference += ALPHABET[crypto.randomInt(ALPHABET.length)];
      if (!this.pending.has(reference)) return reference;
    }
  }
}
