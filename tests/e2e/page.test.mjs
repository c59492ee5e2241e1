// Tier 3: a real browser drives the release build served on 127.0.0.1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serveDist, launchChromium, openPage } from "./server.mjs";

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const IDS = [
  "hello-world", "main-and-foo", "fetch-and-count", "restaurant", "bot-invitations",
  "polling-scheduler", "generator-chain", "coroutine-send", "gather-countdown", "cooking",
  "forgot-await", "cpu-vs-io", "blocking-sleep", "many-tasks",
];

test("the page loads without console errors and lists the 14 scenarios", async () => {
  const { page, errors } = await openPage(browser, server.url);
  assert.equal(await page.title(), "Interleave: watch async programs run");
  const ids = await page.$$eval("[data-testid=scenario-item]", (els) => els.map((e) => e.dataset.id));
  assert.deepEqual(ids, IDS);
  const seeds = await page.$$eval("[data-testid=scenario-item] .seed", (els) => els.map((e) => e.textContent));
  assert.ok(seeds.every((s) => /^seed 00[0-4]$/.test(s)), `unexpected seed labels: ${seeds}`);
  await page.waitForTimeout(200);
  assert.deepEqual(errors, []);
  await page.close();
});

test("picking a scenario shows it on the stage with the empty timeline", async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.click("[data-testid=scenario-item][data-id=cooking]");
  assert.equal(await page.textContent("#stage-title"), "One after another vs gathered");
  assert.equal(
    await page.getAttribute("[data-testid=scenario-item][data-id=cooking]", "aria-current"),
    "true",
  );
  assert.match(await page.textContent("[data-testid=timeline-empty]"), /Nothing has run yet/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("at phone width the stage comes first and nothing overflows sideways", async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone screen`);
  const stageTop = await page.$eval(".stage", (e) => e.getBoundingClientRect().top);
  const listTop = await page.$eval(".catalog", (e) => e.getBoundingClientRect().top);
  assert.ok(stageTop < listTop, "the stage should come before the list on a phone");
  assert.deepEqual(errors, []);
  await page.close();
});
