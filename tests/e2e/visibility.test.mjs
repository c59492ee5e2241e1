// Hidden tabs: browsers throttle their timers; the run records when the page was hidden and the
// timeline marks that stretch with an explanation, so a late timer is never left unexplained.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, setHidden, useBrowser } from "./server.mjs";

const env = useBrowser();

test("a stretch with the tab hidden is marked on the event-loop lane and explained", async () => {
  // Speed 1: the run lasts 2.25 s, so a busy machine's delays still land the hiding inside it.
  const { page, errors } = await openPage(env.browser, `${env.server.url}#fetch-and-count?speed=1`);
  await page.click("[data-testid=run]");
  // Hidden from 0.25 s for 0.3 s, timed in the page (no round trips between the steps).
  await setHidden(page, true, 250, 300);
  await page.waitForSelector("[data-testid=run-state][data-state=finished]");
  const spans = await page.$$eval("[data-testid=throttled]", (els) =>
    els.map((e) => [Number(e.dataset.from), Number(e.dataset.to), e.getAttribute("aria-label")]),
  );
  assert.equal(spans.length, 1, JSON.stringify(spans));
  const [from, to, label] = spans[0];
  assert.ok(from > 0.15 && from < 1.0, `hidden from ${from}`);
  assert.ok(to - from > 0.2 && to - from < 1.0, `hidden for ${to - from}`);
  assert.match(label, /tab was hidden.*throttle/);
  assert.deepEqual(errors, []);
  await page.close();
});
