/**
 * Generates the Prisma clients (one per provider) offline.
 * Usage: npm run db:generate   (runs on postinstall)
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { writeSchemas } from "./compose-schemas.ts";
import { PROVIDERS, ROOT, schemaFile } from "./providers.ts";

writeSchemas();
const cli = path.join(ROOT, "node_modules/prisma/build/index.js");
for (const provider of PROVIDERS) {
  execFileSync(process.execPath, [cli, "generate", "--schema", schemaFile(provider)], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: path.join(ROOT, "scripts/db/schema-engine-stub.sh"),
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
  });
}
console.log(`Generated Prisma clients for ${PROVIDERS.join(", ")}`);
