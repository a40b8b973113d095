"use client";

import { useId } from "react";

import type { OwnerTestNumbers } from "@/server/owners/verifications.ts";

import { usePolled } from "./use-polled.ts";
import { VerificationsTable } from "./verifications-list.tsx";

/**
 * Test numbers are used rarely and their settings change only with a restart; their uses are found by
 * a filter on `verifications` without an index of its own (as the recent list's), so ask every 10 s.
 */
const POLL_MS = 10_000;

function readTestNumbers(body: unknown): OwnerTestNumbers | null {
  const value = body as Partial<OwnerTestNumbers> | null;
  return Array.isArray(value?.numbers) && Array.isArray(value.uses) ? (value as OwnerTestNumbers) : null;
}

/**
 * The test numbers of TEST_NUMBERS (GET /api/owner/test-numbers, polled): masked, never their codes,
 * until when they work, and their newest verifications, so an owner sees when a reviewer or CI used one.
 */
export function TestNumbersList() {
  const headingId = useId();
  const load = usePolled("/api/owner/test-numbers", readTestNumbers, POLL_MS);

  return (
    <section aria-labelledby={headingId} data-testid="test-numbers">
      <h2 id={headingId}>Test numbers</h2>
      {load.state === "loading" ? <p className="muted">Loading…</p> : null}
      {load.state === "error" ? <p className="muted">Could not load the test numbers; retrying…</p> : null}
      {load.state === "ready" ? <TestNumbersView data={load.data} /> : null}
    </section>
  );
}

function TestNumbersView({ data }: { data: OwnerTestNumbers }) {
  return (
    <>
      {data.numbers.length === 0 ? (
        <p className="muted">
          None configured. <code>TEST_NUMBERS</code> lists numbers that are sent nothing and accept a fixed code (for app-store reviews and CI).
        </p>
      ) : (
        <p>
          {data.active ? "Active" : "Stopped"} until{" "}
          <time dateTime={data.validUntil ?? undefined}>{data.validUntil ? new Date(data.validUntil).toLocaleString() : "—"}</time>
          {data.active ? "" : " (they are ordinary numbers again)"}: {data.numbers.join(", ")}
        </p>
      )}
      {data.uses.length === 0 ? (
        <p className="muted">No verification to a test number yet.</p>
      ) : (
        <VerificationsTable label="Test number uses" caption="Verifications to test numbers, newest first" verifications={data.uses} />
      )}
    </>
  );
}
