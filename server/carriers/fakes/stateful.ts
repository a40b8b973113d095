/**
 * What the stateful carrier fakes share. A stateful fake is a local stand-in for one carrier's HTTP API
 * that keeps what it accepted and answers "was this already sent?" lookups from it, the way textgate
 * assumes the carrier does (docs/carriers.md). A request it does not recognise exactly (method, path,
 * auth, query fields) is answered 400 and noted in `problems`, so a test fails instead of passing blind.
 */
import type { FakeHandler, FakeReply, RecordedRequest } from "../fake-server.ts";

/** One text or call the fake accepted. */
export interface AcceptedSend {
  id: string;
  channel: "sms" | "voice";
  /** E.164 with "+". */
  to: string;
  from: string | null;
  body: string;
  /** Our client reference, when the carrier takes one. */
  clientRef: string | null;
  at: Date;
}

export interface StatefulFake {
  handle: FakeHandler;
  /** Everything accepted, oldest first. */
  sends: AcceptedSend[];
  /** Requests that did not match what the carrier documents. */
  problems: string[];
}

export function refuse(problems: string[], request: RecordedRequest, why: string): FakeReply {
  const problem = `${request.method} ${request.path}?${request.query}: ${why}`;
  problems.push(problem);
  return { status: 400, body: { message: problem } };
}

/** Null when `fields` hold exactly `expected` (names and values; a RegExp value must match), else why not. */
export function exactFields(fields: URLSearchParams | null, expected: Record<string, string | RegExp>): string | null {
  const got = Object.fromEntries(fields ?? []);
  const names = (o: object) => Object.keys(o).sort().join(",");
  if (names(got) !== names(expected)) return `fields ${names(got)}, expected ${names(expected)}`;
  for (const [name, want] of Object.entries(expected)) {
    const value = got[name] as string;
    if (typeof want === "string" ? value !== want : !want.test(value)) return `${name}=${value} is not ${want}`;
  }
  return null;
}

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** Accepted sends newest first, as the carriers list them. */
export function newestFirst(sends: AcceptedSend[]): AcceptedSend[] {
  return [...sends].sort((a, b) => b.at.getTime() - a.at.getTime());
}
