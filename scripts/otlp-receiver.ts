/**
 * A tiny OTLP/HTTP trace receiver for checking textgate's export without a collector: it listens on
 * 127.0.0.1:4318 (or PORT), takes what @opentelemetry/exporter-trace-otlp-http posts to /v1/traces (its
 * JSON encoding; a protobuf body is answered 415) and prints one line per span: trace id, name, attributes.
 * Usage (docs/observability.md): node --import tsx scripts/otlp-receiver.ts
 */
import http from "node:http";

type Value = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type Export = { resourceSpans?: { scopeSpans?: { spans?: { traceId: string; name: string; attributes?: { key: string; value: Value }[] }[] }[] }[] };

const port = Number(process.env.PORT ?? 4318);
const server = http.createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/v1/traces") return void res.writeHead(404).end();
  if (!String(req.headers["content-type"]).startsWith("application/json")) return void res.writeHead(415).end();
  let body = "";
  req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    try {
      const data = JSON.parse(body) as Export;
      for (const resource of data.resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? [])
          for (const span of scope.spans ?? []) {
            const attributes = Object.fromEntries((span.attributes ?? []).map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.boolValue ?? a.value.doubleValue]));
            console.log(`${span.traceId} ${span.name} ${JSON.stringify(attributes)}`);
          }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    } catch {
      res.writeHead(400).end();
    }
  });
});
server.listen(port, "127.0.0.1", () => console.log(`OTLP/HTTP receiver on http://127.0.0.1:${port}/v1/traces`));
