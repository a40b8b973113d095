/**
 * Applies pending migrations to the database named by DATABASE_URL (SQLite file by default), offline.
 * Usage: npm run db:migrate
 */
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import { MigrationError, migrateIfNeeded } from "../../server/db/migrations.ts";

const target = resolveDatabaseTarget(process.env.DATABASE_URL);
let applied: string[];
try {
  applied = await migrateIfNeeded(target);
} catch (error) {
  console.error(error instanceof MigrationError ? error.message : error);
  process.exit(1);
}
const where = target.provider === "sqlite" ? target.url : target.url.replace(/\/\/[^@]*@/, "//***@");
console.log(applied.length ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(", ")}` : `${where} is up to date.`);
