// Shared helpers for the browser tests: launch Debian's Chromium, move focus with the Tab key
// only, and fail with a clear message.
import { chromium } from "playwright-core";

export const BASE = process.env.BASE_URL;
export const SHOTS = process.env.SCREENSHOT_DIR || ".";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

export function check(cond, message) {
  if (!cond) throw new Error("check failed: " + message);
}

// Presses Tab until the element matching `selector` has focus; proves it is reachable by
// keyboard in focus order.
export async function tabTo(page, selector, max = 250) {
  for (let i = 0; i < max; i++) {
    const hit = await page.evaluate((sel) => {
      const el = document.activeElement;
      return !!el && el.matches(sel);
    }, selector);
    if (hit) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`could not reach ${selector} with the Tab key`);
}

export async function activeId(page) {
  return page.evaluate(() => (document.activeElement ? document.activeElement.id : null));
}
