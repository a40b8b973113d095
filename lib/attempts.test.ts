import { describe, expect, it } from "vitest";
import { attemptsLeftText, wrongCodeText } from "./attempts.ts";

describe("attempts left", () => {
  it("counts in singular and plural", () => {
    expect(attemptsLeftText(1)).toBe("1 attempt left.");
    expect(attemptsLeftText(3)).toBe("3 attempts left.");
  });

  it("says what to do when none is left", () => {
    expect(wrongCodeText(2)).toBe("Wrong code. 2 attempts left.");
    expect(wrongCodeText(1)).toBe("Wrong code. 1 attempt left.");
    expect(wrongCodeText(0)).toBe("Wrong code. No attempts left: request a new code.");
  });
});
