/** The per-provider schemas and migrations stay in step with prisma/models.prisma (the one source of truth). */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { composeSchema } from "../../scripts/db/compose-schemas.ts";
import { MODELS_FILE, migrationsDir, PROVIDERS, schemaFile } from "../../scripts/db/providers.ts";

describe.each(PROVIDERS)("%s schema and migrations", (provider) => {
  it("schema.prisma is composed from models.prisma (run npm run db:schemas)", () => {
    expect(fs.readFileSync(schemaFile(provider), "utf8")).toBe(composeSchema(provider, fs.readFileSync(MODELS_FILE, "utf8")));
  });

  it("the newest migration was made from the current schema (run npm run db:new -- <name>)", () => {
    const dir = migrationsDir(provider);
    const newest = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "migration.sql"))).sort().at(-1);
    expect(newest, "no migration").toBeDefined();
    expect(fs.readFileSync(path.join(dir, newest as string, "schema.snapshot.prisma"), "utf8")).toBe(fs.readFileSync(schemaFile(provider), "utf8"));
    expect(fs.readFileSync(path.join(dir, "migration_lock.toml"), "utf8")).toContain(`provider = "${provider}"`);
  });
});

describe("migrating an existing database", () => {
  it("applies only what is pending, without the schema engine when nothing is, while another connection is open", async () => {
    const { createTestDatabase } = await import("../helpers/databases.ts");
    const { resolveDatabaseTarget } = await import("../../server/db/database-url.ts");
    const { migrateIfNeeded, pendingMigrations } = await import("../../server/db/migrations.ts");
    const { openSql } = await import("../../server/store/sql.ts");
    const db = await createTestDatabase("sqlite", { empty: true });
    const target = resolveDatabaseTarget(db.url);
    try {
      expect((await pendingMigrations(target)).length).toBeGreaterThan(0);
      expect((await migrateIfNeeded(target)).length).toBeGreaterThan(0);
      const sql = openSql(target); // a running server's connection (WAL, checkpointer)
      try {
        expect(await pendingMigrations(target)).toEqual([]);
        expect(await migrateIfNeeded(target)).toEqual([]);
      } finally {
        await sql.close();
      }
    } finally {
      await db.drop();
    }
  });
});
