/**
 * Accessibility scan of the page as it is now (axe-core through @axe-core/playwright): attaches the
 * full results to the test report and fails on any "serious" or "critical" violation, listing each
 * with the elements it found.
 */
import AxeBuilder from "@axe-core/playwright";
import { type Page, type TestInfo, expect } from "@playwright/test";

const BLOCKING = new Set(["serious", "critical"]);

export interface ScanScope {
  /** CSS selectors of the parts to scan, when not the whole page; each must match (a scan of nothing passes). */
  include?: readonly string[];
  /** Only these axe rules (ids as in axe's rule list), when not all of them. */
  rules?: readonly string[];
}

export async function expectNoSeriousA11yViolations(page: Page, testInfo: TestInfo, name: string, scope: ScanScope = {}): Promise<void> {
  const builder = new AxeBuilder({ page });
  for (const selector of scope.include ?? []) {
    expect(await page.locator(selector).count(), `${name}: the part to scan, ${selector}, is on the page`).toBeGreaterThan(0);
    builder.include(selector);
  }
  if (scope.rules) builder.withRules([...scope.rules]);
  const results = await builder.analyze();
  await testInfo.attach(`axe-${name}.json`, { body: JSON.stringify(results, null, 2), contentType: "application/json" });
  const blocking = results.violations
    .filter((v) => v.impact && BLOCKING.has(v.impact))
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `    ${n.target.join(" ")}  ${n.failureSummary ?? ""}`.replace(/\n/g, " ")).join("\n")}`);
  expect(blocking, `serious or critical axe violations on ${name} (${page.url()})`).toEqual([]);
}
