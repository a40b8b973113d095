import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TextgateError } from "../../lib/errors.ts";
import { createVerificationSchema } from "../../lib/validations/verification.ts";
import { errorAsResponse, errorResponse } from "./respond.ts";

describe("errorResponse", () => {
  it("maps a TextgateError to its status and body, with Retry-After rounded up", () => {
    const response = errorResponse(new TextgateError("send_limit_reached", undefined, { retryAfter: 12.2 }));
    expect(response.status).toBe(429);
    expect(response.headers["retry-after"]).toBe("13");
    expect(response.body).toEqual({ error: { code: "send_limit_reached", message: "Too many codes were sent to this number. Try again later." } });
  });

  it("adds the Bearer challenge to 401", () => {
    expect(errorResponse(new TextgateError("unauthorized")).headers).toEqual({ "www-authenticate": "Bearer" });
  });

  it("keeps details of a TextgateError", () => {
    const body = errorResponse(new TextgateError("invalid_request", "nope", { details: [{ path: "x", message: "y" }] })).body;
    expect(body.error).toEqual({ code: "invalid_request", message: "nope", details: [{ path: "x", message: "y" }] });
  });

  it("maps zod errors to 400 invalid_request with one detail per field, unknown fields by name", () => {
    const result = createVerificationSchema.safeParse({ to: 12345, codeLength: 3, foo: 1, bar: 2 });
    expect(result.success).toBe(false);
    const response = errorResponse((result as { error: z.ZodError }).error);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("invalid_request");
    const paths = (response.body.error.details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(["bar", "codeLength", "foo", "to"]);
  });

  it("hides the message of unexpected errors", () => {
    const response = errorResponse(new Error("password=hunter2"));
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: "internal_error", message: "Something went wrong on the server." } });
  });
});

describe("errorAsResponse (the route handlers Next runs)", () => {
  it("answers exactly as errorResponse, as a Fetch API Response with the JSON headers", async () => {
    const response = errorAsResponse(new TextgateError("too_many_failed_attempts", undefined, { retryAfter: 29.5 }), { allow: "POST" });
    expect(response.status).toBe(429);
    expect(Object.fromEntries(response.headers)).toEqual({
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "retry-after": "30",
      allow: "POST",
    });
    expect(await response.json()).toEqual(errorResponse(new TextgateError("too_many_failed_attempts")).body);
  });

  it("maps a ZodError of another copy of zod (Next's bundle) like one of this copy", async () => {
    const foreign = Object.assign(new Error("invalid"), { name: "ZodError", issues: [{ code: "unrecognized_keys", keys: ["foo"], path: [], message: "x" }] });
    const response = errorAsResponse(foreign);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "invalid_request", message: expect.any(String), details: [{ path: "foo", message: "unknown field" }] } });
  });

  it("never sends the message of an unexpected error", async () => {
    const response = errorAsResponse(new Error("SELECT * FROM secrets"));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("secrets");
  });
});
