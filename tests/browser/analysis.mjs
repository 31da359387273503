// A facilitator makes sense of the demo stories in the browser: finds common threads (the job
// page refreshes itself until they are there), reads and names one and makes it a theme,
// retrains the suggestions and measures them, and codes an agreement sample blind.
import { launch, check, BASE, SHOTS } from "./lib.mjs";

const FAC = { email: process.env.FACILITATOR_EMAIL, password: process.env.PASSWORD };
const SLUG = process.env.SLUG;
const CAMPAIGN = `${BASE}/manage/campaigns/${SLUG}`;

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

// Waits on a job page until it stops refreshing (the page reloads itself; no script needed).
async function waitForJob(page) {
  for (let i = 0; i < 240; i++) {
    try {
      await page.waitForLoadState("load");
      if (!(await page.$("meta[http-equiv=refresh]")) && (await page.$("main"))) return;
    } catch (e) {
      // The page reloaded itself while we looked ("execution context was destroyed"): look again.
    }
    await page.waitForTimeout(500);
  }
  throw new Error("the job did not finish: " + (await page.textContent("main")));
}

// Waits until the campaign has no job running (one runs at a time: the demo retrains its
// suggestions when it starts, and a busy machine may still be at it).
async function waitUntilIdle(page) {
  for (let i = 0; i < 240; i++) {
    await page.goto(`${CAMPAIGN}/jobs`);
    if (!(await page.$(".status-running, .status-queued"))) return;
    await page.waitForTimeout(500);
  }
  throw new Error("a job kept running: " + (await page.textContent("main")));
}

const browser = await launch();
try {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await page.goto(`${BASE}/login`);
  await page.fill("#f-email", FAC.email);
  await page.fill("#f-password", FAC.password);
  await submit(page, "button.primary");

  // From the campaign page to discovery.
  await waitUntilIdle(page);
  await page.goto(CAMPAIGN);
  await submit(page, "nav.analysis-nav a[href$='/discovery']");
  await page.check("#mode-fixed");
  await page.fill("#f-k", "6");
  await page.fill("#f-seed", "2");
  await submit(page, "form[action$='/discovery'] button[type=submit]");
  check(page.url().includes("/jobs/"), "starting goes to the job page: " + page.url());
  await waitForJob(page);
  check((await page.textContent("main")).includes("klaar"), "the job is done");
  await submit(page, "a.button.primary");
  check(page.url().includes("/discovery/"), "the threads: " + page.url());
  const cards = await page.$$("section.thread-card");
  check(cards.length >= 5, "about six threads: " + cards.length);
  check((await page.$$("section.thread-card meter")).length >= 4 * cards.length, "perspective shares drawn");
  await page.screenshot({ path: `${SHOTS}/threads.png`, fullPage: false });

  // Name the first thread and make it a theme.
  const first = await page.$eval("section.thread-card", (s) => s.id);
  await page.fill(`#${first} input[name=name]`, "Eerste draad");
  await submit(page, `#${first} form:has(input[value=rename]) button`);
  check((await page.textContent(`#${first} h2`)).includes("Eerste draad"), "renamed");
  await submit(page, `#${first} form:has(input[value=promote]) button`);
  check((await page.textContent("main")).includes("De draad is een thema geworden"), "promoted");
  check(!!(await page.$(`#${first} a[href*='/themes/']`)), "the thread links to its theme");

  // Suggestions: retrain now, then measure.
  await waitUntilIdle(page);
  await page.goto(`${CAMPAIGN}/suggestions`);
  await submit(page, "form[action$='/suggestions/retrain'] button");
  await waitForJob(page);
  await submit(page, "a.button.primary");
  check((await page.textContent("main")).includes("geleerd van"), "training report shown");
  const suggestions = page.url();
  await waitUntilIdle(page);
  await page.goto(suggestions);
  await page.selectOption("#folds", "3");
  await submit(page, "form[action$='/suggestions/evaluate'] button");
  await waitForJob(page);
  await submit(page, "a.button.primary");
  const text = await page.textContent("main");
  check(text.includes("Gemiddeld over thema"), "precision, recall and F1 per theme");
  await page.screenshot({ path: `${SHOTS}/suggestions.png`, fullPage: true });

  // Agreement: draw a small sample on two themes and code it.
  await page.goto(`${CAMPAIGN}/agreement`);
  await page.fill("#f-size", "3");
  const boxes = await page.$$("input[name=theme]");
  for (const b of boxes.slice(2)) await b.uncheck();
  await submit(page, "form[action$='/agreement'] button.primary");
  await submit(page, "a.button.primary");
  for (let i = 1; i <= 3; i++) {
    check((await page.textContent("h1")).includes(`Verhaal ${i} van 3`), "story " + i);
    if (i === 1) await page.check("input[name=theme] >> nth=0");
    await submit(page, "button[name=then]");
  }
  check((await page.textContent("main")).includes("Zodra twee mensen hebben gecodeerd"), "one coder: no agreement yet");
  await page.screenshot({ path: `${SHOTS}/agreement.png`, fullPage: true });
  console.log("analysis flow ok");
} finally {
  await browser.close();
}
