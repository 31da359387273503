// A facilitator records two improvement actions for a responsible party, publishes them with a
// short summary; a storyteller enters their receipt code on /receipt and sees what was done.
// No JavaScript is needed for any of it: plain forms and links.
import { launch, check, BASE, SHOTS } from "./lib.mjs";

const FAC = { email: process.env.FACILITATOR_EMAIL, password: process.env.PASSWORD };
const CODE = process.env.RECEIPT_CODE;
const SLUG = "eigen-netwerk";

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

const browser = await launch();
try {
  const fac = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await fac.goto(`${BASE}/login`);
  await fac.fill("#f-email", FAC.email);
  await fac.fill("#f-password", FAC.password);
  await submit(fac, "button.primary");

  // The responsible party.
  await fac.goto(`${BASE}/manage/campaigns/${SLUG}/organisations`);
  await fac.fill("#f-name", "Gemeente Utrecht");
  await fac.selectOption("#f-kind", "municipality");
  await submit(fac, "#add-organisation");
  check((await fac.textContent("#organisations")) !== null, "the organisation is listed");

  // Two actions, each published from its own page.
  const titles = ["Uitleg over maatregelen in gewone taal", "Vast aanspreekpunt op elke groep"];
  for (const [i, title] of titles.entries()) {
    await fac.goto(`${BASE}/manage/campaigns/${SLUG}/actions`);
    await fac.fill("#f-title", title);
    await fac.selectOption("#f-organisation_id", { label: "Gemeente Utrecht (gemeente)" });
    await fac.selectOption("#f-status", i === 0 ? "done" : "in_progress");
    await fac.fill("#f-due_on", "2027-06-01");
    await submit(fac, "#save-action");
    check(fac.url().includes(`/manage/campaigns/${SLUG}/actions/`), "the action's page: " + fac.url());
    if (i === 1) {
      await fac.fill("#f-note", "Twee van de vijf groepen hebben nu een aanspreekpunt.");
      await fac.fill("#f-update-progress", "40");
      await submit(fac, "#add-update");
      check((await fac.textContent("#history")).includes("Twee van de vijf groepen"), "the update is in the history");
    }
    await submit(fac, "#toggle-publish");
    check((await fac.textContent("#toggle-publish")).includes("Niet meer publiceren"), "published");
  }
  await fac.goto(`${BASE}/manage/campaigns/${SLUG}/actions`);
  const list = await fac.textContent("#actions");
  check(titles.every((t) => list.includes(t)), "both actions are listed");
  await fac.screenshot({ path: `${SHOTS}/actions-list.png`, fullPage: true });

  // The summary, published.
  await fac.goto(`${BASE}/manage/campaigns/${SLUG}/results`);
  await fac.fill("#f-summary", "Jullie vertelden dat regels pas achteraf werden uitgelegd. Dat verandert nu.");
  await fac.check("#f-publish");
  await submit(fac, "#save-results");
  check((await fac.textContent("main")).includes("2 acties zijn gepubliceerd"), "two actions published");

  // A storyteller, in a phone-sized window, enters the receipt code.
  const teller = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await teller.goto(`${BASE}/receipt`);
  await teller.fill("#f-code", CODE);
  await submit(teller, "form[action='/receipt'] button[type=submit]");
  const results = await teller.textContent("#results");
  check(results.includes("Dat verandert nu."), "the summary on the receipt page");
  for (const t of titles) check(results.includes(t), "the receipt page shows " + t);
  check(results.includes("Gemeente Utrecht") && results.includes("klaar") && results.includes("bezig"), "party and status");
  check(results.includes("Twee van de vijf groepen"), "the last update");
  await teller.locator("#results").scrollIntoViewIfNeeded();
  await teller.screenshot({ path: `${SHOTS}/receipt-results.png`, fullPage: true });
  console.log("actions.mjs: two actions recorded, published and seen on the receipt page");
} finally {
  await browser.close();
}
