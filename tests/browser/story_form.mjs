// A storyteller, keyboard only: writes too little, gets errors, fixes them, checks the privacy
// preview, confirms, gets a receipt code, reads the story back and withdraws it.
import { launch, tabTo, activeId, check, BASE, SHOTS } from "./lib.mjs";

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
  await page.goto(`${BASE}/c/eigen-netwerk`);
  check((await page.title()).includes("Leefwereldtoets"), "form title");

  // Too short, nothing else: submit with Enter on the button.
  await tabTo(page, "#f-text");
  await page.keyboard.type("Te kort.");
  const next = 'button[type=submit].primary';
  await tabTo(page, next);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  check((await activeId(page)) === "error-summary", "focus moves to the error summary");
  const summary = await page.textContent("#error-summary");
  check(summary.includes("Je verhaal is nog te kort"), "text error listed: " + summary);
  check(summary.includes("Wie ben jij?"), "perspective error listed");
  check((await page.inputValue("#f-text")) === "Te kort.", "typed text kept");
  await page.screenshot({ path: `${SHOTS}/form-errors.png`, fullPage: true });

  // The first link in the summary takes you to the field.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");

  // Fix everything, keyboard only.
  await tabTo(page, "#f-prompt");
  await page.keyboard.press("Space");
  await tabTo(page, "#f-text");
  await page.keyboard.press("Control+A");
  await page.keyboard.type(
    "Toen mijn moeder ziek werd, heeft de buurvrouw Yasmina El Amrani elke dag voor ons gekookt. " +
      "Het wijkteam zei dat er een wachtlijst was van vier maanden. Je kunt me bellen op 06-12345678."
  );
  await tabTo(page, "#f-perspective");
  await page.keyboard.press("Space");
  await tabTo(page, "#f-region");
  await page.keyboard.type("Gron");
  await tabTo(page, "#f-answers-wat_hielp");
  await page.keyboard.type("70");
  await page.keyboard.press("Tab");
  await page.keyboard.type("10");
  await page.keyboard.press("Tab");
  await page.keyboard.type("20");
  await tabTo(page, "#f-answers-regie");
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
  await tabTo(page, "#f-answers-gevoel");
  await page.keyboard.press("ArrowDown"); // from "blij" to "opgelucht"
  await tabTo(page, "#f-consent");
  await page.keyboard.press("Space");
  check(await page.isChecked("#f-consent"), "consent ticked");
  await tabTo(page, next);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);

  // Preview: the phone number and the name are replaced and marked.
  const preview = await page.textContent(".story-text");
  check(preview.includes("[telefoon]") && !preview.includes("12345678"), "phone scrubbed: " + preview);
  check(!preview.includes("Yasmina"), "name scrubbed: " + preview);
  check((await page.locator("mark.pii").count()) >= 2, "replacements are marked");
  const answers = await page.textContent("dl.answers");
  check(answers.includes("Groningen") && answers.includes("opgelucht"), "answers shown: " + answers);
  await page.screenshot({ path: `${SHOTS}/preview.png`, fullPage: true });

  await tabTo(page, "#confirm");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  const code = (await page.textContent("#receipt-code")).trim();
  check(/^[A-Z]{4}(-[A-Z]{4}){4}$/.test(code), "receipt code shown: " + code);
  await page.screenshot({ path: `${SHOTS}/receipt.png`, fullPage: true });

  // Read it back with the code.
  await tabTo(page, 'a[href^="/receipt"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  await tabTo(page, "#f-code");
  await page.keyboard.type(code.toLowerCase());
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  const story = await page.textContent("main");
  check(story.includes("[telefoon]") && story.includes("wachtlijst"), "story read back");

  // Withdraw: the first button asks, and nothing is removed until the second.
  await tabTo(page, "#withdraw");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  check((await page.textContent("#withdraw-title")).includes("echt verwijderen"), "withdrawal asks first");
  check((await page.textContent("main")).includes("wachtlijst"), "the story is still there");
  await tabTo(page, "#withdraw-confirm");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  check((await page.textContent("h1")).includes("verwijderd"), "withdrawal confirmed");

  // Narrow screens: the form fits 320 px without sideways scrolling.
  const narrow = await browser.newPage({ viewport: { width: 320, height: 800 } });
  await narrow.goto(`${BASE}/c/eigen-netwerk`);
  const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth);
  check(overflow <= 320, "no horizontal scroll at 320 px (scrollWidth " + overflow + ")");
  await narrow.screenshot({ path: `${SHOTS}/form-320.png`, fullPage: true });
  console.log("story form: keyboard-only flow passed; screenshots in " + SHOTS);
} finally {
  await browser.close();
}
