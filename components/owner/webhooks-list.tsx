"use client";

import { useCallback, useEffect, useId, useState } from "react";

import { Button } from "@/components/ui/button.tsx";
import { ScrollRegion } from "@/components/ui/scroll-region.tsx";
import type { serializeDelivery, serializeEndpoint } from "@/server/webhooks/views.ts";

const POLL_MS = 5000;

type Delivery = ReturnType<typeof serializeDelivery>;
type Endpoint = ReturnType<typeof serializeEndpoint> & { deliveries: Delivery[] };
type Load = { state: "loading" } | { state: "error" } | { state: "ready"; endpoints: Endpoint[] };

/**
 * The webhook endpoints (GET /api/owner/webhooks, polled) with their newest deliveries: status, the
 * endpoint's answer, attempts and the next retry, and a Retry button (one more attempt now).
 */
export function WebhooksList() {
  const headingId = useId();
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [busy, setBusy] = useState<string | null>(null);

  const fetchList = useCallback(async () => {
    try {
      const res = await fetch("/api/owner/webhooks", { cache: "no-store" });
      const body = (await res.json()) as { endpoints?: Endpoint[] };
      setLoad(res.ok && Array.isArray(body.endpoints) ? { state: "ready", endpoints: body.endpoints } : { state: "error" });
    } catch {
      setLoad({ state: "error" });
    }
  }, []);

  useEffect(() => {
    void fetchList();
    const timer = setInterval(() => void fetchList(), POLL_MS);
    return () => clearInterval(timer);
  }, [fetchList]);

  const retry = async (endpointId: string, deliveryId: string) => {
    setBusy(deliveryId);
    try {
      await fetch(`/api/owner/webhooks/${endpointId}/deliveries/${deliveryId}/retry`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    } finally {
      setBusy(null);
      void fetchList();
    }
  };

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Webhooks</h2>
      {load.state === "loading" ? <p className="muted">Loading…</p> : null}
      {load.state === "error" ? <p className="muted">Could not load the webhook endpoints; retrying…</p> : null}
      {load.state === "ready" && load.endpoints.length === 0 ? (
        <p className="muted">
          No webhook endpoints. Add one with <code>POST /api/v1/webhooks</code> or <code>npm run webhooks -- add --url …</code>.
        </p>
      ) : null}
      {load.state === "ready"
        ? load.endpoints.map((endpoint) => (
            <div key={endpoint.id} data-webhook={endpoint.id}>
              <h3>
                <code>{endpoint.url}</code> {endpoint.enabled ? null : <strong>(disabled{endpoint.disabledReason ? `: ${endpoint.disabledReason}` : ""})</strong>}
              </h3>
              <p className="muted">
                {endpoint.description ? `${endpoint.description} · ` : ""}
                {endpoint.events ? endpoint.events.join(", ") : "every event"}
              </p>
              {endpoint.deliveries.length === 0 ? (
                <p className="muted">No deliveries yet.</p>
              ) : (
                <ScrollRegion label={`Deliveries to ${endpoint.url}`}>
                  <table>
                    <caption className="sr-only">The newest deliveries to {endpoint.url}</caption>
                    <thead>
                      <tr>
                        <th scope="col">Event</th>
                        <th scope="col">Status</th>
                        <th scope="col">Answer</th>
                        <th scope="col">Attempts</th>
                        <th scope="col">Next retry</th>
                        <th scope="col">
                          <span className="sr-only">Action</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {endpoint.deliveries.map((d) => (
                        <tr key={d.id} data-delivery={d.id}>
                          <td>
                            {d.eventType ?? "(pruned)"} <code>{d.eventId}</code>
                          </td>
                          <td>{d.status}</td>
                          <td>{d.responseStatus ?? (d.error ? d.error.slice(0, 60) : "—")}</td>
                          <td>{d.attempts}</td>
                          <td>{d.nextAttemptAt ? <time dateTime={d.nextAttemptAt}>{new Date(d.nextAttemptAt).toLocaleString()}</time> : "—"}</td>
                          <td>
                            {d.status === "sending" ? null : (
                              <Button size="sm" variant="secondary" disabled={busy === d.id} onClick={() => void retry(endpoint.id, d.id)}>
                                Retry
                              </Button>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollRegion>
              )}
            </div>
          ))
        : null}
    </section>
  );
}
