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

  // 1: accept suggestion 1; the page comes back on the same story.
  await key(page, "1");
  check(page.url().includes("/coding?story="), "back on the queue after accepting: " + page.url());
  const after1 = await page.textContent(".suggestion-list li:nth-child(1)");
  check(after1.includes("nu: telt mee"), "suggestion 1 accepted: " + after1);

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
