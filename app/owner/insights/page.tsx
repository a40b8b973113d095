import type { Metadata } from "next";
import Link from "next/link";

import { InsightsView } from "@/components/owner/insights/insights-view.tsx";

export const metadata: Metadata = {
  title: "Insights",
  description: "Conversion by country, carrier and channel, sends and cost, time to approval, fraud refusals and send-budget use.",
  robots: { index: false },
};

export default function OwnerInsightsPage() {
  return (
    <>
      <h1>Insights</h1>
      <p className="page-intro">
        Are codes arriving, everywhere, and what do they cost? Counted from this server&apos;s verifications, by the hour they started. Only numbers listed in{" "}
        <code>OWNER_PHONES</code> may use this page. <Link href="/owner">Back to the owner console</Link>.
      </p>
      <InsightsView />
    </>
  );
}
