"use client";

import { useCallback, useEffect, useId, useState } from "react";

import { Button } from "@/components/ui/button.tsx";
import { FieldMessage, Input, Label } from "@/components/ui/input.tsx";
import { ScrollRegion } from "@/components/ui/scroll-region.tsx";
import type { Cost } from "@/server/owners/insights/costs.ts";

interface ErrorAnswer {
  error?: { message?: string };
}

async function post(url: string, body: unknown): Promise<string | null> {
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (res.ok) return null;
    const answer = (await res.json().catch(() => ({}))) as ErrorAnswer;
    return answer.error?.message ?? `The server answered ${res.status}.`;
  } catch {
    return "Could not reach the server.";
  }
}

/**
 * The owner's prices per carrier and country (GET/POST /api/owner/insights/costs, …/remove): the cost
 * figures multiply each carrier's sends to a country by its price here ("*": any other country).
 */
export function CostsEditor({ carriers, onChange }: { carriers: string[]; onChange: () => void }) {
  const headingId = useId();
  const errorId = useId();
  const listId = useId();
  const [costs, setCosts] = useState<Cost[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const res = await fetch("/api/owner/insights/costs", { cache: "no-store" });
      const body = (await res.json()) as { costs?: Cost[] };
      setCosts(Array.isArray(body.costs) ? body.costs : []);
    } catch {
      setCosts([]);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const submit = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    setBusy(true);
    const problem = await post("/api/owner/insights/costs", {
      carrier: String(data.get("carrier") ?? "").trim(),
      country: String(data.get("country") ?? "").trim().toUpperCase(),
      currency: String(data.get("currency") ?? "").trim().toUpperCase(),
      pricePerMessage: String(data.get("price") ?? "").trim(),
    });
    setBusy(false);
    setError(problem);
    if (!problem) {
      form.reset();
      await load();
      onChange();
    }
  };

  const remove = async (cost: Cost) => {
    setBusy(true);
    const problem = await post("/api/owner/insights/costs/remove", { carrier: cost.carrier, country: cost.country });
    setBusy(false);
    setError(problem);
    await load();
    onChange();
  };

  return (
    <section aria-labelledby={headingId} data-testid="costs">
      <h2 id={headingId}>Prices per message</h2>
      <p className="muted">What one message costs you, per carrier and country (<code>*</code>: every other country of that carrier). Sends without a price count as unpriced.</p>
      {costs === null ? <p className="muted">Loading…</p> : null}
      {costs && costs.length === 0 ? <p className="muted">No price set yet.</p> : null}
      {costs && costs.length > 0 ? (
        <ScrollRegion label="Prices set">
          <table>
            <caption className="sr-only">Prices per message</caption>
            <thead>
              <tr>
                <th scope="col">Carrier</th>
                <th scope="col">Country</th>
                <th scope="col">Price</th>
                <th scope="col">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {costs.map((cost) => (
                <tr key={`${cost.carrier}|${cost.country}`}>
                  <td>{cost.carrier}</td>
                  <td>{cost.country}</td>
                  <td>
                    {cost.pricePerMessage} {cost.currency}
                  </td>
                  <td>
                    <Button size="sm" variant="secondary" disabled={busy} onClick={() => void remove(cost)} aria-label={`Remove the price of ${cost.carrier} for ${cost.country}`}>
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
      <form
        className="insights-cost-form"
        aria-describedby={error ? errorId : undefined}
        onSubmit={(event) => {
          event.preventDefault();
          void submit(event.currentTarget);
        }}
      >
        <div>
          <Label htmlFor={`${listId}-carrier`}>Carrier</Label>
          <Input id={`${listId}-carrier`} name="carrier" required list={listId} autoComplete="off" placeholder="twilio" />
          <datalist id={listId}>
            {carriers.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </div>
        <div>
          <Label htmlFor={`${listId}-country`}>Country</Label>
          <Input id={`${listId}-country`} name="country" required maxLength={2} autoComplete="off" placeholder="US or *" />
        </div>
        <div>
          <Label htmlFor={`${listId}-currency`}>Currency</Label>
          <Input id={`${listId}-currency`} name="currency" required maxLength={3} defaultValue="USD" autoComplete="off" />
        </div>
        <div>
          <Label htmlFor={`${listId}-price`}>Price per message</Label>
          <Input id={`${listId}-price`} name="price" required inputMode="decimal" autoComplete="off" placeholder="0.0079" />
        </div>
        <Button type="submit" disabled={busy}>
          Save price
        </Button>
      </form>
      {error ? (
        <FieldMessage id={errorId} tone="error">
          {error}
        </FieldMessage>
      ) : null}
    </section>
  );
}
