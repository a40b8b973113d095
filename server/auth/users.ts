/** People known by their verified phone number: passwordless onboarding and number changes. */
import { TextgateError } from "../../lib/errors.ts";
import { uuidv7 } from "../../lib/ids.ts";
import { MAX_NAME_LENGTH } from "../../lib/validations/account.ts";
import type { Db } from "../db/client.ts";
import { isUniqueViolation, type Sql } from "../store/sql.ts";
import type { SessionUser } from "./sessions.ts";

export { MAX_NAME_LENGTH };

function cleanName(name: string | null | undefined): string | null {
  const trimmed = name?.replace(/\s+/g, " ").trim().slice(0, MAX_NAME_LENGTH);
  return trimmed ? trimmed : null;
}

/** A signed-in user, and whether the account was there before this sign-in (false: just created). */
export type SignedInUser = SessionUser & { existed: boolean };

/**
 * The user of a just-verified number: a known number signs in (a name is only filled in if the user
 * has none); an unknown one creates the user. Safe under two simultaneous first sign-ins.
 */
export async function signInByPhone(prisma: Db, phone: string, name: string | null | undefined, now: Date): Promise<SignedInUser> {
  const select = { id: true, name: true, phone: true } as const;
  const existing = await prisma.user.findUnique({ where: { phone }, select });
  if (existing) {
    const wanted = cleanName(name);
    if (wanted && !existing.name) return { ...(await prisma.user.update({ where: { id: existing.id }, data: { name: wanted }, select })), existed: true };
    return { ...existing, existed: true };
  }
  try {
    const created = await prisma.user.create({
      data: { id: uuidv7(now.getTime()), phone, name: cleanName(name), phoneVerifiedAt: now, createdAt: now },
      select,
    });
    return { ...created, existed: false };
  } catch (error) {
    if (!isUniqueViolation(error) && (error as { code?: string })?.code !== "P2002") throw error;
    const winner = await prisma.user.findUnique({ where: { phone }, select });
    if (!winner) throw error;
    return { ...winner, existed: true };
  }
}

/** A user by id through the SQL executor (the session check's second read, server/auth/sessions.ts). */
export function userByIdSql(sql: Sql, id: string): Promise<SessionUser | undefined> {
  return sql.get<SessionUser>("SELECT id, name, phone FROM users WHERE id = ?", [id]);
}

/**
 * signInByPhone through the engine's SQL executor (server/store/sql.ts): every sign-in makes these two
 * statements, and a Prisma call costs about ten times a prepared one (issue 14, docs/architecture.md).
 */
export async function signInByPhoneSql(sql: Sql, phone: string, name: string | null | undefined, now: Date): Promise<SignedInUser> {
  const find = () => sql.get<SessionUser>("SELECT id, name, phone FROM users WHERE phone = ?", [phone]);
  const existing = await find();
  if (existing) {
    const wanted = cleanName(name);
    if (wanted && !existing.name) {
      await sql.run("UPDATE users SET name = ?, updated_at = ? WHERE id = ?", [wanted, now, existing.id]);
      return { ...existing, name: wanted, existed: true };
    }
    return { ...existing, existed: true };
  }
  const user = { id: uuidv7(now.getTime()), phone, name: cleanName(name) };
  try {
    // role keeps its column default ('user'), as Prisma's create leaves it.
    await sql.run("INSERT INTO users (id, phone, name, phone_verified_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", [user.id, phone, user.name, now, now, now]);
    return { ...user, existed: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await find();
    if (!winner) throw error;
    return { ...winner, existed: true };
  }
}

/** Moves a user to a new verified number; refuses a number another user has. Returns the old number. */
export async function changePhone(prisma: Db, userId: string, phone: string, now: Date): Promise<string | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { phone: true } });
  if (!user) throw new TextgateError("unauthorized", "Sign in first.");
  const owner = await prisma.user.findUnique({ where: { phone }, select: { id: true } });
  if (owner && owner.id !== userId) throw new TextgateError("phone_unavailable");
  try {
    await prisma.user.update({ where: { id: userId }, data: { phone, phoneVerifiedAt: now } });
  } catch (error) {
    if ((error as { code?: string })?.code === "P2002" || isUniqueViolation(error)) throw new TextgateError("phone_unavailable");
    throw error;
  }
  return user.phone;
}

/** Sets (or, with an empty name, clears) the display name; spaces are folded as at sign-up. */
export async function renameUser(prisma: Db, userId: string, name: string | null): Promise<{ name: string | null }> {
  const wanted = cleanName(name);
  const updated = await prisma.user.updateMany({ where: { id: userId }, data: { name: wanted } });
  if (updated.count === 0) throw new TextgateError("unauthorized", "Sign in first.");
  return { name: wanted };
}

/** The users table's operations bound to one database: what the auth feature hands its callers. */
export interface UserDirectory {
  signInByPhone(phone: string, name: string | null | undefined, now: Date): Promise<SignedInUser>;
  changePhone(userId: string, phone: string, now: Date): Promise<string | null>;
  rename(userId: string, name: string | null): Promise<{ name: string | null }>;
}

/** With `sql`, sign-ins go through the engine's SQL executor; the rarer account changes stay with Prisma. */
export function createUserDirectory(prisma: Db, sql: Sql | null = null): UserDirectory {
  return {
    signInByPhone: (phone, name, now) => (sql ? signInByPhoneSql(sql, phone, name, now) : signInByPhone(prisma, phone, name, now)),
    changePhone: (userId, phone, now) => changePhone(prisma, userId, phone, now),
    rename: (userId, name) => renameUser(prisma, userId, name),
  };
}
