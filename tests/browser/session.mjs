// A whole sense-making session in the browser: the facilitator makes a session from a frozen
// map, chooses a pattern, picks and prints story cards, opens a join code and presents; a
// participant joins on a phone-sized screen (375×667) and adds a note; the facilitator approves
// it and clusters it.
import { launch, check, BASE, SHOTS } from "./lib.mjs";

const FAC = { email: process.env.FACILITATOR_EMAIL, password: process.env.PASSWORD };
const SLUG = process.env.SLUG;

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

const browser = await launch();
try {
  const fac = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await fac.goto(`${BASE}/login`);
  await fac.fill("#f-email", FAC.email);
  await fac.fill("#f-password", FAC.password);
  await submit(fac, "button.primary");

  // A new session from the frozen map.
  await fac.goto(`${BASE}/manage/campaigns/${SLUG}/sessions`);
  await fac.fill("#title", "Duiden in de browser");
  await fac.fill("#place", "Buurthuis");
  await fac.check("#new-session input[name=map]");
  await fac.check("#new-session input[name=group][value=youths]");
  await fac.check("#new-session input[name=group][value=parents]");
  await submit(fac, "#new-session button[type=submit]");
  const base = new URL(fac.url()).pathname;
  check(/\/sessions\/[0-9a-f-]+$/.test(base), "on the session page: " + base);
  check((await fac.content()).includes("snapshot"), "the session cites its snapshot");

  // A pattern to discuss.
  await fac.check("#choose-patterns input[name=element]");
  await submit(fac, "#choose-patterns button[type=submit]");

  // Story cards by words, then printed four to a page.
  await fac.goto(`${BASE}${base}/cards?q=buurvrouw`);
  const boxes = await fac.$$("#pick input[name=story]");
  check(boxes.length > 2, "stories to pick from: " + boxes.length);
  await boxes[0].check();
  await boxes[1].check();
  await submit(fac, "#pick button[type=submit]");
  check((await fac.$$("#cards li")).length === 2, "two cards");
  await fac.goto(`${BASE}${base}/cards/print?per_page=4`);
  const print = await fac.content();
  check(print.includes("Kaart 1") && print.includes("Kaart 2"), "the print page has both cards");
  await fac.emulateMedia({ media: "print" });
  await fac.screenshot({ path: `${SHOTS}/session-cards-print.png`, fullPage: true });
  await fac.emulateMedia({ media: "screen" });

  // The presentation: the arrow key follows the next link (session.js).
  await fac.goto(`${BASE}${base}/present`);
  await fac.screenshot({ path: `${SHOTS}/session-present.png` });
  await Promise.all([fac.waitForNavigation(), fac.keyboard.press("ArrowRight")]);
  check(fac.url().endsWith("step=2"), "ArrowRight goes to the next step: " + fac.url());
  await fac.screenshot({ path: `${SHOTS}/session-present-card.png` });

  // A join code on the projector.
  await fac.goto(`${BASE}${base}`);
  await submit(fac, "#codes button[type=submit]");
  const code = (await fac.textContent("#join-code")).trim();
  check(/^[A-Z0-9]{6}$/.test(code), "a six-character code: " + code);
  check((await fac.$$(".qr svg")).length === 1, "a QR code");
  await fac.screenshot({ path: `${SHOTS}/session-projector.png` });

  // The participant on a phone.
  const phone = await (await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true })).newPage();
  await phone.goto(`${BASE}/j`);
  await phone.fill("#code", code.toLowerCase());
  await submit(phone, "#join button[type=submit]");
  check(new URL(phone.url()).pathname === "/session", "participant view: " + phone.url());
  const view = await phone.content();
  check(view.includes("Kaart 1") && view.includes("Kaart 2"), "the phone shows the cards");
  await phone.selectOption("#nkind", "interpretation");
  await phone.selectOption("#nkind", "question");
  await phone.selectOption("#ncard", { label: "Kaart 2" });
  await phone.fill("#nbody", "Waarom hielp juist de buurvrouw?");
  await submit(phone, "#add-note button[type=submit]");
  check((await phone.content()).includes("wacht op goedkeuring"), "the note waits for approval");
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 375, "no sideways scrolling on the phone: " + width);
  await phone.screenshot({ path: `${SHOTS}/session-phone.png`, fullPage: true });

  // The facilitator approves and clusters the note.
  await fac.goto(`${BASE}${base}#notes`);
  check((await fac.content()).includes("Waarom hielp juist de buurvrouw?"), "the facilitator sees the note");
  await submit(fac, "button[form^=approve-]");
  await fac.fill("#cname", "De buurt helpt");
  await submit(fac, "#new-cluster button[type=submit]");
  const select = await fac.$("#assign select");
  const value = await fac.$eval("#clusters .cluster", (el) => el.dataset.cluster);
  await select.selectOption(value);
  await submit(fac, "#assign button[type=submit]");
  check((await fac.$eval("#assign select", (s) => s.value)) === value, "the note is in the cluster");
  await phone.reload();
  check((await phone.content()).includes("Waarom hielp juist de buurvrouw?"), "the room sees the approved note");
  await fac.screenshot({ path: `${SHOTS}/session-facilitator.png`, fullPage: true });
} finally {
  await browser.close();
}
