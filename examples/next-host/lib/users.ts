/**
 * The host's own users: textgate verifies the number, this app decides who that is. A JSON file is enough
 * for an example (one process; .data/users.json under the directory it runs in); a real app keeps them in its database.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface User {
  id: string;
  phone: string;
  name: string | null;
  createdAt: string;
}

const file = path.join(process.cwd(), ".data", "users.json");

function readAll(): User[] {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as User[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

export function findUserByPhone(phone: string): User | null {
  return readAll().find((user) => user.phone === phone) ?? null;
}

/** The user with this (verified) number; created on its first sign-in, with the name given at sign-up. */
export function userForVerifiedPhone(phone: string, name: string | undefined): User {
  const existing = findUserByPhone(phone);
  if (existing) return existing;
  const user: User = { id: crypto.randomUUID(), phone, name: name ?? null, createdAt: new Date().toISOString() };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written whole and renamed, so a crash never leaves half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify([...readAll(), user], null, 2));
  fs.renameSync(temporary, file);
  return user;
}
