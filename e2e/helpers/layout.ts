/**
 * The page fits its viewport: nothing reaches past the right edge except inside a box that scrolls or
 * clips on its own (a code block, a ScrollRegion), so a phone never scrolls the whole page sideways.
 */
import { type Page, expect } from "@playwright/test";

export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const layout = await page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const insideOwnScroller = (element: Element): boolean => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== "visible") return true;
      }
      return false;
    };
    const overflowing = [...document.body.querySelectorAll("*")]
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.right > viewport + 1 && !insideOwnScroller(element);
      })
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}${[...element.classList].map((c) => `.${c}`).join("")} reaches ${Math.round(element.getBoundingClientRect().right)} px`);
    return { pageWidth: document.documentElement.scrollWidth, viewport, overflowing };
  });
  expect(layout, `${page.url()} is wider than its ${layout.viewport} px viewport`).toEqual({ pageWidth: layout.viewport, viewport: layout.viewport, overflowing: [] });
}
