/**
 * Client for the sandbox carrier's endpoints (/api/sandbox/*), served by the custom server on the same origin.
 * Errors come back as `{ "error": { "code", "message" } }` (lib/errors.ts); anything else becomes a TextgateRequestError too.
 */
import { requestErrorFrom, TextgateRequestError } from "@/lib/errors.ts";

export interface SandboxNumber {
  /** E.164. */
  number: string;
  lastMessageAt: string;
  messages: number;
}

export interface SandboxMessage {
  id: string;
  /** outbound: textgate sent it to the phone; inbound: the phone replied. */
  direction: "outbound" | "inbound";
  /** A voice message is a text-to-speech call; its body is the words spoken. */
  channel: "sms" | "voice";
  to: string;
  from: string | null;
  body: string;
  createdAt: string;
}

export function isSandboxDisabled(error: unknown): boolean {
  return error instanceof TextgateRequestError && error.code === "sandbox_disabled";
}

export async function listNumbers(signal?: AbortSignal): Promise<SandboxNumber[]> {
  const body = await request("/api/sandbox/numbers", { signal });
  const numbers = isRecord(body) ? body.numbers : undefined;
  if (!Array.isArray(numbers)) throw invalidResponse();
  return numbers.filter(isSandboxNumber);
}

/** Messages to one number, newest first (as the API returns them). */
export async function listMessages(to: string, signal?: AbortSignal): Promise<SandboxMessage[]> {
  const body = await request(`/api/sandbox/messages?${new URLSearchParams({ to })}`, { signal });
  const messages = isRecord(body) ? body.messages : undefined;
  if (!Array.isArray(messages)) throw invalidResponse();
  return messages.filter(isSandboxMessage);
}

/** Simulates the phone answering: the reply reaches textgate as an inbound message. */
export async function sendReply(from: string, text: string): Promise<{ id: string; duplicate: boolean }> {
  const body = await request("/api/sandbox/reply", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from, body: text }),
  });
  if (!isRecord(body) || typeof body.id !== "string") throw invalidResponse();
  return { id: body.id, duplicate: body.duplicate === true };
}

async function request(path: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      cache: "no-store",
      headers: { accept: "application/json", ...init.headers },
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new TextgateRequestError(0, "network_error", "Could not reach the textgate server.");
  }
  if (!response.ok) throw await requestErrorFrom(response);
  const isJson = response.headers.get("content-type")?.includes("json") ?? false;
  const body: unknown = isJson ? await response.json().catch(() => undefined) : undefined;
  if (body === undefined) throw invalidResponse();
  return body;
}

function invalidResponse(): TextgateRequestError {
  return new TextgateRequestError(0, "invalid_response", "The server's answer was not the JSON the sandbox expects.");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSandboxNumber(value: unknown): value is SandboxNumber {
  return isRecord(value) && typeof value.number === "string";
}

function isSandboxMessage(value: unknown): value is SandboxMessage {
  return (
    isRecord(value) &&
    typeof value.id === "string" &&
    (value.direction === "outbound" || value.direction === "inbound") &&
    typeof value.body === "string" &&
    typeof value.createdAt === "string"
  );
}
