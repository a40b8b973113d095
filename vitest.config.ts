import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "server/**/*.test.ts", "lib/**/*.test.ts", "components/**/*.test.ts"],
    environment: "node",
    // Migrated template databases that every test database copies (tests/helpers/database-templates.ts).
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Integration tests start real server processes; two cores, so keep files from all running at once.
    maxWorkers: 2,
  },
});
