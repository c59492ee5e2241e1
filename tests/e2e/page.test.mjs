// Tier 3: a real browser drives the release build served on 127.0.0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useBrowser } from "./server.mjs";

const env = useBrowser();

const IDS = [
  "hello-world", "main-and-foo", "fetch-and-count", "restaurant", "bot-invitations",
  "polling-scheduler", "generator-chain", "coroutine-send", "gather-countdown", "cooking",
  "forgot-await", "cpu-vs-io", "blocking-sleep", "many-tasks",
];

test("the page loads without console errors and lists the 14 scenarios", async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
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
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.click("[data-testid=scenario-item][data-id=cooking]");
  assert.equal(await page.textContent("#stage-title"), "One after another vs gathered");
  assert.equal(await page.inputValue("[data-testid=scenario-select]"), "cooking");
  assert.equal(
    await page.getAttribute("[data-testid=scenario-item][data-id=cooking]", "aria-current"),
    "true",
  );
  assert.match(await page.textContent("[data-testid=timeline-empty]"), /Nothing has run yet/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("at phone width the picker leads and nothing overflows sideways, idle or after a run", async () => {
  const { page, errors } = await openPage(env.browser, env.server.url, { width: 390, height: 844 });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok((await overflow()) <= 0, `page is ${await overflow()}px wider than the phone screen`);
  assert.ok(await page.isVisible("[data-testid=scenario-select]"));
  assert.ok(!(await page.isVisible("[data-testid=scenario-list]")), "the long list gives way to the picker");
  await page.selectOption("[data-testid=scenario-select]", "fetch-and-count");
  await page.fill("[data-testid=param-speed]", "50");
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]");
  assert.ok((await overflow()) <= 0, `after a run the page is ${await overflow()}px too wide`);
  assert.deepEqual(errors, []);
  await page.close();
});
