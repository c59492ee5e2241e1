// Hidden tabs: browsers throttle their timers; the run records when the page was hidden and the
// timeline marks that stretch with an explanation, so a late timer is never left unexplained.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, setHidden, useBrowser } from "./server.mjs";

const env = useBrowser();

test("a stretch with the tab hidden is marked on the event-loop lane and explained", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#fetch-and-count?speed=2`);
  await page.click("[data-testid=run]");
  await page.waitForTimeout(250);
  await setHidden(page, true);
  await page.waitForTimeout(300);
  await setHidden(page, false);
  await page.waitForSelector("[data-testid=run-state][data-state=finished]");
  const spans = await page.$$eval("[data-testid=throttled]", (els) =>
    els.map((e) => [Number(e.dataset.from), Number(e.dataset.to), e.getAttribute("aria-label")]),
  );
  assert.equal(spans.length, 1, JSON.stringify(spans));
  const [from, to, label] = spans[0];
  assert.ok(from > 0.3 && from < 1.0, `hidden from ${from}`);
  assert.ok(to - from > 0.4 && to - from < 1.2, `hidden for ${to - from}`);
  assert.match(label, /tab was hidden.*throttle/);
  assert.deepEqual(errors, []);
  await page.close();
});
