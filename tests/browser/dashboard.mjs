// The steering demo account opens the dashboard of the demo campaign and prints it. In print
// (emulated print media, and an A4 PDF) small counts stay hidden — no count from 1 to k − 1 is
// visible in the story tables, the "<k" marker is — the filter form and the navigation are
// gone, and every chart fits the 170 mm between A4's margins. Screenshots of the screen and of
// the printed page go to SCREENSHOT_DIR, the PDF too.
import { statSync } from "node:fs";
import { launch, check, BASE, SHOTS } from "./lib.mjs";

const STEERING = { email: process.env.STEERING_EMAIL, password: process.env.PASSWORD };
const K = Number(process.env.K || "5");

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

// The story counts a reader sees: the tables of stories per campaign, period and region, and
// each theme's total. (The action tracker counts actions, not people; shares are percentages.)
async function visibleCounts(page) {
  return page.$$eval(
    "#summary td.num, #over-time td.num, #regions td.num, .dashboard-theme h3 .count",
    (cells) =>
      cells
        .filter((c) => c.offsetParent !== null && getComputedStyle(c).visibility !== "hidden")
        .map((c) => c.textContent.replace(/[()]/g, "").replace("verhalen", "").trim()),
  );
}

// Whether any element matching `selector` takes up room on the page.
async function shown(page, selector) {
  return page.$$eval(selector, (els) => els.some((e) => e.getClientRects().length > 0));
}

const browser = await launch();
try {
  // 170 mm at 96 px per inch is 643 px: the width of A4 between 20 mm margins.
  const A4_TEXT_PX = (170 / 25.4) * 96;
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await page.fill("#f-email", STEERING.email);
  await page.fill("#f-password", STEERING.password);
  await submit(page, "button.primary");
  // A debug build computes the dashboard of the demo slowly on a busy machine.
  await page.goto(`${BASE}/dashboard`, { timeout: 240_000 });
  check((await page.textContent("h1")).startsWith("Dashboard"), "the dashboard opens");
  check(await shown(page, "form.dashboard-filter"), "the filter form is on screen");
  check(await shown(page, ".site-nav"), "the navigation is on screen");
  await page.screenshot({ path: `${SHOTS}/dashboard-screen.png`, fullPage: false });

  await page.emulateMedia({ media: "print" });
  // Print layout as on paper: the page's content box is 170 mm wide.
  await page.setViewportSize({ width: Math.round(A4_TEXT_PX), height: 1200 });
  check(!(await shown(page, "form.dashboard-filter")), "the filter form is hidden in print");
  check(!(await shown(page, ".site-nav")), "the navigation is hidden in print");
  check(!(await shown(page, ".site-header")), "the site bar is hidden in print");

  const counts = await visibleCounts(page);
  check(counts.length > 0, "the printed dashboard has story counts");
  const small = counts.filter((c) => /^\d+$/.test(c) && Number(c) > 0 && Number(c) < K);
  check(small.length === 0, `no count from 1 to ${K - 1} in print: ${small.join(", ")}`);
  check(counts.includes(`<${K}`), `the suppressed marker <${K} is printed: ${counts.slice(0, 40).join(" ")}`);

  // Every chart and table within the printed width (a pixel of rounding allowed).
  const wide = await page.$$eval(
    ".dashboard svg, .dashboard table",
    (els, max) =>
      els
        .filter((e) => e.getClientRects().length > 0)
        .map((e) => ({ what: e.tagName + (e.id ? "#" + e.id : ""), w: e.getBoundingClientRect().width }))
        .filter((x) => x.w > max + 1),
    A4_TEXT_PX,
  );
  check(wide.length === 0, "everything fits A4's width: " + JSON.stringify(wide));
  const charts = await page.$$eval(".dashboard figure svg", (els) => els.length);
  check(charts > 0, "the printed dashboard has charts");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 1, `nothing sticks out sideways in print: ${overflow}px`);
  await page.screenshot({ path: `${SHOTS}/dashboard-print.png`, fullPage: true });
  await page.pdf({ path: `${SHOTS}/dashboard.pdf`, format: "A4" });
  check(statSync(`${SHOTS}/dashboard.pdf`).size > 10_000, "the A4 PDF is written");
  console.log(`dashboard printed: ${counts.length} counts, ${charts} charts, none wider than ${Math.round(A4_TEXT_PX)} px`);
} finally {
  await browser.close();
}
