/**
 * The README's API walkthrough, run as written: each shell block under "## API" that calls the native
 * API is executed by bash against a real server, in order, and each command's output must match the
 * `# …` line below it (`…` stands for anything; ids, codes and times for their own value). A reader
 * who pastes the blocks gets what the README shows.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";

const README = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
const apiSection = README.slice(README.indexOf("\n## API\n"), README.indexOf("\n## ", README.indexOf("\n## API\n") + 5));
const blocks = [...apiSection.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => b.includes("$B/api/v1/verifications"));

interface Step {
  command: string;
  expected: string[];
}

function steps(block: string): Step[] {
  const result: Step[] = [];
  for (const line of block.split("\n")) {
    if (!line.trim()) continue;
    if (line.startsWith("# ")) result.at(-1)?.expected.push(line.slice(2));
    else result.push({ command: line, expected: [] });
  }
  return result;
}

/** The README's sample output as a pattern: `…` is anything, a run of letters and digits with a digit in it any such run. */
function pattern(sample: string): RegExp {
  const parts = sample.split("…").map((part) =>
    part
      .split(/([0-9a-zA-Z]*[0-9][0-9a-zA-Z]*)/)
      .map((piece, i) => (i % 2 === 1 && piece.length >= 4 ? "[0-9a-zA-Z]+" : piece.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")))
      .join(""),
  );
  return new RegExp(`^${parts.join(".*")}$`, "s");
}

const SEPARATOR = "\u001e";

describe("README API walkthrough", () => {
  let server: TestServer;
  beforeAll(async () => {
    // The second block waits out the resend cooldown and the cancel's minimum age; 1 s here instead of 30.
    server = await startServer({ env: { RESEND_COOLDOWN_SECONDS: "1", CANCEL_MIN_AGE_SECONDS: "1", SEND_LIMIT_PER_NUMBER: "100" } });
  }, 60_000);
  afterAll(() => server?.stop());

  it("has the blocks (the extraction works)", () => {
    expect(blocks.length).toBe(2);
    expect(steps(blocks[0]!).filter((s) => s.expected.length).length).toBeGreaterThanOrEqual(5);
  });

  it("runs in order and prints what the README shows", () => {
    const all = blocks.flatMap(steps);
    const script = all
      .map((step) => `${step.command.replace("http://localhost:3000", server.url).replace(/^sleep 30$/, "sleep 1.2")}\nprintf '\\n${SEPARATOR}\\n'`)
      .join("\n");
    const output = execFileSync("bash", ["-euo", "pipefail", "-c", script], {
      env: { ...process.env, TEXTGATE_KEY: server.key },
      encoding: "utf8",
      timeout: 30_000,
    });
    const outputs = output.split(`\n${SEPARATOR}\n`).map((text) => text.trim());
    all.forEach((step, i) => {
      for (const sample of step.expected) expect({ command: step.command, output: outputs[i] }).toEqual({ command: step.command, output: expect.stringMatching(pattern(sample)) });
    });
  });
});
