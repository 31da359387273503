// Answers that can be trusted: an untouched slider (dyad) or triangle (triad) is "no answer", by
// keyboard, mouse and touch, and without JavaScript. Each case goes through the preview, which
// shows what would be stored.
import { launch, tabTo, check, BASE, SHOTS } from "./lib.mjs";

const DYAD = "Wie besliste er in dit verhaal?";
const TRIAD = "Wat maakte in dit verhaal het meeste verschil?";
const NEXT = "button[type=submit].primary";

// Fills what the form requires, leaving every slider and triangle alone.
async function fillRequired(page) {
  await page.check("#f-prompt");
  await page.fill("#f-text", "Mijn tante hielp me elke week met plannen, daardoor ging school weer beter.");
  await page.check("#f-perspective");
  await page.check("#f-answers-gevoel");
  await page.check("#f-consent");
}

// The answer the preview shows for a question.
async function previewAnswer(page, question) {
  await Promise.all([page.waitForNavigation(), page.click(NEXT)]);
  check((await page.textContent("p.step")).includes("Stap 2"), "on the preview: " + (await page.textContent("main")));
  return answerOf(page, question);
}

// The answer shown on the preview page that is open.
async function answerOf(page, question) {
  return page.evaluate((q) => {
    const dt = Array.from(document.querySelectorAll("dl.answers dt")).find((d) => d.textContent.trim() === q);
    return dt ? dt.nextElementSibling.textContent.trim() : null;
  }, question);
}

async function rangeName(page, id) {
  return page.$eval("#f-answers-" + id, (r) => r.getAttribute("name"));
}

