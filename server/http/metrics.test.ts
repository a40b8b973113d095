import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { metricsTokenMatches } from "./metrics.ts";

describe("metricsTokenMatches", () => {
  const token = "a-metrics-token-0123456789";
  const expected = crypto.createHash("sha256").update(token).digest();
  it.each([
    { desc: "the token", header: `Bearer ${token}`, ok: true },
    { desc: "the scheme in any case", header: `bEARER ${token}`, ok: true },
    { desc: "no header", header: undefined, ok: false },
    { desc: "an empty bearer", header: "Bearer ", ok: false },
    { desc: "a prefix of the token", header: `Bearer ${token.slice(0, -1)}`, ok: false },
    { desc: "the token and more", header: `Bearer ${token}0`, ok: false },
    { desc: "another scheme", header: `Basic ${token}`, ok: false },
    { desc: "two spaces", header: `Bearer  ${token}`, ok: false },
  ])("$desc → $ok", ({ header, ok }) => {
    expect(metricsTokenMatches(expected, header)).toBe(ok);
  });
});
