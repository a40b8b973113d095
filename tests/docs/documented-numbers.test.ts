/**
 * Every phone number a page or document shows a reader must be one the server accepts: a reader copies
 * it into the handset, a curl command or the API and expects it to work. The numbers are extracted
 * from the README, docs/, .env.example and the source of every page and component, then each is
 * started as a verification on a server with the default settings (the same `engine.create` every
 * surface calls). Numbers shown *as refused* are listed below and must stay refused.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/server.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

/** Numbers the docs show on purpose as ones the server refuses, with the error they get. */
const SHOWN_AS_REFUSED: Record<string, string> = {
  // README "Test numbers" and .env.example: issue 13's example test number; area code 555 does not exist.
  "+15555550100": "invalid_phone_number",
};

const SOURCES = ["README.md", ".env.example", "docs", "app", "pages", "components", "lib/validations", "server/http/openapi.ts", "server/http/api-examples.json"];
const NUMBER = /(?<![\w+])\+[1-9][0-9 ().-]{6,18}[0-9](?![\w•])/g;

function files(entry: string): string[] {
  const full = path.join(REPO_ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { recursive: true, encoding: "utf8" })
    .map((name) => path.join(full, name))
    .filter((file) => /\.(md|tsx?|example)$/.test(file) && !/\.test\.tsx?$/.test(file) && fs.statSync(file).isFile());
}

function documentedNumbers(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of SOURCES.flatMap(files)) {
    for (const match of fs.readFileSync(file, "utf8").matchAll(NUMBER)) {
      const number = match[0].replace(/[ ().-]/g, "");
      if (number.length < 8) continue;
      found.set(number, [...(found.get(number) ?? []), path.relative(REPO_ROOT, file)]);
    }
  }
  return found;
}

describe("phone numbers shown in pages and documents", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startTestRuntime("sqlite", { SEND_LIMIT_PER_NUMBER: "1000", BLOCKED_LINE_TYPES: "PREMIUM_RATE,SHARED_COST,VOIP,PERSONAL_NUMBER" });
  });
  afterAll(() => t?.stop());

  const numbers = documentedNumbers();

  it("finds the examples (the extraction works)", () => {
    expect(numbers.size).toBeGreaterThanOrEqual(3);
    expect([...numbers.keys()]).toContain("+14155550123");
  });

  it.each([...numbers.entries()].map(([number, where]) => [number, [...new Set(where)].join(", ")]))("%s (in %s) is accepted as the docs say", async (number) => {
    const outcome = await t.runtime.engine.create({ to: number, channel: "sms", surface: "native" }).then(
      () => "accepted",
      (error: { code?: string }) => error.code ?? String(error),
    );
    expect(outcome).toBe(SHOWN_AS_REFUSED[number] ?? "accepted");
  });
});
