/**
 * A small, framework-free client for textgate's SMS-gated sockets (see `protocol.ts`).
 *
 *   const socket = connectVerifiedSocket("/ws/demo/reply");
 *   socket.subscribe(() => render(socket.snapshot()));
 *   socket.sendToken("482913");   // send-token unit
 *   socket.send({ text: "hi" });  // once admitted
 *
 * The browser sends the session cookie and the page's Origin with the upgrade; a relative path is resolved
 * against the page's location (http → ws, https → wss).
 */
import { wrongCodeText } from "../attempts.ts";
import type { ClientMessage, ErrorCode, PendingMessage, ServerMessage, UnitName } from "./protocol.ts";

export type SocketState = "connecting" | "pending" | "admitted" | "closed";

/** What the current unit asks for, without the `type` field. */
type WithoutType<M> = M extends { type: string } ? Omit<M, "type"> : never;
export type PendingUnit = WithoutType<PendingMessage>;

export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
}

export interface SocketError {
  code: ErrorCode | "token_rejected" | "connection";
  message: string;
  attemptsLeft?: number;
}

export interface SocketSnapshot {
  state: SocketState;
  pending: PendingUnit | null;
  /** Units that have passed, in order. */
  passed: readonly UnitName[];
  lastError: SocketError | null;
  closeInfo: CloseInfo | null;
}

export interface VerifiedSocketEvents {
  /** Any server frame, after the state has been updated. */
  frame?: (message: ServerMessage) => void;
  /** Application data (admitted sockets only). */
  message?: (data: unknown) => void;
  close?: (info: CloseInfo) => void;
}

export interface VerifiedSocket {
  snapshot(): SocketSnapshot;
  /** Called after every change of the snapshot; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Answers the send-token unit; false when the socket is not open. */
  sendToken(code: string): boolean;
  /** Sends application data; false when the socket is not admitted. */
  send(data: unknown): boolean;
  close(code?: number, reason?: string): void;
}

const PENDING_UNITS = new Set(["send-token", "reply", "reply-secret", "confirm-reply", "owner-approval"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses one server frame; null when it is not a frame of this protocol. */
export function parseServerMessage(text: string): ServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.type !== "string") return null;
  switch (value.type) {
    case "pending": {
      const unit = value.unit;
      if (typeof unit !== "string" || !PENDING_UNITS.has(unit)) return null;
      if (unit === "send-token") {
        if (typeof value.codeLength !== "number" || typeof value.attemptsLeft !== "number") return null;
        return { type: "pending", unit, codeLength: value.codeLength, attemptsLeft: value.attemptsLeft };
      }
      if (unit === "reply") return typeof value.code === "string" ? { type: "pending", unit, code: value.code } : null;
      if (unit === "reply-secret" || unit === "confirm-reply") return { type: "pending", unit };
      if (unit === "owner-approval") return typeof value.reference === "string" ? { type: "pending", unit, reference: value.reference } : null;
      return null;
    }
    case "unit_passed":
      return typeof value.unit === "string" ? { type: "unit_passed", unit: value.unit as UnitName } : null;
    case "token_rejected":
      return typeof value.attemptsLeft === "number" ? { type: "token_rejected", attemptsLeft: value.attemptsLeft } : null;
    case "admitted":
      return { type: "admitted" };
    case "message":
      return { type: "message", data: value.data };
    case "error":
      return typeof value.code === "string" && typeof value.message === "string"
        ? { type: "error", code: value.code as ErrorCode, message: value.message }
        : null;
    default:
      return null;
  }
}

/** `path` ("/ws/demo/reply") as a ws:// or wss:// URL of the page's host; full ws(s) URLs are kept. */
export function socketUrl(path: string, base?: string): string {
  const origin = base ?? (typeof window !== "undefined" ? window.location.href : "http://localhost/");
  const url = new URL(path, origin);
  if (url.protocol === "http:") url.protocol = "ws:";
  else if (url.protocol === "https:") url.protocol = "wss:";
  return url.toString();
}

export function connectVerifiedSocket(path: string, events: VerifiedSocketEvents = {}): VerifiedSocket {
  const listeners = new Set<() => void>();
  let snap: SocketSnapshot = { state: "connecting", pending: null, passed: [], lastError: null, closeInfo: null };
  const update = (next: Partial<SocketSnapshot>) => {
    snap = { ...snap, ...next };
    for (const listener of listeners) listener();
  };

  const ws = new WebSocket(socketUrl(path));

  const write = (message: ClientMessage): boolean => {
    if (ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(message));
    return true;
  };

  ws.addEventListener("open", () => update({ state: "pending" }));
  ws.addEventListener("message", (event: MessageEvent) => {
    if (typeof event.data !== "string") return;
    const message = parseServerMessage(event.data);
    if (!message) return;
    switch (message.type) {
      case "pending": {
        const { type: _type, ...unit } = message;
        update({ state: "pending", pending: unit, lastError: null });
        break;
      }
      case "unit_passed":
        update({ pending: null, passed: [...snap.passed, message.unit] });
        break;
      case "token_rejected": {
        const pending = snap.pending?.unit === "send-token" ? { ...snap.pending, attemptsLeft: message.attemptsLeft } : snap.pending;
        update({
          pending,
          lastError: {
            code: "token_rejected",
            message: wrongCodeText(message.attemptsLeft),
            attemptsLeft: message.attemptsLeft,
          },
        });
        break;
      }
      case "admitted":
        update({ state: "admitted", pending: null, lastError: null });
        break;
      case "message":
        events.message?.(message.data);
        break;
      case "error":
        update({ lastError: { code: message.code, message: message.message } });
        break;
    }
    events.frame?.(message);
  });
  ws.addEventListener("error", () => {
    if (snap.state === "connecting") update({ lastError: { code: "connection", message: "Could not connect." } });
  });
  ws.addEventListener("close", (event: CloseEvent) => {
    const info: CloseInfo = { code: event.code, reason: event.reason, wasClean: event.wasClean };
    update({ state: "closed", closeInfo: info });
    events.close?.(info);
  });

  return {
    snapshot: () => snap,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    sendToken: (code) => write({ type: "token", code }),
    send: (data) => (snap.state === "admitted" ? write({ type: "message", data }) : false),
    close(code = 1000, reason) {
      if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
      ws.close(code, reason);
    },
  };
}
