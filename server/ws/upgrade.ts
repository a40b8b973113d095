/**
 * Authenticates an upgrade before the handshake: a flat list of guard clauses, each refusing with one
 * HTTP status through `rejectUpgrade`. No `connection` happens for a refused upgrade.
 */
import http from "node:http";
import type { Duplex } from "node:stream";
import type { JWT } from "next-auth/jwt";
import { decodeJwt } from "../auth/jwt.ts";
import type { SessionUser } from "../../lib/auth/contract.ts";
import type { SessionDefinition } from "./sessions.ts";

export function rejectUpgrade(socket: Duplex, status: number): void {
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ""}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/** Who opens a socket: the user, and the session whose end closes the socket. */
export interface SocketIdentity {
  user: SessionUser;
  sessionId: string;
  /** When the sign-in ends (epoch ms), where no session row tells (a host's JWT): the heartbeat closes the socket then. */
  expiresAt?: number;
}

/** Reads who an upgrade comes from before the handshake; null refuses it with 401. */
export type Authenticate = (req: http.IncomingMessage) => Promise<SocketIdentity | null>;

/**
 * The next-auth session token of an upgrade (JWT strategy), decoded with the app's secret: the first of
 * `cookieNames` present, joined from next-auth's chunks (`name.0`, `name.1`, …) when it was split.
 */
export async function sessionToken(req: http.IncomingMessage, cookieNames: readonly string[], secret: string): Promise<JWT | null> {
  for (const name of cookieNames) {
    let token = cookieValue(req.headers.cookie, name);
    if (!token) {
      const chunks: string[] = [];
      for (let i = 0; ; i++) {
        const chunk = cookieValue(req.headers.cookie, `${name}.${i}`);
        if (chunk === null) break;
        chunks.push(chunk);
      }
      token = chunks.length ? chunks.join("") : null;
    }
    // decodeJwt keeps the key it derives from the secret and loads jose only on first use: `textgate/ws` loads
    // without next-auth when the host authenticates itself (server/auth/jwt.ts).
    if (token) return decodeJwt({ token, secret }).catch(() => null);
  }
  return null;
}

export interface UpgradeGuards {
  definitions: Map<string, SessionDefinition>;
  allowedOrigins: Set<string>;
  authenticate: Authenticate;
  maxConnectionsPerUser: number;
  count(userId: string): number;
}

/**
 * Most headers an upgrade may carry (more → 431). Node's HTTP parser drops headers past its
 * `maxHeadersCount` without a word, so server.ts lifts that count (the 16 KB header size limit still bounds
 * a request to a few thousand headers) and this guard sees the true number: an upgrade is never judged on
 * a truncated set of headers (CVE-2024-37890 was a `ws` crash on one; `ws` ≥ 8.17.1 is fixed).
 */
export const MAX_UPGRADE_HEADERS = 2000;

export type Admission = { ok: true; definition: SessionDefinition; session: SocketIdentity } | { ok: false; status: number };

/** Decides whether an upgrade may proceed (async: `authenticate` may read a session row). */
export async function admitUpgrade(req: http.IncomingMessage, guards: UpgradeGuards): Promise<Admission> {
  if (req.rawHeaders.length / 2 > MAX_UPGRADE_HEADERS) return { ok: false, status: 431 };
  const pathname = URL.parse(req.url ?? "/", "http://localhost")?.pathname;
  const definition = pathname ? guards.definitions.get(pathname) : undefined;
  if (!definition) return { ok: false, status: 404 };
  const origin = req.headers.origin;
  if (!origin || !guards.allowedOrigins.has(origin)) return { ok: false, status: 403 };
  const session = await guards.authenticate(req);
  if (!session) return { ok: false, status: 401 };
  if (definition.connect.length && !session.user.phone) return { ok: false, status: 403 };
  if (guards.count(session.user.id) >= guards.maxConnectionsPerUser) return { ok: false, status: 429 };
  return { ok: true, definition, session };
}
