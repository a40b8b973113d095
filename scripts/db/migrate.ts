/**
 * Applies pending migrations to the database named by DATABASE_URL (SQLite file by default), offline.
 * Usage: npm run db:migrate
 */
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import { applyMigrations } from "../../server/db/migrations.ts";

const target = resolveDatabaseTarget(process.env.DATABASE_URL);
const applied = await applyMigrations(target);
const where = target.provider === "sqlite" ? target.url : target.url.replace(/\/\/[^@]*@/, "//***@");
console.log(applied.length ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(", ")}` : `${where} is up to date.`);
