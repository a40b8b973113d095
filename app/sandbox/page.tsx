import type { Metadata } from "next";
import { Suspense } from "react";

import { Handset } from "@/components/sandbox/handset.tsx";

export const metadata: Metadata = {
  title: "Sandbox handset",
  description: "A simulated phone for the sandbox carrier: read the codes textgate sends and reply.",
};

export default function SandboxPage() {
  return (
    <>
      <h1>Sandbox handset</h1>
      <p className="page-intro">
        A simulated phone for the <strong>sandbox carrier</strong>. Every text and call textgate sends through it lands
        here instead of on a real network. Open a number to read its codes and to reply as that phone.
      </p>
      {/* The handset reads ?to= from the URL, so it renders in the browser; this is its placeholder until then. */}
      <Suspense fallback={<p className="muted">Loading the handset…</p>}>
        <Handset />
      </Suspense>
    </>
  );
}
