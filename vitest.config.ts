import { configDefaults, defineConfig } from "vitest/config";
import SlowestFirstSequencer from "./tests/sequencer.ts";

/** Test files that touch a database, a server process or process-wide state: each runs in a fresh process. */
const ISOLATED = ["tests/**/*.test.ts", "server/auth/sessions.test.ts"];
const UNITS = ["server/**/*.test.ts", "lib/**/*.test.ts", "components/**/*.test.ts"];
const shared = { environment: "node", testTimeout: 30_000, hookTimeout: 60_000, pool: "forks" } as const;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: "isolated",
          include: ISOLATED,
          // Migrated template databases that every test database copies (tests/helpers/database-templates.ts).
          globalSetup: ["tests/global-setup.ts"],
        },
      },
      {
        // Pure modules: importing them again for every file cost about 2 s per file, most of these files' time,
        // so they share one module graph per worker. They must not leave state behind (no env, no globals).
        test: { ...shared, name: "units", include: UNITS, exclude: [...configDefaults.exclude, ...ISOLATED], isolate: false },
      },
    ],
    // Slowest files first, also in a fresh clone that has no timings yet (tests/sequencer.ts).
    sequence: { sequencer: SlowestFirstSequencer },
    // Integration tests start real server processes; two cores, so keep files from all running at once.
    maxWorkers: 2,
  },
});
