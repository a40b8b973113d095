/**
 * The host against a textgate server, as a host's own suite tests it with `textgate/playwright`: fresh
 * numbers, codes read from the sandbox over the API with an API key, a YES texted back from the number,
 * and the components filled by their accessible names.
 */
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { test as base, expect } from "@playwright/test";
import { textgateFixtures } from "textgate/playwright";
import { apiKey, HOST_DIR, HOST_URL, TEXTGATE_URL } from "./servers.ts";

const test = base.extend(
  textgateFixtures({
    baseUrl: TEXTGATE_URL,
    get apiKey() {
      return apiKey();
    },
  }),
);

test("resolves textgate/* to the unpacked tarball's dist through its exports", () => {
  const installed = path.join(HOST_DIR, "node_modules", "textgate");
  const require = createRequire(path.join(HOST_DIR, "package.json"));
  for (const entry of ["react", "next-auth", "ws", "client", "playwright", "embed"]) {
    expect(require.resolve(`textgate/${entry}`)).toBe(path.join(installed, "dist", `${entry}.js`));
  }
  expect(require.resolve("textgate/styles.css")).toBe(path.join(installed, "dist", "styles.css"));
  // Only what `files` ships: no sources a path alias could have reached.
  expect(fs.readdirSync(installed).sort()).toEqual(["LICENSE", "README.md", "dist", "package.json"]);
  expect(() => require.resolve("textgate/dist/ws.js")).toThrow(/not defined by "exports"/);
});

test("signs up, signs in again, and opens its sockets after Send Token and after Confirm Reply", async ({ page, phoneNumber, inbox, fillPhone, fillCode }) => {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Grace Host");
  await fillPhone(phoneNumber);
  await page.getByRole("button", { name: "Send code", exact: true }).click();
  await fillCode(await inbox.waitForCode(phoneNumber));
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("account-name")).toHaveText("Grace Host");
  await expect(page.getByTestId("account-phone")).toHaveText(phoneNumber);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${HOST_URL}/`);
  await page.goto("/account");
  await expect(page.getByText("You are signed out.")).toBeVisible();

  // The host's own /login, laid out from PhoneInput and TokenInput: a wrong code first, told in the kit's
  // words (describeSignInError), then the right one; the user store still knows the name.
  await page.goto("/login");
  await fillPhone(phoneNumber);
  await page.getByRole("button", { name: "Send code", exact: true }).click();
  const code = await inbox.waitForCode(phoneNumber);
  await fillCode(`${(Number(code[0]) + 1) % 10}${code.slice(1)}`);
  await expect(page.getByText("Wrong code. 2 attempts left")).toBeVisible();
  await fillCode(code);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("account-name")).toHaveText("Grace Host");

  await page.goto("/chat");
  const status = page.getByRole("status");
  await page.getByRole("button", { name: "Connect with Send Token" }).click();
  await expect(status).toHaveText("Pending: enter the code we texted you");
  await fillCode(await inbox.waitForCode(phoneNumber), { label: "Code from the text" });
  await expect(status).toHaveText("Admitted");
  await page.getByRole("textbox", { name: "Message" }).fill("hello host");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByText("Echo: hello host")).toBeVisible();

  await page.getByRole("button", { name: "Connect with Confirm Reply" }).click();
  await expect(status).toHaveText("Pending: reply YES to our text");
  // The YES counts only as an answer to the question: wait until it has been texted.
  await expect.poll(async () => (await inbox.messages(phoneNumber))[0]?.body ?? "").toMatch(/Reply YES/);
  await inbox.reply(phoneNumber, "YES");
  await expect(status).toHaveText("Admitted");
});

/** The status of an upgrade to `pathname` on the host (101 when a socket opens). */
function upgradeStatus(pathname: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${HOST_URL}${pathname}`, {
      headers: { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", origin: HOST_URL, ...headers },
    });
    request.on("upgrade", (response, socket) => (socket.destroy(), resolve(response.statusCode ?? 101)));
    request.on("response", (response) => (response.resume(), resolve(response.statusCode ?? 0)));
    request.on("error", reject);
    request.end();
  });
}

test("refuses a signed-out socket with 401, and a forged session cookie too, before any handshake", async () => {
  expect(await upgradeStatus("/ws/token", {})).toBe(401);
  expect(await upgradeStatus("/ws/confirm", { cookie: "next-auth.session-token=forged" })).toBe(401);
});
