import { describe, expect, it } from "vitest";
import { DEFAULT_BLOCKED_LINE_TYPES } from "../env.ts";
import { NO_TEST_NUMBERS, parseValidUntil, readTestNumbers, type TestNumberInput, testCodeFor, testNumbersActive } from "./test-numbers.ts";

const NOW = new Date("2026-11-22T10:00:00.000Z");
const base: TestNumberInput = {
  entries: [],
  validUntil: "2027-06-30",
  policy: { allowedCountries: [], blockedLineTypes: [...DEFAULT_BLOCKED_LINE_TYPES] },
  ownerPhones: [],
  now: NOW,
};
const read = (input: Partial<TestNumberInput>) => readTestNumbers({ ...base, ...input });

describe("readTestNumbers", () => {
  it("reads <E.164>=<code> entries, codes normalised to upper case, and the end of the valid-until day in UTC", () => {
    const { settings, problems } = read({ entries: ["+12125550100=123456", " +4915155550100 = k7q4m9 "] });
    expect(problems).toEqual([]);
    expect(settings.numbers).toEqual([
      { e164: "+12125550100", code: "123456" },
      { e164: "+4915155550100", code: "K7Q4M9" },
    ]);
    expect(settings.validUntil?.toISOString()).toBe("2027-07-01T00:00:00.000Z");
  });

  it("has no test numbers when none are configured, and needs no valid-until then (a past one left behind is no problem)", () => {
    expect(read({ validUntil: undefined })).toEqual({ settings: NO_TEST_NUMBERS, problems: [] });
    expect(read({ validUntil: "2020-01-01" })).toEqual({ settings: NO_TEST_NUMBERS, problems: [] });
    expect(read({ validUntil: "soon" }).problems).toEqual([expect.stringMatching(/^TEST_NUMBERS_VALID_UNTIL: "soon" is neither a date/)]);
  });

  it.each([
    { desc: "no code", entry: "+12125550100", problem: "TEST_NUMBERS entry 1 is not <number>=<code>, e.g. +12125550100=123456" },
    { desc: "no number", entry: "=907314", problem: "TEST_NUMBERS entry 1 is not <number>=<code>, e.g. +12125550100=123456" },
    { desc: "the issue's +15555550100 (area code 555 does not exist)", entry: "+15555550100=907314", problem: /entry 1 \(\+15555550100\): not a valid phone number by lib\/phone\.ts.*such as \+12125550100/ },
    { desc: "not E.164", entry: "+1 212 555 0100=907314", problem: "TEST_NUMBERS entry 1 (+1 212 555 0100): write it in E.164, +12125550100" },
    { desc: "a code too short", entry: "+12125550100=123", problem: /entry 1 \(\+12125550100\): the code must be 4 to 20 digits/ },
    { desc: "a code too long", entry: `+12125550100=${"1".repeat(21)}`, problem: /the code must be/ },
    { desc: "a letter outside the alphabet of generated codes (O, a look-alike of 0)", entry: "+12125550100=K7O2", problem: /the code must be/ },
    { desc: "a symbol", entry: "+12125550100=12-456", problem: /the code must be/ },
    { desc: "a blocked line type (UK VoIP)", entry: "+445612345678=907314", problem: /entry 1 \(\+445612345678\): Codes are not sent to VoIP numbers.*BLOCKED_LINE_TYPES/ },
  ])("refuses $desc, naming the entry and never its code", ({ entry, problem }) => {
    const { problems } = read({ entries: [entry] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
    const code = entry.split("=")[1];
    if (code && code.length >= 4) expect(problems[0]).not.toContain(code);
  });

  it("refuses a number outside ALLOWED_COUNTRIES, an owner's number and a repeated number", () => {
    const { problems } = read({
      entries: ["+12125550100=123456", "+4915155550100=654321", "+12125550101=111111", "+12125550100=222222"],
      policy: { allowedCountries: ["US"], blockedLineTypes: [] },
      ownerPhones: ["+12125550101"],
    });
    expect(problems).toEqual([
      expect.stringMatching(/^TEST_NUMBERS entry 2 \(\+4915155550100\): Verifications to that country are not allowed.*ALLOWED_COUNTRIES/),
      "TEST_NUMBERS entry 3 (+12125550101): is on OWNER_PHONES; its fixed code would let anyone who knows it into /owner",
      "TEST_NUMBERS entry 4 (+12125550100): repeats entry 1",
    ]);
  });

  it.each([
    { desc: "missing", validUntil: undefined, problem: /^TEST_NUMBERS_VALID_UNTIL: required with TEST_NUMBERS/ },
    { desc: "in the past", validUntil: "2026-11-21", problem: /^TEST_NUMBERS_VALID_UNTIL: 2026-11-22T00:00:00\.000Z is in the past, so the test numbers would never work; remove TEST_NUMBERS/ },
    { desc: "now", validUntil: NOW.toISOString(), problem: /is in the past/ },
    { desc: "not a date", validUntil: "next June", problem: /^TEST_NUMBERS_VALID_UNTIL: "next June" is neither a date/ },
    { desc: "an impossible day", validUntil: "2027-02-30", problem: 'TEST_NUMBERS_VALID_UNTIL: "2027-02-30" is not a date' },
    { desc: "a time without its offset", validUntil: "2027-06-30T12:00:00", problem: /is neither a date/ },
  ])("refuses a valid-until $desc", ({ validUntil, problem }) => {
    const { settings, problems } = read({ entries: ["+12125550100=123456"], validUntil });
    expect(problems).toEqual([expect.stringMatching(problem)]);
    expect(settings).toBe(NO_TEST_NUMBERS);
  });
});

describe("parseValidUntil", () => {
  it("reads a day as through that day in UTC, and a time with its offset as that instant", () => {
    expect(parseValidUntil("2027-06-30")).toEqual(new Date("2027-07-01T00:00:00.000Z"));
    expect(parseValidUntil("2027-06-30T18:00:00+02:00")).toEqual(new Date("2027-06-30T16:00:00.000Z"));
    expect(parseValidUntil("2027-06-30T18:00Z")).toEqual(new Date("2027-06-30T18:00:00.000Z"));
  });
});

describe("testCodeFor", () => {
  const { settings } = read({ entries: ["+12125550100=123456"], validUntil: "2027-06-30T00:00:00Z" });

  it("gives a test number's code until the valid-until instant, then treats it as an ordinary number", () => {
    expect(testCodeFor(settings, "+12125550100", NOW)).toBe("123456");
    expect(testCodeFor(settings, "+12125550199", NOW)).toBeNull();
    expect(testCodeFor(settings, "+12125550100", new Date("2027-06-29T23:59:59.999Z"))).toBe("123456");
    expect(testCodeFor(settings, "+12125550100", new Date("2027-06-30T00:00:00.000Z"))).toBeNull();
    expect(testNumbersActive(settings, NOW)).toBe(true);
    expect(testNumbersActive(settings, new Date("2027-06-30T00:00:00.000Z"))).toBe(false);
    expect(testCodeFor(NO_TEST_NUMBERS, "+12125550100", NOW)).toBeNull();
    expect(testCodeFor(undefined, "+12125550100", NOW)).toBeNull();
  });
});
