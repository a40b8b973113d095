/**
 * `textgate/embed` as a host without React uses it: the package is packed and unpacked as a host installs
 * it (scripts/package/pack-into.ts); a small node:http server of this spec serves a plain HTML page, the
 * packed dist/embed.js, and the page's endpoint, the packed `createVerifyRoutes` of textgate/next-auth
 * talking to the "main" e2e server with an API key. The code comes from that server's sandbox.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";
import type { VerifyRoutesOptions } from "../server/kit/verify-routes.ts";
import { describeSignInError } from "../lib/auth/contract.ts";
import { createTextgateClient } from "../lib/client/index.ts";
import { textgateFixtures } from "../lib/testing/playwright.ts";
import { packInto } from "../scripts/package/pack-into.ts";
import { e2eApiKeyHeader } from "./support/api-keys.ts";
import { embedHostPort } from "./support/embedders.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const basePort = Number(process.env.E2E_BASE_PORT ?? 3310);
const textgateUrl = `http://127.0.0.1:${basePort}`;
const hostUrl = `http://127.0.0.1:${embedHostPort(basePort)}`;
// A getter: the key exists once global setup has run, after this file is first loaded to list its tests.
const apiKey = () => e2eApiKeyHeader({ name: "main" }).authorization.replace(/^Bearer /, "");

const test = base.extend(
  textgateFixtures({
    baseUrl: textgateUrl,
    get apiKey() {
      return apiKey();
    },
  }),
);
test.describe.configure({ mode: "serial" });

// The page: the host's own CSS is hostile to inputs (the shadow root keeps it out) and sets a --tg-* variable
// (which inherits in). Every textgate event is recorded for the test.
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Host page without React</title>
  <style>input { border: 5px dashed rgb(255, 0, 0); } main { --tg-accent: rgb(15, 118, 110); }</style>
  <script type="module" src="/embed.js"></script>
</head>
<body>
  <main>
    <h1>Verify your phone</h1>
    <textgate-verify endpoint="/api/verify" country="US"></textgate-verify>
  </main>
  <script>
    window.textgateEvents = [];
    for (const type of ["textgate:verified", "textgate:error"]) {
      document.addEventListener(type, (event) => window.textgateEvents.push({ type, detail: event.detail }));
    }
  </script>
</body>
</html>`;

type VerifyPost = (request: Request, context: { params: Promise<{ path?: string[] }> }) => Promise<Response>;

let server: http.Server | undefined;
let scratch: string | undefined;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Inside the repository, so that the packed files' own imports (zod, …) resolve to its node_modules, as
  // they would to a host's.
  scratch = path.join(root, "tmp", "e2e", `embed-host-${basePort}`);
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  const { installed } = packInto(scratch);
  const embedJs = fs.readFileSync(path.join(installed, "dist", "embed.js"));
  const kit = (await import(pathToFileURL(path.join(installed, "dist", "next-auth.js")).href)) as {
    createVerifyRoutes: (options: VerifyRoutesOptions) => { POST: VerifyPost };
  };
  const { POST } = kit.createVerifyRoutes({ textgate: { baseUrl: textgateUrl, apiKey: apiKey() } });

  server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", hostUrl);
      if (req.method === "GET" && url.pathname === "/") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
      } else if (req.method === "GET" && url.pathname === "/embed.js") {
        res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(embedJs);
      } else if (req.method === "POST" && url.pathname.startsWith("/api/verify/")) {
        // What Next.js does for app/api/verify/[...path]/route.ts: a web Request and the path's segments.
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
        const request = new Request(url, { method: "POST", headers, body: Buffer.concat(chunks) });
        const segments = url.pathname.slice("/api/verify/".length).split("/").map(decodeURIComponent);
        const response = await POST(request, { params: Promise.resolve({ path: segments }) });
        res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
      } else {
        res.writeHead(404).end();
      }
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => server!.once("error", reject).listen(embedHostPort(basePort), "127.0.0.1", resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

const events = (page: Page) => page.evaluate(() => (window as unknown as { textgateEvents: { type: string; detail: Record<string, unknown> }[] }).textgateEvents);

async function expectNoAxeViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function openPage(page: Page): Promise<void> {
  await page.goto(hostUrl);
  await expect(page.locator('textgate-verify[data-ready="true"]')).toBeAttached();
}

test("the element verifies a number: phone, code from the sandbox, textgate:verified with the verification id", async ({ page, phoneNumber, inbox, fillPhone, fillCode }) => {
  // No React on the page: nothing but the host's HTML and the one embed file.
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
  });
  await openPage(page);
  await expectNoAxeViolations(page);

  await fillPhone(phoneNumber);
  await page.getByRole("button", { name: "Send code", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Enter the code" })).toBeVisible();
  // Styled by textgate/styles.css inside the shadow root: the page's input rule stays out, --tg-accent comes in.
  const box = page.getByRole("textbox", { name: "Character 1 of 6" });
  await expect(box).toHaveAttribute("autocomplete", "one-time-code");
  await expect(box).toHaveAttribute("inputmode", "numeric");
  expect(await box.evaluate((el) => [getComputedStyle(el).borderTopStyle, getComputedStyle(el).caretColor])).toEqual(["solid", "rgb(15, 118, 110)"]);
  await expectNoAxeViolations(page);

  await fillCode(await inbox.waitForCode(phoneNumber));
  await expect(page.getByRole("status").filter({ hasText: "Your phone number is verified." })).toBeFocused();
  const verified = (await events(page)).filter((e) => e.type === "textgate:verified");
  expect(verified).toEqual([{ type: "textgate:verified", detail: { verificationId: expect.any(String), to: phoneNumber } }]);
  // The id is the host server's to check: the verification is approved on textgate.
  const verification = await createTextgateClient({ baseUrl: textgateUrl, apiKey: apiKey() }).verifications.get(String(verified[0]!.detail.verificationId));
  expect(verification).toMatchObject({ to: phoneNumber, status: "approved", purpose: "verify" });
  expect(scripts).toEqual(["/embed.js"]);
});

test("a wrong code shows the sign-in error text and fires textgate:error; axe finds nothing", async ({ page, phoneNumber, inbox, fillPhone, fillCode }) => {
  await openPage(page);
  await fillPhone(phoneNumber);
  await page.getByRole("button", { name: "Send code", exact: true }).click();
  const code = await inbox.waitForCode(phoneNumber);
  const wrong = code === "000000" ? "111111" : "000000";
  const checked = page.waitForResponse((response) => response.url().endsWith("/check"));
  await fillCode(wrong);
  // The attempts left are the verification's on textgate (the REST API's default, not sign-in's).
  const { valid, attemptsLeft } = (await (await checked).json()) as { valid: boolean; attemptsLeft: number };
  expect({ valid, attemptsLeft: attemptsLeft > 0 }).toEqual({ valid: false, attemptsLeft: true });
  const message = describeSignInError({ kind: "invalid_code", attemptsLeft });
  await expect(page.getByRole("alert")).toHaveText(message);
  await expect(page.getByRole("textbox", { name: "Character 1 of 6" })).toHaveAttribute("aria-invalid", "true");
  expect(await events(page)).toEqual([{ type: "textgate:error", detail: { code: "invalid_code", message } }]);
  await expectNoAxeViolations(page);
});
