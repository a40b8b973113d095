/** Page security headers and their setting (EMBED_ALLOWED_ORIGINS); served headers: tests/integration/web-security.test.ts. @see issue 10 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../env.ts";
import { contentSecurityPolicy, isEmbeddablePage, pageSecurityHeaders } from "./security-headers.ts";

const production = { production: true, publicUrl: "https://verify.example.com", embedOrigins: ["https://shop.example.com"] };

describe("pageSecurityHeaders", () => {
  it("sends HSTS and upgrade-insecure-requests only when PUBLIC_URL is https", () => {
    expect(pageSecurityHeaders("/", "n0nce", production)["strict-transport-security"]).toBe("max-age=31536000");
    expect(contentSecurityPolicy("/", "n0nce", production)).toContain("upgrade-insecure-requests");
    const http = { ...production, publicUrl: "http://localhost:3000" };
    expect(pageSecurityHeaders("/", "n0nce", http)["strict-transport-security"]).toBeUndefined();
    expect(contentSecurityPolicy("/", "n0nce", http)).not.toContain("upgrade-insecure-requests");
  });

  it("forbids framing everywhere but the embeddable pages, which this origin and the allow-list may frame", () => {
    for (const pathname of ["/", "/owner", "/login", "/embedded", "/api/account/sessions/revoke-all"]) {
      expect(isEmbeddablePage(pathname), pathname).toBe(false);
      expect(contentSecurityPolicy(pathname, "n", production)).toContain("frame-ancestors 'none'");
      expect(pageSecurityHeaders(pathname, "n", production)["x-frame-options"]).toBe("DENY");
    }
    for (const pathname of ["/embed", "/embed/anything"]) {
      expect(contentSecurityPolicy(pathname, "n", production)).toContain("frame-ancestors 'self' https://shop.example.com;");
      expect(pageSecurityHeaders(pathname, "n", production)["x-frame-options"]).toBeUndefined();
    }
    expect(contentSecurityPolicy("/embed", "n", { ...production, embedOrigins: [] })).toContain("frame-ancestors 'self';");
  });

  it("relaxes only what Next's development runtime needs: eval for React's dev build, inline styles for hot reload", () => {
    const dev = contentSecurityPolicy("/", "abc", { ...production, production: false });
    expect(dev).toContain("script-src 'self' 'nonce-abc' 'unsafe-eval'");
    expect(dev).toContain("style-src 'self' 'unsafe-inline'");
    const prod = contentSecurityPolicy("/", "abc", production);
    expect(prod).toContain("script-src 'self' 'nonce-abc';");
    expect(prod).toContain("style-src 'self' 'nonce-abc';");
    expect(prod).not.toContain("unsafe");
  });
});

describe("EMBED_ALLOWED_ORIGINS", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tg-embed-"));
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));
  const base: NodeJS.ProcessEnv = { NODE_ENV: "test", TEXTGATE_SECRET: "x".repeat(32), DATABASE_URL: `file:${path.join(folder, "t.db")}` };

  it("is empty by default and takes exact origins", () => {
    expect(loadConfig(base, folder).EMBED_ALLOWED_ORIGINS).toEqual([]);
    expect(loadConfig({ ...base, EMBED_ALLOWED_ORIGINS: "https://a.example.com, http://localhost:8080" }, folder).EMBED_ALLOWED_ORIGINS).toEqual([
      "https://a.example.com",
      "http://localhost:8080",
    ]);
  });

  it.each(["https://a.example.com/", "https://a.example.com/path", "*.example.com", "https://*.example.com", "'none'", "https://a.example.com; script-src *", "ftp://a.example.com"])(
    "refuses %s, which is not an origin, naming the variable",
    (value) => {
      expect(() => loadConfig({ ...base, EMBED_ALLOWED_ORIGINS: value }, folder)).toThrow(ConfigError);
      try {
        loadConfig({ ...base, EMBED_ALLOWED_ORIGINS: value }, folder);
      } catch (error) {
        expect((error as ConfigError).problems.join("\n")).toContain("EMBED_ALLOWED_ORIGINS");
      }
    },
  );
});
