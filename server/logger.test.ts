import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

describe("logger", () => {
  it("redacts codes, phone numbers, message bodies and credentials wherever they appear", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger("info", sink);
    logger.info({ code: "482913", to: "+14155550123", message: { from: "+14155550199", body: "Your code is 482913" } }, "sent");
    logger.info({ headers: { authorization: "Bearer tg_secret", cookie: "session=abc" } }, "request");
    const text = lines.join("");
    for (const secret of ["482913", "+14155550123", "+14155550199", "tg_secret", "session=abc"]) expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
  });
});
