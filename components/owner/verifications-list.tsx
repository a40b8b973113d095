"use client";

import { useId, useState } from "react";

import type { OwnerVerification } from "@/server/owners/verifications.ts";
import { ScrollRegion } from "@/components/ui/scroll-region.tsx";
import { VERIFICATION_STATUSES } from "@/server/verification/types.ts";

import { usePolled } from "./use-polled.ts";

const SURFACE_NAMES: Record<string, string> = {
  native: "textgate API",
  twilio: "Twilio Verify API",
  textmagic: "Textmagic Verify API",
  signalwire: "SignalWire MFA API",
  vonage: "Vonage Verify API",
  auth: "Sign-in",
  socket: "Socket unit",
};

function readVerifications(body: unknown): OwnerVerification[] | null {
  const list = (body as { verifications?: unknown } | null)?.verifications;
  return Array.isArray(list) ? (list as OwnerVerification[]) : null;
}

/**
 * The newest verifications of every surface (GET /api/owner/verifications, polled): a verification started
 * through a vendor-compatible API shows here with the same status the native API gives it.
 */
export function VerificationsList() {
  const filterId = useId();
  const [status, setStatus] = useState<string>("");
  const load = usePolled(`/api/owner/verifications?${new URLSearchParams({ limit: "50", ...(status ? { status } : {}) })}`, readVerifications);

  return (
    <section aria-labelledby={`${filterId}-heading`}>
      <h2 id={`${filterId}-heading`}>Recent verifications</h2>
      <p>
        <label htmlFor={filterId}>Status </label>
        <select id={filterId} value={status} onChange={(event) => setStatus(event.target.value)}>
          <option value="">Any</option>
          {VERIFICATION_STATUSES.map((value) => (
            <option key={value} value={value}>
              {value.replaceAll("_", " ")}
            </option>
          ))}
        </select>
      </p>
      {load.state === "loading" ? <p className="muted">Loading…</p> : null}
      {load.state === "error" ? <p className="muted">Could not load the verifications; retrying…</p> : null}
      {load.state === "ready" && load.data.length === 0 ? <p className="muted">No verifications{status ? " with this status" : ""} yet.</p> : null}
      {load.state === "ready" && load.data.length > 0 ? (
        <VerificationsTable
          label="Verifications"
          caption={`The 50 newest verifications${status ? ` with status ${status.replaceAll("_", " ")}` : ""}`}
          verifications={load.data}
        />
      ) : null}
    </section>
  );
}

/** Verifications as the owner console lists them (here and under Test numbers). */
export function VerificationsTable({ label, caption, verifications }: { label: string; caption: string; verifications: OwnerVerification[] }) {
  return (
    <ScrollRegion label={label}>
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col">Number</th>
            <th scope="col">Through</th>
            <th scope="col">Id</th>
            <th scope="col">Channel</th>
            <th scope="col">Attempts</th>
          </tr>
        </thead>
        <tbody>
          {verifications.map((v) => (
            <tr key={v.id} data-verification={v.surfaceId}>
              <td>
                <time dateTime={v.createdAt}>{new Date(v.createdAt).toLocaleString()}</time>
              </td>
              <td>{v.status.replaceAll("_", " ")}</td>
              <td>
                {v.to}
                {v.testNumber ? " (test number)" : ""}
              </td>
              <td>{SURFACE_NAMES[v.surface] ?? v.surface}</td>
              <td>
                <code>{v.surfaceId}</code>
              </td>
              <td>{v.channel}</td>
              <td>
                {v.attempts} of {v.maxAttempts}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
