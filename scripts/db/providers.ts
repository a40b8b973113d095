/** The database providers textgate supports, and where each one's schema and migrations live. */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const MODELS_FILE = path.join(ROOT, "prisma/models.prisma");

export type Provider = "sqlite" | "postgresql";
export const PROVIDERS: readonly Provider[] = ["sqlite", "postgresql"];

export function schemaFile(provider: Provider): string {
  return path.join(ROOT, "prisma", provider, "schema.prisma");
}

export function migrationsDir(provider: Provider): string {
  return path.join(ROOT, "prisma", provider, "migrations");
}
