// A facilitator works through the coding queue with the keyboard only: 1 accepts the first
// suggestion, x then 2 rejects the second, ? shows the shortcuts, n goes to the next story.
import { launch, check, BASE, SHOTS } from "./lib.mjs";

const FAC = { email: process.env.FACILITATOR_EMAIL, password: process.env.PASSWORD };
const SLUG = process.env.SLUG;

async function key(page, k) {
  await Promise.all([page.waitForNavigation(), page.keyboard.press(k)]);
}

const browser = await launch();
try {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await page.goto(`${BASE}/login`);
  await page.fill("#f-email", FAC.email);
  await page.fill("#f-password", FAC.password);
  await Promise.all([page.waitForNavigation(), page.click("button.primary")]);

  await page.goto(`${BASE}/manage/campaigns/${SLUG}/coding`);
  const first = await page.textContent(".suggestion-list li:nth-child(1)");
  check(first.includes("Wachten") && first.includes("90%"), "the surest suggestion is number 1: " + first);
  await page.screenshot({ path: `${SHOTS}/coding-queue.png`, fullPage: true });
  const story = new URL(page.url()).searchParams.get("story");
  check(story === null, "the queue starts without a position");

  // Each suggestion once: numbered in the list, not again as a model row in the tag table.
  check((await page.$$("[data-accept='1']")).length === 1, "suggestion 1 has one accept button");
  check((await page.$$("#themas tr.source-model")).length === 0, "no model rows repeat the list");
  // axe's scrollable-region-focusable: every box that scrolls can be reached by the keyboard
  // (focusable itself, or holding something focusable), and the story text box has a role and
  // a name.
  // A long story overflows its box; the test stories are short, so make the box small.
  await page.$eval(".coding-story .story-full", (el) => { el.style.maxHeight = "2rem"; });
  const unreachable = await page.$$eval("*", (els) =>
    els
      .filter((el) => {
        const st = getComputedStyle(el);
        const scrolls = /(auto|scroll)/.test(st.overflowY + st.overflowX);
        const overflow = el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
        const focusable = el.tabIndex >= 0 || el.querySelector("a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])");
        return scrolls && overflow && !focusable && el !== document.documentElement && el !== document.body;
      })
      .map((el) => el.className || el.tagName),
  );
  check(unreachable.length === 0, "scroll boxes the keyboard cannot reach: " + unreachable.join(", "));
  const box = await page.$eval(".coding-story .story-full", (el) => [el.tabIndex, el.getAttribute("role"), el.getAttribute("aria-label")]);
  check(box[0] === 0 && box[1] === "region" && box[2] === "Tekst van het verhaal", "the story text box: " + box);
  let reached = false;
  for (let i = 0; i < 60 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement && document.activeElement.matches(".coding-story .story-full"));
  }
  check(reached, "Tab reaches the story text");
  await page.keyboard.press("ArrowDown");
  const remaining = await page.textContent("[data-remaining]");
  check(remaining.includes("3 voorstellen om over te beslissen"), "three suggestions to decide on: " + remaining);

  // 1: accept suggestion 1; the page comes back on the same story.
  await key(page, "1");
  check(page.url().includes("/coding?story="), "back on the queue after accepting: " + page.url());
  const after1 = await page.textContent(".suggestion-list li:nth-child(1)");
  check(after1.includes("nu: telt mee"), "suggestion 1 accepted: " + after1);
  const left = await page.textContent("[data-remaining]");
  check(left.includes("2 voorstellen om over te beslissen"), "the count goes down: " + left);

  // x then 2: reject suggestion 2.
  await page.keyboard.press("x");
  check((await page.textContent("[data-key-status]")).includes("Afwijzen"), "x announces rejecting");
  await key(page, "2");
  const after2 = await page.textContent(".suggestion-list li:nth-child(2)");
  check(after2.includes("nu: afgewezen"), "suggestion 2 rejected: " + after2);

  // ?: the shortcuts; n: the next story.
  await page.keyboard.press("?");
  check(await page.$eval("[data-shortcuts]", (d) => d.open), "? opens the shortcuts");
  await page.keyboard.press("?");
  const before = page.url();
  await key(page, "n");
  check(page.url().includes("/coding?after=") && page.url() !== before, "n goes on: " + page.url());
  const next = await page.textContent(".suggestion-list li:nth-child(1)");
  check(next.includes("School") && next.includes("60%"), "the next story with a suggestion: " + next);
  // Keys typed into a field stay there.
  await page.focus("#f-add-theme");
  await page.keyboard.press("n");
  check(page.url().includes("/coding?after="), "n in a field does not navigate");
  await page.screenshot({ path: `${SHOTS}/coding-queue-next.png`, fullPage: true });
  console.log("coding queue by keyboard: ok");
} finally {
  await browser.close();
}
