import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TextgateError } from "../../lib/errors.ts";
import { NEXT_API_ROUTES, refuseNextApi } from "./next-api.ts";

const APP_API = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../app/api");

/** app/api's route files as NEXT_API_ROUTES writes them, with the methods each exports. */
function routeFiles(): { path: string; methods: string[] }[] {
  const found: { path: string; methods: string[] }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const segments = path.relative(APP_API, dir).split(path.sep).map((s) => (s.startsWith("[...") ? "*" : s.replace(/^\[(.+)\]$/, ":$1")));
        const source = fs.readFileSync(full, "utf8");
        const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => new RegExp(`export const ${m}\\b|export const \\{ ${m} \\}|as ${m}\\b`).test(source));
        found.push({ path: `/api/${segments.join("/")}`, methods });
      }
    }
  };
  walk(APP_API);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

describe("Next's /api/ routes", () => {
  it("NEXT_API_ROUTES lists every route file under app/api with the methods it exports", () => {
    const listed = NEXT_API_ROUTES.map((r) => ({ path: r.path, methods: [...r.methods] })).sort((a, b) => a.path.localeCompare(b.path));
    expect(listed).toEqual(routeFiles());
  });

  it("a path that does not decode is 400 invalid_request, before anything else", () => {
    for (const path of ["/api/owner/requests/%zz/decision", "/api/auth/session%", "/api/nope/%e0%a4%a", "/api/account/phone/start%ZZ"]) {
      const refused = refuseNextApi("POST", path);
      expect(refused, path).toBeInstanceOf(TextgateError);
      expect((refused as TextgateError).code).toBe("invalid_request");
    }
  });

  it("an unknown path is 404, a wrong method 405 with Allow, TRACE included", () => {
    expect((refuseNextApi("GET", "/api/nope") as TextgateError).code).toBe("not_found");
    expect((refuseNextApi("GET", "/api/auth") as TextgateError).code).toBe("not_found");
    for (const dots of ["/api/auth/../sms", "/api/auth/%2e%2e/x", "/api/auth/./session", "/api/%2E/owner/requests"]) {
      expect((refuseNextApi("POST", dots) as TextgateError).code, dots).toBe("not_found");
    }
    expect((refuseNextApi("GET", "/api/owner/requests/K7Q2") as TextgateError).code).toBe("not_found");
    expect(refuseNextApi("GET", "/api/auth/sms/start")).toEqual({ allow: "POST" });
    expect(refuseNextApi("DELETE", "/api/owner/requests")).toEqual({ allow: "GET, HEAD" });
    expect(refuseNextApi("TRACE", "/api/auth/session")).toEqual({ allow: "GET, HEAD, POST" });
    expect(refuseNextApi("PATCH", "/api/owner/requests/K7Q2/decision")).toEqual({ allow: "POST" });
  });

  it("lets Next serve its routes, HEAD and OPTIONS included", () => {
    for (const [method, path] of [
      ["POST", "/api/auth/sms/start"],
      ["GET", "/api/auth/sms/config"],
      ["HEAD", "/api/auth/sms/config"],
      ["OPTIONS", "/api/auth/sms/start"],
      ["GET", "/api/auth/session"],
      ["POST", "/api/auth/callback/sms"],
      ["GET", "/api/auth/csrf/"],
      ["POST", "/api/owner/requests/K7Q2/decision"],
    ] as const) {
      expect(refuseNextApi(method, path), `${method} ${path}`).toBeNull();
    }
  });
});
