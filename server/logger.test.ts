import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, maskNumbersInText } from "./logger.ts";

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger("info", sink), text: () => lines.join("") };
}

describe("logger", () => {
  it("redacts codes, phone numbers, message bodies and credentials wherever they appear", () => {
    const { logger, text } = capture();
    logger.info({ code: "482913", to: "+14155550123", message: { from: "+14155550199", body: "Your code is 482913" } }, "sent");
    logger.info({ headers: { authorization: "Bearer tg_secret", cookie: "session=abc" } }, "request");
    for (const secret of ["482913", "+14155550123", "+14155550199", "tg_secret", "session=abc"]) expect(text()).not.toContain(secret);
    expect(text()).toContain("[redacted]");
  });

  // @see issue 10, item 9: laml.ts builds this message and delivery.ts logs the error.
  it("masks numbers inside messages, error messages and stacks, and other string fields", () => {
    const { logger, text } = capture();
    const error = new Error("twilio: more than 50 Messages.json to +447860812345 since 2026-12-02T00:44:20.000Z");
    logger.warn({ err: error, carrier: "twilio" }, "could not look up an earlier send");
    logger.error("send to +44 7860 812345 failed");
    logger.info({ url: "/api/sandbox/messages?to=%2B447860812345", msisdn: "447860812345" }, "request");
    const out = text();
    for (const number of ["447860812345", "7860 812345", "7860812345"]) expect(out).not.toContain(number);
    expect(out).toContain("more than 50 Messages.json to +4");
    expect(out).toContain("345 since 2026-12-02T00:44:20.000Z");
  });

  it("leaves ids, dates, ports and short numbers alone", () => {
    for (const text of [
      "verification 0190f3a2-7b1c-7def-8000-000000000000 expired",
      "since 2026-12-02T00:44:20.000Z",
      "listening on http://127.0.0.1:3000",
      "more than 50 messages in 600 s",
      "delivery SM0123456789abcdef0123456789abcdef",
    ]) {
      expect(maskNumbersInText(text)).toBe(text);
    }
    expect(maskNumbersInText("to +12125550100.")).toBe("to +1•••••••100.");
    expect(maskNumbersInText("+1 (212) 555-0100 called")).not.toMatch(/212|555|0100/);
    expect(maskNumbersInText("to +447860812345 2026-12-02")).not.toContain("7860812");
  });
});
