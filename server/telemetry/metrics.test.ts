import { describe, expect, it } from "vitest";
import { Metrics } from "./metrics.ts";

describe("Metrics", () => {
  it("reads the socket counts when scraped, not when they change", async () => {
    const metrics = new Metrics({ budgetPerHour: 500, defaultMetrics: false });
    let counts = { sockets: 3, pending: 1 };
    metrics.countSockets(() => counts);
    expect(await metrics.render()).toContain('textgate_sockets{state="open"} 3\ntextgate_sockets{state="pending"} 1');
    counts = { sockets: 7, pending: 0 };
    expect(await metrics.render()).toContain('textgate_sockets{state="open"} 7\ntextgate_sockets{state="pending"} 0');
    expect(await metrics.render()).toContain("textgate_send_budget_per_hour 500");
  });

  it("keeps every series under textgate_, and each node's registry apart", async () => {
    const a = new Metrics({ budgetPerHour: 0, defaultMetrics: false });
    const b = new Metrics({ budgetPerHour: 0, defaultMetrics: false });
    a.carrierSend("twilio", "sms", "rate_limited", 0.2);
    const names = (await a.registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names.filter((n) => !n.startsWith("textgate_"))).toEqual([]);
    expect(await a.render()).toContain('textgate_carrier_sends_total{carrier="twilio",channel="sms",outcome="rate_limited"} 1');
    expect(await b.render()).not.toContain("twilio");
  });
});
