/**
 * The page fits its viewport: nothing reaches past the right edge except inside a box that scrolls or
 * clips on its own (a code block, a ScrollRegion), so a phone never scrolls the whole page sideways.
 */
import { type Page, expect } from "@playwright/test";

export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const layout = await page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const overflowing: string[] = [];
    // Top down, in document order: an element inside a box that scrolls or clips (any ancestor below <body>
    // whose overflow-x is not "visible") cannot widen the page, and neither can anything under it, so such a
    // box's subtree is not looked at. One getComputedStyle per element outside those boxes, instead of one per
    // ancestor of every element: /docs/api has about 8,000 elements (docs/benchmarks.md, "The suite's time").
    const visit = (parent: Element): void => {
      for (const element of parent.children) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && box.right > viewport + 1 && overflowing.length < 5) {
          overflowing.push(`${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}${[...element.classList].map((c) => `.${c}`).join("")} reaches ${Math.round(box.right)} px`);
        }
        if (getComputedStyle(element).overflowX === "visible") visit(element);
      }
    };
    visit(document.body);
    return { pageWidth: document.documentElement.scrollWidth, viewport, overflowing };
  });
  expect(layout, `${page.url()} is wider than its ${layout.viewport} px viewport`).toEqual({ pageWidth: layout.viewport, viewport: layout.viewport, overflowing: [] });
}
