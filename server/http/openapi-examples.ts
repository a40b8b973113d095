/**
 * The request and response examples of the OpenAPI document: real requests and the server's real answers,
 * recorded by tests/docs/api-examples.test.ts (which also checks, on every run, that the server still
 * answers so) into api-examples.json beside this file. Each operation gets its examples as `x-examples`
 * (request and answer in pairs, for /docs/api), and the first request body as its standard example.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RecordedExample } from "../../lib/api-examples.ts";

export type { RecordedExample };

export const EXAMPLES_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "api-examples.json");

export interface RecordedRun {
  /** Ids and codes of the recorded run, by the scenario's names for them. */
  vars: Record<string, string>;
  examples: RecordedExample[];
}

/** One run per group of the scenario: `inProcess` (API and compat APIs), `server` (the routes Next serves, on a built server). */
export type RecordedExamples = Record<string, RecordedRun>;

function load(): RecordedExample[] {
  if (!fs.existsSync(EXAMPLES_FILE)) return [];
  return Object.values(JSON.parse(fs.readFileSync(EXAMPLES_FILE, "utf8")) as RecordedExamples).flatMap((run) => run.examples);
}

type Operation = { operationId?: string; "x-examples"?: RecordedExample[] };

/** Adds each operation's recorded examples to it, in the order they ran. */
export function attachExamples(paths: Record<string, Record<string, Operation>>): void {
  const byOperation = new Map<string, RecordedExample[]>();
  for (const example of load()) byOperation.set(example.operationId, [...(byOperation.get(example.operationId) ?? []), example]);
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      const examples = operation.operationId ? byOperation.get(operation.operationId) : undefined;
      if (examples) operation["x-examples"] = examples;
    }
  }
}

type Documented = { responses?: Record<string, unknown>; "x-examples"?: RecordedExample[] };

/**
 * For operations answered in someone else's shapes (the vendor-compatible APIs): their responses, one per
 * status their examples got, described by those examples' titles.
 */
export function responsesFromExamples(paths: Record<string, Record<string, Documented>>): void {
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      if (operation.responses || !operation["x-examples"]) continue;
      const byStatus = new Map<number, RecordedExample[]>();
      for (const example of operation["x-examples"]) byStatus.set(example.response.status, [...(byStatus.get(example.response.status) ?? []), example]);
      operation.responses = Object.fromEntries(
        [...byStatus].sort(([a], [b]) => a - b).map(([status, list]) => {
          const type = list[0]!.response.contentType;
          return [String(status), { description: `${list.map((e) => e.title).join("; ")}.`, ...(type && status !== 204 ? { content: { [type]: { schema: { type: "object" } } } } : {}) }];
        }),
      );
    }
  }
}
