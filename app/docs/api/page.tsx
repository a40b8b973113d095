import type { Metadata } from "next";

import { ApiReference } from "@/components/docs/api-reference.tsx";

export const metadata: Metadata = {
  title: "API reference",
  description: "The textgate HTTP API: endpoints, request fields, limits, responses and curl examples.",
};

const SPEC_URL = "/api/v1/openapi.json";

export default function ApiDocsPage() {
  return (
    <>
      <h1>API reference</h1>
      <p className="page-intro">
        Generated in your browser from the server&apos;s OpenAPI 3.1 document, so it always matches the running
        version. The raw document is at <a href={SPEC_URL}>{SPEC_URL}</a>.
      </p>
      <ApiReference specUrl={SPEC_URL} />
    </>
  );
}
