"use client";

import { useEffect, useState } from "react";

import { Button } from "@/components/ui/button.tsx";
import { Notice } from "@/components/ui/notice.tsx";

import type { OpenApiDocument } from "./openapi-types.ts";
import { ReferenceView } from "./reference-view.tsx";

type State =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; doc: OpenApiDocument; origin: string };

/** Fetches the OpenAPI document from the API server (same origin) and renders it as a reference. */
export function ApiReference({ specUrl }: { specUrl: string }) {
  const [state, setState] = useState<State>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    load(specUrl, controller.signal).then(
      (doc) => setState({ status: "ready", doc, origin: window.location.origin }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: "error", message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, [specUrl, attempt]);

  // The sections exist only after the fetch, so the browser could not scroll to #fragment on load.
  useEffect(() => {
    if (state.status !== "ready" || !window.location.hash) return;
    document.getElementById(decodeURIComponent(window.location.hash.slice(1)))?.scrollIntoView();
  }, [state.status]);

  if (state.status === "loading") {
    return (
      <p role="status" className="muted">
        Loading the OpenAPI document…
      </p>
    );
  }
  if (state.status === "error") {
    return (
      <Notice tone="danger" role="alert" title="The API reference could not be loaded">
        <p>{state.message}</p>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            setState({ status: "loading" });
            setAttempt((n) => n + 1);
          }}
        >
          Try again
        </Button>
      </Notice>
    );
  }
  return <ReferenceView doc={state.doc} origin={state.origin} />;
}

async function load(url: string, signal: AbortSignal): Promise<OpenApiDocument> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: "application/json" }, cache: "no-store" });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new Error(`Could not reach ${url}.`);
  }
  if (!response.ok) {
    throw new Error(
      response.status === 404
        ? `${url} answered 404. The API is served by textgate's own server (npm run dev or npm start), not by next start alone.`
        : `${url} answered HTTP ${response.status}.`,
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (typeof body !== "object" || body === null || !("paths" in body || "openapi" in body)) {
    throw new Error(`${url} did not return an OpenAPI document.`);
  }
  return body as OpenApiDocument;
}
