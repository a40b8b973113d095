import { describe, expect, it } from "vitest";
import { parseBearer } from "./auth.ts";

describe("parseBearer", () => {
  it.each([
    ["Bearer abc", "abc"],
    ["bearer abc", "abc"],
    ["BEARER abc", "abc"],
  ])("accepts %j", (header, token) => {
    expect(parseBearer(header)).toBe(token);
  });

  it.each([[undefined], [""], ["Bearer"], ["Bearer "], ["Bearer  abc"], ["Bearer abc def"], ["Basic abc"], ["Bearerabc"], [" Bearer abc"], ["Bearer abc\t"]])(
    "refuses %j",
    (header) => {
      expect(parseBearer(header)).toBeNull();
    },
  );
});
