// Late timers on the real clock are always accounted for: the event loop's lane shows what held
// the thread (the loop's own work, the page drawing, the browser's long work, or the browser
// late to run the loop with the thread free), and a timer more than 4 ms late that nothing on
// the lane covers is marked and counted. These tests check the accounting, never a speed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useBrowser } from "./server.mjs";

const env = useBrowser();

const finished = (page) => page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });

// What the loop's lane says once the run is over.
const lane = (page) =>
  page.evaluate(() => {
    const el = document.querySelector("[data-testid=loop-lane]");
    const kinds = {};
    for (const g of el.querySelectorAll("g.work")) {
      const title = g.querySelector("title")?.textContent;
      if (title) kinds[g.dataset.kind] = title;
    }
    return {
      late: Number(el.dataset.late),
      unexplained: Number(el.dataset.unexplained),
      marks: [...el.querySelectorAll("[data-testid=unexplained]")].map((m) => m.getAttribute("aria-label")),
      kinds,
      note: document.querySelector("[data-testid=lateness]")?.textContent ?? null,
    };
  });

for (const link of [
  "bot-invitations?bots=30&mode=all_at_once&speed=1",
  "bot-invitations?bots=100&busy_extra_ms=0&mode=one_by_one&speed=10",
  "gather-countdown?tasks=4&base_s=3.5&speed=10",
]) {
  test(`${link}: every timer more than 4 ms late is accounted for on the loop's lane`, async () => {
    const { page, errors } = await openPage(env.browser, `${env.server.url}#${link}&autorun=1`);
    await finished(page);
    const l = await lane(page);
    assert.equal(l.unexplained, 0, JSON.stringify(l));
    assert.deepEqual(l.marks, []);
    // The loop's own work is always there, with words on hover.
    assert.match(l.kinds.loop ?? "", /event loop at work.*\d+ stretch/);
    if (l.late > 0) assert.match(l.note, /lane shows what held the thread/);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("work the page knows nothing of makes timers late, and the lane still accounts for each", async () => {
  const { page, errors } = await openPage(
    env.browser,
    `${env.server.url}#bot-invitations?bots=20&busy_extra_ms=0&mode=one_by_one&speed=1`,
  );
  // Once the run goes on, another script of the page holds the thread: 12 ms every 40 ms, and
  // once 90 ms (a long task, which the browser reports). Run is pressed in the same script, so
  // no round trip from the test comes between the run's start and the spins.
  await page.evaluate(() => {
    const spin = (ms) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    document.querySelector("[data-testid=run]").click();
    window.__spins = setInterval(() => spin(12), 40);
    setTimeout(() => spin(90), 250);
  });
  await finished(page);
  await page.evaluate(() => clearInterval(window.__spins));
  const l = await lane(page);
  assert.ok(l.late >= 3, `only ${l.late} late timers: ${JSON.stringify(l)}`);
  assert.equal(l.unexplained, 0, JSON.stringify(l));
  // The spins are none of the page's: they show as the browser late to run the loop, and the
  // long one as the browser's long work too.
  assert.match(l.kinds.waiting ?? "", /browser late to run the loop/);
  assert.ok(l.kinds["long-task"] || l.kinds["long-frame"], JSON.stringify(l.kinds));
  assert.deepEqual(errors, []);
  await page.close();
});
