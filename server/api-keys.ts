/**
 * API keys: `tg_<8 hex prefix>_<43 base64url characters>` (256 random bits). Only the SHA-256 of the
 * whole key is stored: the key is high-entropy, so a plain fast hash cannot be brute-forced and a slow
 * password hash would only cost CPU on every request. The prefix identifies a key to people (listing,
 * revoking) without revealing it.
 *
 * The authenticator keeps a small in-memory cache so the hot path of the API does no database read:
 * known keys for 30 s, unknown keys for 5 s (so a wrong key cannot hammer the database). A revoked key
 * therefore stops working within 30 s on every node.
 */
import crypto from "node:crypto";
import type { Db } from "./db/client.ts";

export const API_KEY_PATTERN = /^tg_[0-9a-f]{8}_[A-Za-z0-9_-]{32,128}$/;

export interface ApiKeyIdentity {
  id: string;
  name: string;
}

export interface CreatedApiKey extends ApiKeyIdentity {
  prefix: string;
  /** The full key: shown once, never stored. */
  key: string;
}

export function hashApiKey(key: string): string {
  return crypto.createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): { key: string; prefix: string } {
  const prefix = crypto.randomBytes(4).toString("hex");
  return { key: `tg_${prefix}_${crypto.randomBytes(32).toString("base64url")}`, prefix };
}

export async function createApiKey(prisma: Db, name: string): Promise<CreatedApiKey> {
  const label = name.trim();
  if (!label || label.length > 100) throw new Error("an API key needs a name of 1 to 100 characters");
  const { key, prefix } = generateApiKey();
  const id = crypto.randomUUID();
  await prisma.apiKey.create({ data: { id, name: label, prefix, secretHash: hashApiKey(key), createdAt: new Date() } });
  return { id, name: label, prefix, key };
}

/** Revokes every active key with this prefix; returns how many were revoked. */
export async function revokeApiKey(prisma: Db, prefix: string): Promise<number> {
  const { count } = await prisma.apiKey.updateMany({ where: { prefix, revokedAt: null }, data: { revokedAt: new Date() } });
  return count;
}

export interface ApiKeyAuthenticatorOptions {
  /** How long a known key is trusted without a database read (default 30 s). */
  ttlMs?: number;
  /** How long an unknown or revoked key is remembered as such (default 5 s). */
  missTtlMs?: number;
  /** `lastUsedAt` is written at most this often per key (default 60 s). */
  touchIntervalMs?: number;
  /** The cache is cleared when it grows past this many entries (default 10,000). */
  maxEntries?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

export type ApiKeyAuthenticator = (key: string) => Promise<ApiKeyIdentity | null>;

interface CacheEntry {
  identity: ApiKeyIdentity | null;
  expiresAt: number;
}

export function createApiKeyAuthenticator(prisma: Db, options: ApiKeyAuthenticatorOptions = {}): ApiKeyAuthenticator {
  const ttlMs = options.ttlMs ?? 30_000;
  const missTtlMs = options.missTtlMs ?? 5_000;
  const touchIntervalMs = options.touchIntervalMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const onError = options.onError ?? (() => {});

  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<ApiKeyIdentity | null>>();
  const touchedAt = new Map<string, number>();

  async function lookup(hash: string): Promise<ApiKeyIdentity | null> {
    const row = await prisma.apiKey.findUnique({ where: { secretHash: hash }, select: { id: true, name: true, revokedAt: true } });
    const identity = row && !row.revokedAt ? { id: row.id, name: row.name } : null;
    if (cache.size >= maxEntries) cache.clear();
    cache.set(hash, { identity, expiresAt: now() + (identity ? ttlMs : missTtlMs) });
    return identity;
  }

  function touch(identity: ApiKeyIdentity): void {
    const at = now();
    const last = touchedAt.get(identity.id);
    if (last !== undefined && at - last < touchIntervalMs) return;
    if (touchedAt.size >= maxEntries) touchedAt.clear();
    touchedAt.set(identity.id, at);
    prisma.apiKey.updateMany({ where: { id: identity.id }, data: { lastUsedAt: new Date(at) } }).catch(onError);
  }

  return async (key) => {
    if (!API_KEY_PATTERN.test(key)) return null;
    const hash = hashApiKey(key);
    const cached = cache.get(hash);
    let identity: ApiKeyIdentity | null;
    if (cached && cached.expiresAt > now()) {
      identity = cached.identity;
    } else {
      let pending = inFlight.get(hash);
      if (!pending) {
        pending = lookup(hash).finally(() => inFlight.delete(hash));
        inFlight.set(hash, pending);
      }
      identity = await pending;
    }
    if (identity) touch(identity);
    return identity;
  };
}
