/**
 * Migrated template databases, made once per Vitest run (tests/global-setup.ts) and copied for every
 * test database: a fresh database would otherwise start Prisma's schema engine and apply every
 * migration in each test server and runtime, the largest part of a test server's start. Tests of
 * migrating itself ask for an empty database (`{ empty: true }`).
 */
import fs from "node:fs";

const SQLITE_TEMPLATE = "TEXTGATE_TEST_SQLITE_TEMPLATE";
const POSTGRES_TEMPLATE = "TEXTGATE_TEST_POSTGRES_TEMPLATE";

export const templateEnv = { sqlite: SQLITE_TEMPLATE, postgresql: POSTGRES_TEMPLATE } as const;

/** Copies the migrated SQLite template to `file` (when there is one); false when `file` stays to be created. */
export function copySqliteTemplate(file: string): boolean {
  const template = process.env[SQLITE_TEMPLATE];
  if (!template || !fs.existsSync(template)) return false;
  fs.copyFileSync(template, file);
  return true;
}

/** The migrated PostgreSQL template database's name, for CREATE DATABASE … TEMPLATE, when there is one. */
export function postgresTemplate(): string | null {
  const name = process.env[POSTGRES_TEMPLATE];
  return name && /^tg_tpl_[0-9a-f]+$/.test(name) ? name : null;
}
