"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import {
  type CloseInfo,
  connectVerifiedSocket,
  type PendingUnit,
  type SocketError,
  type SocketState,
  type VerifiedSocket,
} from "../../lib/socket/client.ts";

export interface SocketMessage {
  id: number;
  direction: "sent" | "received";
  data: unknown;
}

export interface VerifiedSocketHook {
  /** "closed" too before the first connection (path null). */
  state: SocketState | "idle";
  pending: PendingUnit | null;
  lastError: SocketError | null;
  closeInfo: CloseInfo | null;
  messages: readonly SocketMessage[];
  sendToken(code: string): boolean;
  send(data: unknown): boolean;
  close(): void;
}

/**
 * A textgate socket at `path` (null: none) for as long as the component is mounted; a new path (or a new
 * `attempt`) closes the old socket and opens another.
 */
export function useVerifiedSocket(path: string | null, attempt = 0): VerifiedSocketHook {
  const socketRef = useRef<VerifiedSocket | null>(null);
  const nextId = useRef(0);
  const [snapshot, setSnapshot] = useState<Omit<VerifiedSocketHook, "messages" | "sendToken" | "send" | "close">>({
    state: "idle",
    pending: null,
    lastError: null,
    closeInfo: null,
  });
  const [messages, setMessages] = useState<SocketMessage[]>([]);

  useEffect(() => {
    setMessages([]);
    if (!path) {
      setSnapshot({ state: "idle", pending: null, lastError: null, closeInfo: null });
      return;
    }
    const socket = connectVerifiedSocket(path, {
      message: (data) => setMessages((list) => [...list, { id: nextId.current++, direction: "received", data }]),
    });
    socketRef.current = socket;
    const sync = () => {
      const { state, pending, lastError, closeInfo } = socket.snapshot();
      setSnapshot({ state, pending, lastError, closeInfo });
    };
    sync();
    const unsubscribe = socket.subscribe(sync);
    return () => {
      unsubscribe();
      socket.close(1000, "left");
      if (socketRef.current === socket) socketRef.current = null;
    };
  }, [path, attempt]);

  const sendToken = useCallback((code: string) => socketRef.current?.sendToken(code) ?? false, []);
  const send = useCallback((data: unknown) => {
    const sent = socketRef.current?.send(data) ?? false;
    if (sent) setMessages((list) => [...list, { id: nextId.current++, direction: "sent", data }]);
    return sent;
  }, []);
  const close = useCallback(() => socketRef.current?.close(), []);

  return { ...snapshot, messages, sendToken, send, close };
}
