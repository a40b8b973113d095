/**
 * /owner/insights with seeded data: verifications to Iceland (a country no other spec texts), written
 * straight into the "main" server's database two days back, show up in the by-country table with the
 * numbers a SQL count of those rows gives, once the rollup (INSIGHTS_ROLLUP_INTERVAL_MS=1000 here) has
 * counted them; the range switch takes them out of the last 24 hours; a price set on the page prices
 * their sends; axe finds nothing serious and the page fits the "phone" project's 390 px.
 * @see server/owners/insights/
 */
import Database from "better-sqlite3";
import { expectNoSeriousA11yViolations } from "./helpers/axe.ts";
import { expectNoSidewaysScroll } from "./helpers/layout.ts";
import { expect, test } from "./fixtures.ts";
import { e2eDatabasePath } from "./support/api-keys.ts";
import { E2E_INSIGHTS_OWNER_PHONES } from "./support/owners.ts";

/** Iceland's mobile numbers; seven rows, fewer than the ten deliveries /owner lists per webhook endpoint. */
const SEEDED = Array.from({ length: 7 }, (_, i) => ({ id: `0190e000-0000-7000-8000-00000000000${i}`, to: `+354611000${i}`, approved: i < 5 }));

/** Writes the seeded rows once (both projects run this file against the same server). */
function seed(file: string): void {
  const db = new Database(file);
  try {
    const at = new Date(Date.now() - 2 * 86_400_000);
    at.setUTCMinutes(10, 0, 0);
    const iso = (ms: number) => new Date(at.getTime() + ms).toISOString();
    const verification = db.prepare(
      `INSERT OR IGNORE INTO verifications (id, "to", purpose, status, workflow, code_hash, code_sealed, code_length, locale, attempts, max_attempts,
       valid_for, expires_at, surface, test_number, created_at, updated_at, finished_at)
       VALUES (?, ?, 'verify', ?, '[{"channel":"sms","afterSeconds":0}]', 'seeded', 'seeded', 6, 'en', 0, 5, 600, ?, 'native', 0, ?, ?, ?)`,
    );
    const delivery = db.prepare(
      `INSERT OR IGNORE INTO deliveries (id, verification_id, step_index, kind, channel, carrier, status, due_at, tries, created_at, updated_at, sent_at)
       VALUES (?, ?, 0, 'workflow', 'sms', 'sandbox', 'sent', ?, 1, ?, ?, ?)`,
    );
    db.transaction(() => {
      for (const [i, row] of SEEDED.entries()) {
        const created = iso(i * 60_000);
        verification.run(row.id, row.to, row.approved ? "approved" : "expired", iso(i * 60_000 + 600_000), created, created, iso(i * 60_000 + (row.approved ? 12_000 : 600_000)));
        delivery.run(row.id.replace("0190e000", "0190e001"), row.id, created, created, created, iso(i * 60_000 + 1_000));
      }
    })();
  } finally {
    db.close();
  }
}

/** What the raw rows of Iceland say, counted in SQL. */
function icelandCounts(file: string): { started: number; approved: number; sends: number } {
  const db = new Database(file, { readonly: true });
  try {
    const v = db.prepare(`SELECT COUNT(*) AS started, SUM(status = 'approved') AS approved FROM verifications WHERE "to" LIKE '+354%' AND test_number = 0`).get() as {
      started: number;
      approved: number;
    };
    const d = db.prepare(`SELECT COUNT(*) AS sends FROM deliveries d JOIN verifications v ON v.id = d.verification_id WHERE v."to" LIKE '+354%' AND d.sent_at IS NOT NULL`).get() as {
      sends: number;
    };
    return { started: v.started, approved: v.approved, sends: d.sends };
  } finally {
    db.close();
  }
}

test("the insights page shows what a SQL count of the seeded rows says, by range, with their cost", async ({ page, signIn }, testInfo) => {
  const port = Number(new URL(String(testInfo.project.use.baseURL)).port);
  const file = e2eDatabasePath("main", port);
  seed(file);
  const counts = icelandCounts(file);
  expect(counts).toEqual({ started: 7, approved: 5, sends: 7 });

  const owner = E2E_INSIGHTS_OWNER_PHONES[testInfo.project.name];
  if (!owner) throw new Error(`no insights owner for project ${testInfo.project.name} (e2e/support/owners.ts)`);
  await signIn(owner, page);
  await page.goto("/owner");
  await page.getByRole("link", { name: "Insights" }).click();
  await expect(page.getByRole("heading", { name: "Insights", level: 1 })).toBeVisible();

  const iceland = page.getByRole("region", { name: "By country" }).getByRole("row").filter({ hasText: "(IS)" });
  // The default range is 7 days; the rollup counts the seeded hours within a few passes. The page asks
  // every 30 s: reload until they are there.
  await expect(async () => {
    await page.reload();
    await expect(iceland).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(iceland.locator("[data-cell=started]")).toHaveText(String(counts.started));
  await expect(iceland.locator("[data-cell=approved]")).toHaveText(String(counts.approved));
  await expect(iceland.locator("[data-cell=sends]")).toHaveText(String(counts.sends));
  await expect(iceland.locator("[data-cell=conversion]")).toHaveText(`${((counts.approved / counts.started) * 100).toFixed(1)} %`);
  await expect(page.getByRole("img", { name: /Conversion rate \(approved ÷ started\) per day/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Conversion by country/ })).toBeVisible();

  // A price for the sandbox carrier in Iceland prices exactly the seeded sends (no other spec texts Iceland).
  const prices = page.getByRole("region", { name: "Prices set" });
  const form = page.getByTestId("costs");
  await form.getByLabel("Carrier").fill("sandbox");
  await form.getByLabel("Country").fill("IS");
  await form.getByLabel("Currency").fill("EUR");
  await form.getByLabel("Price per message").fill("0.05");
  await form.getByRole("button", { name: "Save price" }).click();
  await expect(prices.getByRole("row").filter({ hasText: "sandbox" }).filter({ hasText: "IS" })).toContainText("0.05 EUR");
  await expect(page.getByTestId("totals").locator("[data-cell=cost]")).toHaveText(`${(counts.sends * 0.05).toFixed(2).replace(/0+$/, "").replace(/\.$/, "")} EUR`);
  await expectNoSeriousA11yViolations(page, testInfo, "owner-insights");
  await expectNoSidewaysScroll(page);

  // Two days back is outside the last 24 hours.
  await page.getByRole("radio", { name: "24 hours" }).check();
  await expect(page.getByRole("img", { name: /per hour/ }).first()).toBeVisible();
  await expect(iceland).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await page.getByRole("radio", { name: "30 days" }).check();
  await expect(iceland.locator("[data-cell=started]")).toHaveText(String(counts.started));
});
