import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSqlite, type TestSqlite } from "../tests/helpers/sqlite.ts";
import { API_KEY_PATTERN, createApiKey, createApiKeyAuthenticator, hashApiKey, revokeApiKey } from "./api-keys.ts";

let db: TestSqlite;
beforeAll(async () => {
  db = await createTestSqlite();
});
afterAll(() => db.close());

function row(id: string) {
  return db.raw.prepare("SELECT * FROM api_keys WHERE id = ?").get(id) as Record<string, unknown>;
}

describe("createApiKey", () => {
  it("makes a tg_<prefix>_<secret> key and stores only its SHA-256", async () => {
    const created = await createApiKey(db.prisma, "  ci  ");
    expect(created.key).toMatch(API_KEY_PATTERN);
    expect(created.key).toMatch(/^tg_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.slice(3, 11)).toBe(created.prefix);
    expect(created.name).toBe("ci");
    const stored = row(created.id);
    expect(stored.secret_hash).toBe(hashApiKey(created.key));
    expect(stored.prefix).toBe(created.prefix);
    expect(stored.created_at).not.toBeNull();
    expect(JSON.stringify(stored)).not.toContain(created.key.slice(12));
  });

  it("makes a different key every time", async () => {
    const a = await createApiKey(db.prisma, "a");
    const b = await createApiKey(db.prisma, "b");
    expect(a.key).not.toBe(b.key);
  });

  it("refuses an empty name", async () => {
    await expect(createApiKey(db.prisma, " ")).rejects.toThrow(/name/);
  });
});

describe("createApiKeyAuthenticator", () => {
  function clock() {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  }

  it("accepts a key, refuses wrong and malformed ones", async () => {
    const created = await createApiKey(db.prisma, "auth");
    const authenticate = createApiKeyAuthenticator(db.prisma);
    expect(await authenticate(created.key)).toEqual({ id: created.id, name: "auth" });
    expect(await authenticate(`${created.key.slice(0, -1)}${created.key.endsWith("A") ? "B" : "A"}`)).toBeNull();
    expect(await authenticate("tg_nothex!!_abc")).toBeNull();
    expect(await authenticate("")).toBeNull();
  });

  it("trusts a known key for the TTL, then sees the revocation", async () => {
    const created = await createApiKey(db.prisma, "revoke-me");
    const c = clock();
    const authenticate = createApiKeyAuthenticator(db.prisma, { now: c.now, ttlMs: 30_000 });
    expect(await authenticate(created.key)).not.toBeNull();
    expect(await revokeApiKey(db.prisma, created.prefix)).toBe(1);
    c.advance(29_000);
    expect(await authenticate(created.key)).not.toBeNull();
    c.advance(2_000);
    expect(await authenticate(created.key)).toBeNull();
    expect(await revokeApiKey(db.prisma, created.prefix)).toBe(0);
  });

  it("remembers an unknown key briefly, then looks again", async () => {
    const c = clock();
    const authenticate = createApiKeyAuthenticator(db.prisma, { now: c.now, missTtlMs: 5_000 });
    const created = await createApiKey(db.prisma, "late");
    db.raw.prepare("UPDATE api_keys SET secret_hash = 'x' WHERE id = ?").run(created.id);
    expect(await authenticate(created.key)).toBeNull();
    db.raw.prepare("UPDATE api_keys SET secret_hash = ? WHERE id = ?").run(hashApiKey(created.key), created.id);
    expect(await authenticate(created.key)).toBeNull();
    c.advance(5_001);
    expect(await authenticate(created.key)).toEqual({ id: created.id, name: "late" });
  });

  it("answers a burst of concurrent requests with the same key", async () => {
    const created = await createApiKey(db.prisma, "burst");
    const authenticate = createApiKeyAuthenticator(db.prisma);
    const results = await Promise.all(Array.from({ length: 20 }, () => authenticate(created.key)));
    expect(results.every((r) => r?.id === created.id)).toBe(true);
  });

  it("writes lastUsedAt at most once a minute", async () => {
    const created = await createApiKey(db.prisma, "touch");
    const c = clock();
    const authenticate = createApiKeyAuthenticator(db.prisma, { now: c.now });
    const settle = () => new Promise((r) => setTimeout(r, 50));
    await authenticate(created.key);
    await settle();
    const first = row(created.id).last_used_at;
    expect(first).not.toBeNull();
    c.advance(30_000);
    await authenticate(created.key);
    await settle();
    expect(row(created.id).last_used_at).toBe(first);
    c.advance(31_000);
    await authenticate(created.key);
    await settle();
    expect(row(created.id).last_used_at).not.toBe(first);
  });
});
