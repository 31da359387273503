// A facilitator builds a campaign in the browser (a triad, a dyad and a choice), previews it and
// opens it; a storyteller tells a story through it; the facilitator reads it with the triad
// drawn; a steering user is refused.
import { launch, check, BASE, SHOTS } from "./lib.mjs";

const FAC = { email: process.env.FACILITATOR_EMAIL, password: process.env.PASSWORD };
const STEER = { email: process.env.STEERING_EMAIL, password: process.env.PASSWORD };

async function login(page, who) {
  await page.goto(`${BASE}/login`);
  await page.fill("#f-email", who.email);
  await page.fill("#f-password", who.password);
  await Promise.all([page.waitForNavigation(), page.click("button.primary")]);
}

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

const browser = await launch();
try {
  // The facilitator builds the campaign.
  const fac = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await login(fac, FAC);
  check(fac.url().endsWith("/manage"), "facilitator lands in the workspace: " + fac.url());
  await fac.goto(`${BASE}/manage/campaigns/new`);
  await fac.fill("#f-slug", "browser-toets");
  await fac.fill("#f-title_nl", "Toets in de browser");
  await fac.fill("#f-policy_question_nl", "Werkt het formulier zoals bedoeld?");
  await fac.fill("#f-prompt_id", "vertel");
  await fac.fill("#f-prompt_nl", "Vertel over een keer dat iemand uit je buurt je hielp.");
  await submit(fac, "form[action='/manage/campaigns/new'] button[type=submit]");
  check(fac.url().includes("/manage/campaigns/browser-toets"), "campaign page after creating: " + fac.url());

  const addSignifier = async (id, kind, question, labels) => {
    await fac.fill("#f-sig_id", id);
    await fac.check(`#f-sig_kind-${kind}`);
    await fac.fill("#f-sig_question_nl", question);
    await fac.fill("#f-sig_labels", labels);
    await submit(fac, "#add-signifier button[type=submit]");
    check((await fac.content()).includes(question), `signifier ${id} added`);
  };
  await addSignifier("wat_telde", "triad", "Wat telde het meest?", "gehoord worden\nsnel hulp krijgen\nzelf kiezen");
  await addSignifier("regie", "dyad", "Wie besliste?", "anderen beslisten\nik besliste zelf");
  await addSignifier("gevoel", "choice", "Hoe voelde het?", "blij | blij\nboos | boos\nbang | bang");

  // The preview shows the form exactly as a storyteller sees it.
  const preview = await fac.$eval("iframe[data-preview]", (f) => f.getAttribute("src"));
  const pv = await (await browser.newContext()).newPage();
  const pvResp = await fac.context().request.get(`${BASE}${preview}`);
  check(pvResp.ok(), "preview loads");
  await fac.goto(`${BASE}${preview}`);
  const pvText = await fac.textContent("main");
  for (const q of ["Wat telde het meest?", "Wie besliste?", "Hoe voelde het?", "gehoord worden", "ik besliste zelf"]) {
    check(pvText.includes(q), "preview shows " + q);
  }
  await fac.screenshot({ path: `${SHOTS}/builder-preview.png`, fullPage: true });
  await pv.close();

  // Open it.
  await fac.goto(`${BASE}/manage/campaigns/browser-toets`);
  await fac.screenshot({ path: `${SHOTS}/builder.png`, fullPage: true });
  await submit(fac, "form[action='/manage/campaigns/browser-toets/status'] button[value=open]");
  check((await fac.content()).toLowerCase().includes("open"), "campaign is open");

  // A storyteller tells a story through it.
  const teller = await (await browser.newContext()).newPage();
  await teller.goto(`${BASE}/c/browser-toets`);
  await teller.fill("#f-text", "De buurvrouw kookte elke dinsdag voor ons toen mama in het ziekenhuis lag. Dat hielp echt.");
  await teller.check("#f-perspective");
  await teller.fill("#f-answers-wat_telde", "70");
  await teller.fill("#f-answers-wat_telde-1", "20");
  await teller.fill("#f-answers-wat_telde-2", "10");
  await teller.fill("#f-answers-regie", "80");
  await teller.check("#f-answers-gevoel");
  await teller.check("#f-consent");
  await submit(teller, "button[type=submit].primary");
  check((await teller.textContent(".story-text")).includes("buurvrouw"), "storyteller sees the preview");
  await submit(teller, "#confirm");
  check(/^[A-Z]{4}(-[A-Z]{4}){4}$/.test((await teller.textContent("#receipt-code")).trim()), "receipt code");

  // The facilitator reads it, with the triad drawn.
  await fac.goto(`${BASE}/manage/campaigns/browser-toets/stories`);
  const link = await fac.$("a[href*='/manage/campaigns/browser-toets/stories/']");
  check(link, "the story is in the list");
  const storyUrl = await link.getAttribute("href");
  await fac.goto(`${BASE}${storyUrl}`);
  check((await fac.textContent("main")).includes("kookte elke dinsdag"), "story text shown");
  const dot = await fac.$("svg.triad-drawing circle.dot");
  check(dot, "triad drawn with its dot");
  const [cx, cy] = [Number(await dot.getAttribute("cx")), Number(await dot.getAttribute("cy"))];
  check(Number.isFinite(cx) && Number.isFinite(cy), "dot has a position");
  await fac.screenshot({ path: `${SHOTS}/story-page.png`, fullPage: true });

  // The steering group cannot open it.
  const steer = await (await browser.newContext()).newPage();
  await login(steer, STEER);
  const resp = await steer.goto(`${BASE}${storyUrl}`);
  check(resp.status() === 403, "steering gets 403 on the story page, got " + resp.status());
  console.log("facilitator flow passed; screenshots in " + SHOTS);
} finally {
  await browser.close();
}
