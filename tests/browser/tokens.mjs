// A facilitator makes a personal API token on the account page: the token is shown once with a
// warning, works as a bearer token on the API, is listed by name and prefix only, and stops
// working when revoked.
import { launch, check, BASE, SHOTS } from "./lib.mjs";

const FAC = { email: process.env.FACILITATOR_EMAIL, password: process.env.PASSWORD };

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

const browser = await launch();
try {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await page.goto(`${BASE}/login`);
  await page.fill("#f-email", FAC.email);
  await page.fill("#f-password", FAC.password);
  await submit(page, "button.primary");
  await page.goto(`${BASE}/account`);
  await page.fill("#f-token-name", "browser-script");
  await page.check("input[name=access][value=read]");
  await submit(page, "form[action='/account/tokens'] button[type=submit]");

  const secret = await page.inputValue("#f-secret");
  check(/^lst_[0-9a-f]{64}$/.test(secret), "a token is shown: " + secret);
  const notice = await page.textContent("#new-token");
  check(notice.includes("nooit meer"), "with a warning it is shown once: " + notice);
  await page.screenshot({ path: `${SHOTS}/token-created.png`, fullPage: true });

  // It works as a bearer token (from outside the browser session: no cookie sent).
  const api = await fetch(`${BASE}/api/v1/campaigns/eigen-netwerk/stories`, {
    headers: { Authorization: `Bearer ${secret}` },
  });
  check(api.status === 200, "the token reads the campaign's stories: " + api.status);

  // Never again on the page; listed by name and prefix.
  await page.goto(`${BASE}/account`);
  const html = await page.content();
  check(!html.includes(secret), "the token is not shown a second time");
  check(html.includes("browser-script") && html.includes(secret.slice(0, 12)), "listed by name and prefix");

  await submit(page, "form[action$='/revoke'] button[type=submit]");
  check((await page.content()).includes("ingetrokken op"), "shown as revoked");
  const after = await fetch(`${BASE}/api/v1/campaigns/eigen-netwerk/stories`, {
    headers: { Authorization: `Bearer ${secret}` },
  });
  check(after.status === 401, "a revoked token is refused: " + after.status);
  console.log("token made, shown once, used and revoked in the browser");
} finally {
  await browser.close();
}
