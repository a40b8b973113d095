import type { Session } from "next-auth";
import { describe, expect, it } from "vitest";
import { assertRecentSignIn } from "./account.ts";

const settings = { reauthMaxAgeSeconds: 600 };
const sessionAt = (iso: string) => ({ authenticatedAt: iso, expires: "", user: { id: "u", name: null, phone: null, email: null, image: null } }) as Session;

describe("a number change needs a recent sign-in", () => {
  const now = new Date("2026-11-22T10:00:00.000Z");
  it("accepts a sign-in up to AUTH_REAUTH_MAX_AGE_SECONDS old", () => {
    expect(() => assertRecentSignIn(settings, sessionAt("2026-11-22T09:50:00.000Z"), now)).not.toThrow();
  });
  it("refuses an older one with reauth_required (403)", () => {
    expect(() => assertRecentSignIn(settings, sessionAt("2026-11-22T09:49:59.000Z"), now)).toThrowError(expect.objectContaining({ code: "reauth_required", status: 403 }));
  });
  it("refuses a session without a sign-in time", () => {
    expect(() => assertRecentSignIn(settings, sessionAt(""), now)).toThrowError(expect.objectContaining({ code: "reauth_required" }));
  });
});
