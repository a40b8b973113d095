/**
 * npm run bench:login — the login page's budget (issue 3), after `npm run build`:
 * - first-load JavaScript of /login: every <script src> of the served HTML, gzip -9, with and without
 *   the `noModule` polyfills that modern browsers skip (target: at most 100 KB); and, apart, what the
 *   page loads afterwards (the phone library chunk of public/_textgate/chunks);
 * - time from "send code" (POST /api/auth/sms/start) until the code is readable on the sandbox handset
 *   endpoint, over BENCH_SENDS sequential sign-ins (default 200).
 * Prints one JSON line.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { ROOT, startBenchServer } from "./server-process.ts";

if (!fs.existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
  console.error("No production build: run `npm run build` first.");
  process.exit(2);
}
const SENDS = Number(process.env.BENCH_SENDS ?? 200);
const server = await startBenchServer({ AUTH_START_LIMIT_PER_NUMBER: "1000000", AUTH_START_LIMIT_PER_IP: "1000000" });

try {
  const html = await (await fetch(`${server.url}/login`)).text();
  const scripts = [...html.matchAll(/<script([^>]*)\bsrc="([^"]+)"([^>]*)>/g)].map((m) => ({
    src: m[2] as string,
    noModule: /nomodule/i.test(`${m[1]}${m[3]}`),
  }));
  let all = 0;
  let modern = 0;
  for (const script of scripts) {
    const body = Buffer.from(await (await fetch(new URL(script.src, server.url))).arrayBuffer());
    const gz = zlib.gzipSync(body, { level: 9 }).length;
    all += gz;
    if (!script.noModule) modern += gz;
  }

  // Loaded after the page, when the phone field starts formatting: the phone library and its metadata.
  const chunksDir = path.join(ROOT, "public/_textgate/chunks");
  const lazy = fs.existsSync(chunksDir)
    ? fs.readdirSync(chunksDir).reduce((sum, file) => sum + zlib.gzipSync(fs.readFileSync(path.join(chunksDir, file)), { level: 9 }).length, 0)
    : 0;

  const latencies: number[] = [];
  for (let i = 0; i < SENDS; i++) {
    const to = `+1415${200 + (Math.floor(i / 10_000) % 800)}${String(i % 10_000).padStart(4, "0")}`;
    const started = performance.now();
    const res = await fetch(`${server.url}/api/auth/sms/start`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: to }),
    });
    if (res.status !== 200) throw new Error(`start ${res.status} ${await res.text()}`);
    for (;;) {
      const inbox = (await (await fetch(`${server.url}/api/sandbox/messages?to=${encodeURIComponent(to)}`, { headers: { authorization: `Bearer ${server.key}` } })).json()) as { messages: { body: string }[] };
      if (/[0-9]{6}$/.test(inbox.messages[0]?.body ?? "")) break;
    }
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(2));
  console.log(
    JSON.stringify({
      bench: "login",
      loginFirstLoadJsGzipKB: Number((modern / 1024).toFixed(1)),
      loginFirstLoadJsGzipKBWithPolyfills: Number((all / 1024).toFixed(1)),
      scripts: scripts.length,
      loadedAfterPageJsGzipKB: Number((lazy / 1024).toFixed(1)),
      sendToVisibleMs: { sends: SENDS, p50: pct(50), p95: pct(95), p99: pct(99) },
    }),
  );
} finally {
  await server.stop();
}
