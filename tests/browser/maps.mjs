// A facilitator works with the perspective map of the demo campaign in the browser: opens it
// from the campaign's analysis menu, compares by perspective and by age band, follows a cell to
// the stories behind it (the search page shows them), reads a sentence, downloads the themes
// table as CSV, freezes the map and publishes it. The steering account then sees the published
// map with small cells hidden ("<5") and no story text from them. Screenshots of both, and of
// the page as printed (A4), go to SCREENSHOT_DIR; the print is also saved as a PDF.
import { readFileSync } from "node:fs";
import { launch, check, BASE, SHOTS } from "./lib.mjs";

const FAC = { email: process.env.FACILITATOR_EMAIL, password: process.env.PASSWORD };
const STEERING = { email: process.env.STEERING_EMAIL, password: process.env.PASSWORD };
const SLUG = process.env.SLUG;
const CAMPAIGN = `${BASE}/manage/campaigns/${SLUG}`;

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function signIn(page, who) {
  await page.goto(`${BASE}/login`);
  await page.fill("#f-email", who.email);
  await page.fill("#f-password", who.password);
  await submit(page, "button.primary");
}

// The theme table as [{label, cells: [{text, href}]}].
async function themeTable(page) {
  return page.$$eval("#map-themes tbody tr", (rows) =>
    rows.map((r) => ({
      label: r.querySelector("th").textContent.trim(),
      cells: [...r.querySelectorAll("td")].slice(0, -2).map((td) => ({
        text: td.textContent.trim(),
        href: td.querySelector("a.map-cell")?.getAttribute("href") || "",
      })),
    })),
  );
}

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, FAC);

  // From the campaign page to the map, through the analysis menu.
  await page.goto(CAMPAIGN);
  await submit(page, "nav.analysis-nav a[href$='/map']");
  check(page.url().includes("/map"), "the menu leads to the map: " + page.url());
  const stories = Number(await page.textContent("#map-stories"));
  check(stories > 0, `the map has stories: ${stories}`);
  const groups = await page.$$eval("#map-themes thead th", (ths) => ths.map((t) => t.textContent.trim()));
  check(groups.includes("Jongeren") && groups.includes("Ouders"), "compared by perspective: " + groups);
  const sentence = (await page.textContent(".map-sentence")).trim();
  check(sentence.length > 20, "a sentence to read aloud: " + sentence);
  await page.click("details summary >> text=De getallen");
  check(await page.isVisible("details[open] li"), "the numbers behind the sentence open");
  await page.screenshot({ path: `${SHOTS}/map-facilitator.png`, fullPage: false });

  // By age band.
  await page.selectOption("#f-by", "age_band");
  await submit(page, "form.map-form button.primary");
  const byAge = await page.$$eval("#map-themes thead th", (ths) => ths.map((t) => t.textContent.trim()));
  check(byAge.some((h) => h.startsWith("Vertellers van")), "compared by age band: " + byAge);
  await page.selectOption("#f-by", "perspective");
  await submit(page, "form.map-form button.primary");

  // Download the themes table.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click("a[href*='/table/themes.csv']"),
  ]);
  const csv = readFileSync(await download.path(), "utf8");
  check(csv.startsWith("thema,groep,verhalen"), "the CSV has its header: " + csv.slice(0, 60));
  check(csv.split("\n").length > 3, "the CSV has rows");

  // Follow the largest linked cell to its stories.
  const rows = await themeTable(page);
  const linked = rows.flatMap((r) => r.cells.filter((c) => c.href)).sort((a, b) => parseInt(b.text) - parseInt(a.text));
  check(linked.length > 0, "cells link to their stories");
  const cell = linked[0];
  const want = parseInt(cell.text);
  let found = -1;
  // The search index fills in the background after the demo is loaded: try again until it has.
  for (let i = 0; i < 60 && found !== want; i++) {
    await page.goto(BASE + cell.href);
    found = parseInt(await page.textContent("#results-title"));
    if (found !== want) await page.waitForTimeout(500);
  }
  check(found === want, `the search page shows the cell's ${want} stories (got ${found})`);
  check((await page.$$("ol.hits > li")).length > 0, "the stories are listed");
  await page.goBack();

  // Freeze and publish.
  await page.fill("#f-title", "Browserkaart");
  await submit(page, "#freeze-form button[type=submit]");
  check(page.url().includes("/maps/"), "freezing goes to the frozen map: " + page.url());
  check((await page.textContent("h1")).includes("Browserkaart"), "the frozen map has its title");
  check((await page.textContent("#withdrawn")).includes("geen verhaal ingetrokken"), "nothing withdrawn yet");
  await submit(page, "form[action$='/publish'] button");
  check((await page.textContent("main")).includes("gepubliceerd voor de stuurgroep"), "published");

  // Print on A4.
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: `${SHOTS}/map-print.png`, fullPage: false });
  await page.pdf({ path: `${SHOTS}/map.pdf`, format: "A4" });
  await page.emulateMedia({ media: "screen" });
  await submit(page, "form[action='/logout'] button");

  // The steering account sees the published map, with small cells hidden.
  await signIn(page, STEERING);
  await page.goto(`${BASE}/published`);
  await submit(page, "#frozen-maps a >> text=Browserkaart");
  const published = await themeTable(page);
  check(published.length > 0, "the published map has its themes");
  const hidden = [];
  published.forEach((r, ri) =>
    r.cells.forEach((c, gi) => {
      if (c.text.startsWith("<") || c.text === "×") hidden.push([ri, gi]);
    }),
  );
  check(hidden.length > 0, "small cells are hidden: " + JSON.stringify(published.map((r) => r.cells.map((c) => c.text))));
  check(published.every((r) => r.cells.every((c) => !c.href)), "no links to stories for the steering group");
  check((await page.$$("a[href^='/search']")).length === 0, "no search links at all");
  // No quote or distinctive word from a hidden cell: the theme's article has no block for it.
  const groupNames = await page.$$eval("#map-themes thead th", (ths) => ths.slice(1, -2).map((t) => t.textContent.trim()));
  const articles = await page.$$eval("article.map-theme", (as) =>
    as.map((a) => ({
      label: a.querySelector("h3").textContent.trim(),
      quoted: [...a.querySelectorAll(".map-quotes h4")].map((h) => h.textContent.split("·")[0].trim()),
    })),
  );
  for (const [ri, gi] of hidden) {
    const art = articles.find((a) => a.label === published[ri].label);
    check(!art.quoted.includes(groupNames[gi]), `no quotes from the hidden cell ${published[ri].label} × ${groupNames[gi]}`);
  }
  check((await page.textContent("main")).includes("Kleine aantallen"), "the page says small counts are hidden");
  await page.screenshot({ path: `${SHOTS}/map-steering.png`, fullPage: false });
  console.log(`map: ${stories} stories, cell of ${want} followed, ${hidden.length} hidden cells for the steering group`);
} finally {
  await browser.close();
}
