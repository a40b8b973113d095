/**
 * The order Vitest runs test files in. Vitest runs the slowest files first once it has timed a run, but a
 * fresh clone (CI) has no timings, and then it starts files by size, so an 85 s kill loop could start last
 * and run alone at the end. The files here start first, slowest first; the rest follow in Vitest's order.
 * The list is the top of a timed run (`npx vitest run --reporter=json --outputFile=…`, docs/benchmarks.md,
 * "The suite's time"); a file missing from it only runs later, never not at all.
 *
 * The files of each project run together, the projects in PROJECT_ORDER, and the list orders files within
 * each: Vitest reuses a worker of a project with `isolate: false` only while the next file in its queue is of
 * the same project, and stops it otherwise, so interleaved projects would start a process per file again.
 * `databases` holds the slowest files, so it goes first; the many short `units` files come last, where they fill
 * the two workers' ends evenly.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

const SLOWEST_FIRST = [
  "tests/integration/kill-loop.test.ts",
  "tests/integration/crash-recovery.test.ts",
  "tests/integration/webhooks.test.ts",
  "tests/integration/fuzz.test.ts",
  "tests/integration/compat-vonage.test.ts",
  "tests/integration/sockets.test.ts",
  "tests/integration/keys-script.test.ts",
  "tests/integration/webhooks-script.test.ts",
  "tests/integration/guessing.test.ts",
  "tests/integration/owner.test.ts",
  "tests/integration/multi-node.test.ts",
  "tests/integration/compat-textmagic.test.ts",
  "tests/package/package.test.ts",
  "tests/engine/engine.test.ts",
];

const PROJECT_ORDER = ["databases", "isolated", "units"];

export default class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = SLOWEST_FIRST.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
      return index === -1 ? SLOWEST_FIRST.length : index;
    };
    const group = (spec: TestSpecification) => {
      const index = PROJECT_ORDER.indexOf(spec.project.name);
      return index === -1 ? PROJECT_ORDER.length : index;
    };
    // Array.prototype.sort is stable: files outside the list keep Vitest's order within their project.
    return sorted.sort((a, b) => group(a) - group(b) || rank(a) - rank(b));
  }
}
