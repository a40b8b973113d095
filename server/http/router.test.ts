import { describe, expect, it } from "vitest";
import { compileRoutes } from "./router.ts";

const router = compileRoutes([
  { method: "POST", path: "/api/v1/verifications", value: "create" },
  { method: "GET", path: "/api/v1/verifications/:id", value: "get" },
  { method: "POST", path: "/api/v1/verifications/:id/check", value: "check" },
  { method: "GET", path: "/healthz", value: "health" },
]);

describe("compileRoutes", () => {
  it("matches static paths", () => {
    expect(router.match("POST", "/api/v1/verifications")).toEqual({ kind: "found", value: "create", params: {} });
  });

  it("matches :params and returns them", () => {
    expect(router.match("POST", "/api/v1/verifications/abc/check")).toEqual({ kind: "found", value: "check", params: { id: "abc" } });
    expect(router.match("GET", "/api/v1/verifications/abc")).toEqual({ kind: "found", value: "get", params: { id: "abc" } });
  });

  it("answers method_not_allowed with the Allow list (HEAD beside GET)", () => {
    expect(router.match("DELETE", "/api/v1/verifications")).toEqual({ kind: "method_not_allowed", allow: "POST" });
    expect(router.match("POST", "/api/v1/verifications/abc")).toEqual({ kind: "method_not_allowed", allow: "GET, HEAD" });
  });

  it("serves HEAD with the GET route", () => {
    expect(router.match("HEAD", "/healthz")).toMatchObject({ kind: "found", value: "health" });
  });

  it("does not match empty segments, extra segments or trailing slashes", () => {
    for (const path of ["/api/v1/verifications/", "/api/v1/verifications//check", "/api/v1/verifications/a/b", "/api/v1/verifications/a/check/", "/api/v1"]) {
      expect(router.match("GET", path)).toEqual({ kind: "not_found" });
    }
  });

  it("refuses duplicate routes", () => {
    expect(() =>
      compileRoutes([
        { method: "GET", path: "/a", value: 1 },
        { method: "GET", path: "/a", value: 2 },
      ]),
    ).toThrow(/duplicate route/);
  });
});
