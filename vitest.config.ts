import { configDefaults, defineConfig } from "vitest/config";
import SlowestFirstSequencer from "./tests/sequencer.ts";

/** Test files that touch a database, a server process or process-wide state: each runs in a fresh process. */
const ISOLATED = ["tests/**/*.test.ts", "server/auth/sessions.test.ts"];
/**
 * Files that drive real server processes (tests/integration, tests/helpers/server.ts) or in-process runtimes on
 * their own databases (tests/engine, tests/helpers/runtime.ts): their state lives in those processes, runtimes
 * and databases, which each file starts and stops, so these files share one module graph per worker, as `units`
 * do. A fresh process per file cost 1.5–2.5 s of CPU each (docs/benchmarks.md, "The suite's time"). They must
 * not change process.env or other globals; files that do stay in `isolated`.
 */
const DATABASES = ["tests/integration/**/*.test.ts", "tests/engine/**/*.test.ts"];
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
          exclude: [...configDefaults.exclude, ...DATABASES],
          // Migrated template databases that every test database copies (tests/helpers/database-templates.ts),
          // and the test servers' bundle (tests/helpers/server-bundle.ts).
          globalSetup: ["tests/global-setup.ts"],
        },
      },
      {
        // The same global setup: it runs once when both projects run (tests/global-setup.ts).
        test: { ...shared, name: "databases", include: DATABASES, isolate: false, globalSetup: ["tests/global-setup.ts"] },
      },
      {
        // Pure modules: importing them again for every file cost about 2 s per file, most of these files' time,
        // so they share one module graph per worker. They must not leave state behind (no env, no globals).
        test: { ...shared, name: "units", include: UNITS, exclude: [...configDefaults.exclude, ...ISOLATED], isolate: false },
      },
    ],
    // Slowest files first, also in a fresh clone that has no timings yet, and each project's files together (tests/sequencer.ts).
    sequence: { sequencer: SlowestFirstSequencer },
    // Integration tests start real server processes; two cores, so keep files from all running at once.
    maxWorkers: 2,
  },
});
