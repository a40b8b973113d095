/**
 * In-process event bus with typed payloads. Every engine state change goes through `publish`.
 * Subscribers must not throw into the publisher: errors are caught and reported to `onError`.
 */
import { uuidv7 } from "../../lib/ids.ts";
import type { EventPayloads, EventType, TextgateEvent } from "./types.ts";

/** How an event reached this process: `remote` when another node published it (see redis-bridge.ts). */
export interface EventMeta {
  remote: boolean;
}

type Listener<T extends EventType> = (event: TextgateEvent<T>, meta: EventMeta) => void;

const LOCAL: EventMeta = Object.freeze({ remote: false });
const REMOTE: EventMeta = Object.freeze({ remote: true });

export class EventBus {
  private readonly listeners = new Map<EventType | "*", Set<Listener<never>>>();

  constructor(private readonly onError: (error: unknown, event: TextgateEvent) => void = () => {}) {}

  publish<T extends EventType>(type: T, data: EventPayloads[T], at = new Date()): TextgateEvent<T> {
    const event: TextgateEvent<T> = { id: uuidv7(), type, at: at.toISOString(), data };
    this.dispatch(event, LOCAL);
    return event;
  }

  /**
   * Delivers an event another node published (same id and time) to this process's listeners, marked
   * `remote: true`: listeners that record or forward events (audit log, Redis bridge) skip it.
   */
  deliverRemote(event: TextgateEvent): void {
    this.dispatch(event, REMOTE);
  }

  private dispatch<T extends EventType>(event: TextgateEvent<T>, meta: EventMeta): void {
    for (const key of [event.type, "*"] as const) {
      for (const listener of this.listeners.get(key) ?? []) {
        try {
          (listener as Listener<T>)(event, meta);
        } catch (error) {
          this.onError(error, event as TextgateEvent);
        }
      }
    }
  }

  /** Subscribes to one event type, or to all with "*". Returns the unsubscribe function. */
  subscribe<T extends EventType>(type: T | "*", listener: Listener<T>): () => void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener as Listener<never>);
    this.listeners.set(type, set);
    return () => set.delete(listener as Listener<never>);
  }
}
