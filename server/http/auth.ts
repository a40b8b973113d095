/**
 * API key authentication: `Authorization: Bearer <key>`. The scheme name is case-insensitive (RFC 9110
 * §11.1); everything else is strict: one space, one token, no surrounding junk. Every failure is the
 * same 401 `unauthorized` (with `WWW-Authenticate: Bearer`, added by sendError), so a caller learns
 * nothing about which part was wrong.
 */
import type { IncomingMessage } from "node:http";
import { TextgateError } from "../../lib/errors.ts";
import type { ApiKeyAuthenticator, ApiKeyIdentity } from "../api-keys.ts";

const BEARER = /^bearer ([^\s]+)$/i;

/** The token of a Bearer Authorization header, or null when the header is missing or malformed. */
export function parseBearer(header: string | undefined): string | null {
  if (!header) return null;
  const match = BEARER.exec(header);
  return match ? (match[1] as string) : null;
}

export async function authenticateRequest(req: IncomingMessage, authenticate: ApiKeyAuthenticator): Promise<ApiKeyIdentity> {
  const token = parseBearer(req.headers.authorization);
  const identity = token === null ? null : await authenticate(token);
  if (!identity) throw new TextgateError("unauthorized");
  return identity;
}