const browser = await launch();
try {
  // Keyboard: Tab past the slider and the triangle's numbers = no answer.
  let page = await browser.newPage();
  await page.goto(`${BASE}/c/eigen-netwerk`);
  check((await page.getAttribute("#f-answers-regie", "type")) === "range", "the script made a slider");
  check(await page.isVisible("text=Zet de stip"), "with JavaScript the dot help shows");
  await tabTo(page, "#f-answers-wat_hielp");
  await tabTo(page, "#f-answers-regie");
  await page.keyboard.press("Tab");
  check((await rangeName(page, "regie")) === null, "Tab past the slider sends nothing");
  check((await page.textContent("#dyad-status-regie")).includes("Nog geen antwoord"), "says not answered yet");
  await fillRequired(page);
  check((await previewAnswer(page, DYAD)) === "geen antwoord", "Tab past the slider is no answer");
  check((await answerOf(page, TRIAD)) === "geen antwoord", "untouched triangle is no answer");
  await page.screenshot({ path: `${SHOTS}/answers-keyboard-none.png`, fullPage: true });

  // Keyboard: arrow keys answer, and the slider says towards which pole.
  page = await browser.newPage();
  await page.goto(`${BASE}/c/eigen-netwerk`);
  await tabTo(page, "#f-answers-regie");
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  check((await rangeName(page, "regie")) === "a.regie", "arrows answer");
  const status = await page.textContent("#dyad-status-regie");
  check(status.includes("53% richting ik besliste zelf"), "status names the pole: " + status);
  await page.keyboard.press("Home");
  await fillRequired(page);
  check((await previewAnswer(page, DYAD)) === "100% richting anderen beslisten over mij", "Home is an answer");

  // Keyboard: tabbing through the triangle's numbers without typing is no answer.
  page = await browser.newPage();
  await page.goto(`${BASE}/c/eigen-netwerk`);
  await tabTo(page, "#f-answers-wat_hielp");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await fillRequired(page);
  check((await previewAnswer(page, TRIAD)) === "geen antwoord", "Tab through the triad is no answer");

  // Mouse: a click on the slider and in the triangle answers.
  page = await browser.newPage();
  await page.goto(`${BASE}/c/eigen-netwerk`);
  await page.locator("#f-answers-regie").scrollIntoViewIfNeeded();
  const box = await page.locator("#f-answers-regie").boundingBox();
  await page.mouse.click(box.x + box.width * 0.9, box.y + box.height / 2);
  check((await rangeName(page, "regie")) === "a.regie", "a click answers");
  await page.locator('[data-triad-for="wat_hielp"] svg').scrollIntoViewIfNeeded();
  const tri = await page.locator('[data-triad-for="wat_hielp"] svg').boundingBox();
  await page.mouse.click(tri.x + tri.width / 2, tri.y + tri.height * 0.3);
  check((await page.inputValue("#f-answers-wat_hielp")) !== "", "a click in the triangle fills the numbers");
  await fillRequired(page);
  let dyad = await previewAnswer(page, DYAD);
  check(/^\d+% richting ik besliste zelf$/.test(dyad), "mouse answer towards the right pole: " + dyad);
  await page.goBack();

  // Mouse: moving the mouse over the slider without pressing is no answer.
  page = await browser.newPage();
  await page.goto(`${BASE}/c/eigen-netwerk`);
  await page.locator("#f-answers-regie").scrollIntoViewIfNeeded();
  const b2 = await page.locator("#f-answers-regie").boundingBox();
  await page.mouse.move(b2.x + 5, b2.y + b2.height / 2);
  await page.mouse.move(b2.x + b2.width - 5, b2.y + b2.height / 2);
  await fillRequired(page);
  check((await previewAnswer(page, DYAD)) === "geen antwoord", "hovering is no answer");

  // Touch: a tap answers; not tapping is no answer.
  const touch = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  page = await touch.newPage();
  await page.goto(`${BASE}/c/eigen-netwerk`);
  await page.locator("#f-answers-regie").scrollIntoViewIfNeeded();
  const tb = await page.locator("#f-answers-regie").boundingBox();
  await page.tap("#f-answers-regie", { position: { x: tb.width * 0.1, y: tb.height / 2 } });
  check((await rangeName(page, "regie")) === "a.regie", "a tap answers");
  check((await rangeName(page, "steun")) === null, "the slider not tapped stays unanswered");
  await fillRequired(page);
  await page.screenshot({ path: `${SHOTS}/answers-touch.png`, fullPage: true });
  dyad = await previewAnswer(page, DYAD);
  check(/^\d+% richting anderen beslisten over mij$/.test(dyad), "tap answer towards the left pole: " + dyad);
  await touch.close();

  // Without JavaScript: a scale of radio buttons that starts at "geen antwoord".
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  page = await nojs.newPage();
  await page.goto(`${BASE}/c/eigen-netwerk`);
  check(await page.isChecked("#f-answers-regie-none"), "geen antwoord is chosen at the start");
  check(!(await page.isVisible("text=Zet de stip")), "no dot help where there is no dot");
  check(!(await page.isVisible('[data-triad-for="wat_hielp"]')), "no triangle without JavaScript");
  await fillRequired(page);
  await page.screenshot({ path: `${SHOTS}/answers-nojs.png`, fullPage: true });
  check((await previewAnswer(page, DYAD)) === "geen antwoord", "untouched scale is no answer");
  page = await nojs.newPage();
  await page.goto(`${BASE}/c/eigen-netwerk`);
  await page.check("#f-answers-regie-75");
  await fillRequired(page);
  check((await previewAnswer(page, DYAD)) === "75% richting ik besliste zelf", "a step of the scale is an answer");
  await nojs.close();

  // Consent per age band: the guardian's box shows for under 16 only.
  page = await browser.newPage();
  await page.goto(`${BASE}/c/eigen-netwerk`);
  check(!(await page.isVisible("#f-consent_guardian")), "no guardian box before an age is chosen");
  await page.check("#f-age_band-12-15");
  check(await page.isVisible("#f-consent_guardian"), "guardian box for 12 - 15");
  await page.check("#f-age_band-16-17");
  check(!(await page.isVisible("#f-consent_guardian")), "no guardian box for 16 - 17");
  console.log("answers: keyboard, mouse, touch and no-JS passed; screenshots in " + SHOTS);
} finally {
  await browser.close();
}
