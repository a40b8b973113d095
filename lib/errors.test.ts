import { describe, expect, it } from "vitest";
import { requestErrorFrom, TextgateError, TextgateRequestError } from "./errors.ts";

describe("requestErrorFrom (every client's reading of a refused answer)", () => {
  it("keeps the server's code, message and Retry-After", async () => {
    const body = JSON.stringify(new TextgateError("send_limit_reached").toBody());
    const error = await requestErrorFrom(new Response(body, { status: 429, headers: { "retry-after": "42" } }));
    expect(error).toBeInstanceOf(TextgateRequestError);
    expect(error).toMatchObject({ status: 429, code: "send_limit_reached", message: "Too many codes were sent to this number. Try again later.", retryAfter: 42 });
  });

  it("names the status when the answer is not a textgate error (a proxy's page)", async () => {
    const error = await requestErrorFrom(new Response("<html>Bad gateway</html>", { status: 502 }));
    expect(error).toMatchObject({ status: 502, code: "http_502", message: "The server answered 502.", retryAfter: undefined });
  });
});
