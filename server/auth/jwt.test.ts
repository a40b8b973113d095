import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeJwt, derivedKey, encodeJwt } from "./jwt.ts";

const secret = "a-secret-of-this-test";

describe("next-auth tokens with a kept key", () => {
  it("writes tokens next-auth reads, and reads tokens next-auth wrote", async () => {
    const ours = await encodeJwt({ token: { sid: "s1", sub: "u1" }, secret, maxAge: 60 });
    expect(await decode({ token: ours, secret })).toMatchObject({ sid: "s1", sub: "u1", jti: expect.any(String) });
    const theirs = await encode({ token: { sid: "s2" }, secret, maxAge: 60 });
    const read = await decodeJwt({ token: theirs, secret });
    expect(read).toMatchObject({ sid: "s2" });
    expect((read?.exp as number) - (read?.iat as number)).toBe(60);
  });

  it("refuses a token sealed with another secret or salt, and an expired one", async () => {
    const token = await encodeJwt({ token: { sid: "s1" }, secret, maxAge: 60 });
    await expect(decodeJwt({ token, secret: "another-secret" })).rejects.toThrow();
    await expect(decodeJwt({ token, secret, salt: "other" })).rejects.toThrow();
    const expired = await encodeJwt({ token: { sid: "s1" }, secret, maxAge: -60 });
    await expect(decodeJwt({ token: expired, secret })).rejects.toThrow();
    expect(await decodeJwt({ token: "", secret })).toBeNull();
  });

  it("derives the key once per secret and salt", async () => {
    expect(derivedKey(secret)).toBe(derivedKey(secret));
    expect(derivedKey(secret, "x")).not.toBe(derivedKey(secret));
  });
});
