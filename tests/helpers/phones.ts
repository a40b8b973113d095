/** Test phone numbers and reading codes from the sandbox carrier through the API. */
import { expect } from "vitest";
import type { Client, Json, JsonValue } from "./http.ts";

let next = 1000 + Math.floor(Math.random() * 8000);

/** A valid, unused US number (+1 212 555 xxxx) for one test, so tests do not share pending verifications. */
export function uniquePhone(): string {
  next = next >= 9999 ? 1000 : next + 1;
  return `+1212555${next}`;
}

/**
 * An E.164 number in the international format Vonage and Textmagic document: its digits without the `+`
 * ("+12125551000" → "12125551000").
 */
export function international(e164: string): string {
  return e164.replace(/^\+/, "");
}

/** A US premium-rate (900) number: valid, and refused by the default BLOCKED_LINE_TYPES. */
export const PREMIUM_RATE_PHONE = "+19005550100";

export interface SandboxMessage {
  id: string;
  direction: "outbound" | "inbound";
  channel: "sms" | "voice";
  to: string | null;
  from: string | null;
  body: string;
  createdAt: string;
}

/** Messages the sandbox sent to `to`, newest first (GET /api/v1/sandbox/messages). */
export async function sentMessages(request: Client, to: string): Promise<SandboxMessage[]> {
  const res = await request<{ messages: SandboxMessage[] }>("GET", `/api/v1/sandbox/messages?to=${encodeURIComponent(to)}&limit=100`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.messages;
}

/** The code in the newest text to `to`. */
export async function latestCode(request: Client, to: string): Promise<string> {
  const [latest] = await sentMessages(request, to);
  expect(latest, `no message was sent to ${to}`).toBeDefined();
  const match = /\b([0-9]{4,20})\b/.exec((latest as SandboxMessage).body);
  expect(match, `no code in "${latest?.body}"`).not.toBeNull();
  return (match as RegExpExecArray)[1] as string;
}

export function errorCode(body: Json | JsonValue): string | undefined {
  return (body as Json).error?.code;
}
