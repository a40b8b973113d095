/**
 * Each table has one owning module (docs/architecture.md, "Tables and their owners"): only it reads or
 * writes the table, through Prisma (`.<model>.findMany(…)`) or SQL (`FROM <table>`, `UPDATE <table>`, …);
 * everyone else calls its functions. Read from the source as text, like import-direction.test.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, type SourceFile, sourceFiles } from "./source-files.ts";

/** Table → Prisma model → the files or folders (ending in "/") that own it. */
const OWNERS: Record<string, { model: string; owners: string[] }> = {
  users: { model: "user", owners: ["server/auth/users.ts"] },
  auth_sessions: { model: "authSession", owners: ["server/auth/sessions.ts"] },
  verifications: { model: "verification", owners: ["server/verification/repository.ts"] },
  deliveries: { model: "delivery", owners: ["server/verification/repository.ts"] },
  guess_failures: { model: "guessFailure", owners: ["server/verification/guess-limits.ts"] },
  inbound_messages: { model: "inboundMessage", owners: ["server/inbound/receive.ts"] },
  sandbox_messages: { model: "sandboxMessage", owners: ["server/carriers/sandbox.ts"] },
  api_keys: { model: "apiKey", owners: ["server/api-keys.ts"] },
  audit_events: { model: "auditEvent", owners: ["server/audit.ts"] },
  verify_services: { model: "verifyService", owners: ["server/http/compat/twilio/"] },
  owner_requests: { model: "ownerRequest", owners: ["server/owners/requests-store.ts"] },
  socket_nodes: { model: "socketNode", owners: ["server/owners/socket-census.ts"] },
  events: { model: "outboxEvent", owners: ["server/webhooks/"] },
  pending_events: { model: "pendingEvent", owners: ["server/webhooks/"] },
  webhook_endpoints: { model: "webhookEndpoint", owners: ["server/webhooks/"] },
  webhook_deliveries: { model: "webhookDelivery", owners: ["server/webhooks/"] },
  outbox_cursors: { model: "outboxCursor", owners: ["server/webhooks/"] },
  insight_buckets: { model: "insightBucket", owners: ["server/owners/insights/"] },
  insight_latency: { model: "insightLatency", owners: ["server/owners/insights/"] },
  insight_hours: { model: "insightHour", owners: ["server/owners/insights/"] },
  insight_days: { model: "insightDay", owners: ["server/owners/insights/"] },
  insight_refusals: { model: "insightRefusal", owners: ["server/owners/insights/"] },
  insight_costs: { model: "insightCost", owners: ["server/owners/insights/"] },
  conversion_alarms: { model: "conversionAlarm", owners: ["server/owners/conversion-alarms.ts"] },
};

/**
 * Allowed everywhere: the outbox's row triggers, which fire on the tables they report on and write only
 * `events` or `pending_events` (server/webhooks/triggers.ts), and the benchmarks, which seed rows to measure a server.
 */
const EXEMPT = ["server/webhooks/triggers.ts", "scripts/bench/"];

const SCANNED = ["server.ts", "server", "app", "pages", "lib", "components", "scripts"];
const PRISMA_CALL = "(?:findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findMany|create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy)";

function touches(file: SourceFile, table: string, model: string): boolean {
  // SQL keywords in capitals, as every statement in this repository is written, so prose does not match.
  const sql = new RegExp(`\\b(?:FROM|INTO|UPDATE|JOIN|TABLE|ON)\\s+"?${table}"?(?![\\w"])`);
  const prisma = new RegExp(`\\.${model}\\s*\\.\\s*${PRISMA_CALL}\\s*\\(`);
  return sql.test(file.text) || prisma.test(file.text);
}

const within = (file: string, places: readonly string[]) => places.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p));

const files = SCANNED.flatMap(sourceFiles).filter((f) => !/\.test\.tsx?$/.test(f.path));

describe("table owners", () => {
  it("names an owner for every table of prisma/models.prisma, with its model", () => {
    const schema = fs.readFileSync(path.join(REPO_ROOT, "prisma/models.prisma"), "utf8");
    const models = [...schema.matchAll(/^model (\w+) \{[\s\S]*?@@map\("(\w+)"\)/gm)].map(([, model, table]) => [table, model!.charAt(0).toLowerCase() + model!.slice(1)]);
    expect(models.length).toBeGreaterThan(10);
    expect(Object.fromEntries(models)).toEqual(Object.fromEntries(Object.entries(OWNERS).map(([table, { model }]) => [table, model])));
  });

  it("sees every owner touch its own table, so the rule below can fail", () => {
    for (const [table, { model, owners }] of Object.entries(OWNERS)) {
      expect(files.some((f) => within(f.path, owners) && touches(f, table, model)), table).toBe(true);
    }
  });

  it("no module outside a table's owner reads or writes it", () => {
    const trespasses = files.flatMap((file) =>
      Object.entries(OWNERS)
        .filter(([table, { model, owners }]) => !within(file.path, owners) && !within(file.path, EXEMPT) && touches(file, table, model))
        .map(([table]) => `${file.path} touches ${table}`),
    );
    expect(trespasses).toEqual([]);
  });
});
