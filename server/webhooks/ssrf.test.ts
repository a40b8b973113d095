/** Where webhooks may go (ssrf.ts) and how the sender treats what it cannot or must not follow (sender.ts). */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { postWebhook } from "./sender.ts";
import { addressAllowed, isNonPublicAddress } from "./ssrf.ts";

const PRODUCTION = { production: true, allowPrivate: false };
const DEVELOPMENT = { production: false, allowPrivate: false };
const SECRET = `whsec_${Buffer.alloc(24, 7).toString("base64")}`;

describe("isNonPublicAddress", () => {
  it.each([
    "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "fc00::abcd", "::ffff:127.0.0.1",
    "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "ff02::1",
  ])("refuses %s", (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows %s", (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });

  it("allows loopback in development only, everything with WEBHOOKS_ALLOW_PRIVATE_URLS", () => {
    expect(addressAllowed("127.0.0.1", DEVELOPMENT)).toBe(true);
    expect(addressAllowed("::1", DEVELOPMENT)).toBe(true);
    expect(addressAllowed("10.0.0.1", DEVELOPMENT)).toBe(false);
    expect(addressAllowed("169.254.169.254", DEVELOPMENT)).toBe(false);
    expect(addressAllowed("127.0.0.1", PRODUCTION)).toBe(false);
    expect(addressAllowed("169.254.169.254", { production: true, allowPrivate: true })).toBe(true);
  });
});

describe("postWebhook", () => {
  let server: http.Server | undefined;
  let hits = 0;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    hits = 0;
  });

  async function listen(handler: http.RequestListener): Promise<number> {
    server = http.createServer((req, res) => {
      hits++;
      handler(req, res);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  it("refuses http:// and non-public addresses in production before connecting, after DNS for names", async () => {
    const port = await listen((_req, res) => res.end());
    for (const url of [`http://127.0.0.1:${port}/`, `https://127.0.0.1:${port}/`, `https://localhost:${port}/`, "https://169.254.169.254/latest/meta-data/"]) {
      const result = await postWebhook(url, "evt_1", "{}", [SECRET], PRODUCTION);
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/^blocked: /);
    }
    expect(hits).toBe(0);
  });

  it("does not follow redirects and reports them as failures", async () => {
    const port = await listen((_req, res) => {
      res.writeHead(302, { location: "http://169.254.169.254/" });
      res.end();
    });
    const result = await postWebhook(`http://localhost:${port}/hook`, "evt_1", "{}", [SECRET], DEVELOPMENT);
    expect(result).toMatchObject({ ok: false, status: 302 });
    expect(result.error).toContain("redirect");
    expect(hits).toBe(1);
  });

  it("gives up on an endpoint that does not answer in time", async () => {
    const port = await listen(() => {}); // never answers
    const result = await postWebhook(`http://127.0.0.1:${port}/`, "evt_1", "{}", [SECRET], DEVELOPMENT, { timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, status: null });
    expect(result.error).toContain("no answer");
    server?.closeAllConnections();
  });
});
