// Comparing two runs on one time axis: pin a run, run a variant, see both with their elapsed
// times and the difference; the scenario's natural contrast in one click; the share link
// carries both; the cursor moves both.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, tool, useBrowser } from "./server.mjs";

const env = useBrowser();

const finished = (page) => page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });

// A real run's elapsed time is its ideal schedule's plus however late the browser ran its timers:
// never less, and on a loaded machine any amount more (at speed 20, 40 ms late is 0.8 s). So the
// tests bound it from below only, and tell the ways apart by their lanes and events.
const atLeast = (run, seconds) => assert.ok(run.elapsed >= seconds - 0.001, `${run.label}: ${run.elapsed} s`);

// The verdict the page must print for two runs, from their own elapsed times, rounded as it
// rounds them (to the millisecond, no trailing zeros).
const ms = (t) => String(Math.round(t * 1000) / 1000);
const verdictOf = (was, is, pinned, current) => {
  const by = ms(Math.abs(current.elapsed - pinned.elapsed));
  const how = by === "0" ? "the same time as" : `${by} s ${current.elapsed < pinned.elapsed ? "sooner" : "later"} than`;
  return `${is}: ${ms(current.elapsed)} s, ${how} ${was} (${ms(pinned.elapsed)} s)`;
};

const runs = (page) =>
  page.$$eval("[data-testid=compare] [data-testid=compare-run]", (rs) =>
    rs.map((r) => ({
      elapsed: Number(r.dataset.elapsed),
      lanes: r.querySelectorAll("[data-testid=lane]").length,
      label: r.querySelector(".compare-label").textContent,
      cursor: r.querySelector("[data-testid=cursor-line]") !== null,
    })),
  );

test("cooking: one after another pinned, then gathered beside it: 9 s and 6 s on one axis, 3 s sooner", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#cooking?speed=20`);
  await page.click("[data-testid=run]");
  await finished(page);
  // The natural contrast, one click: this run pinned, the other way run beside it.
  const contrast = await tool(page, "compare-contrast");
  assert.equal(await page.textContent(contrast), "Compare with gather");
  await page.click(contrast);
  await page.waitForSelector("[data-testid=compare]");
  await finished(page);
  const [pinned, current] = await runs(page);
  atLeast(pinned, 9);
  atLeast(current, 6);
  // One after another, main awaits each coroutine itself: one lane; gathered, three tasks.
  assert.equal(pinned.lanes, 1);
  assert.equal(current.lanes, 3);
  assert.equal(pinned.label, `pinnedmode one after another · ${ms(pinned.elapsed)} s`);
  assert.equal(current.label, `this runmode gather · ${ms(current.elapsed)} s`);
  const verdict = (await page.textContent("[data-testid=compare-verdict]")).trim();
  assert.equal(verdict, verdictOf("mode one after another", "mode gather", pinned, current));
  // Editing a field after the run changes nothing of what the comparison says of it.
  await page.click("[data-testid=about] summary");
  await page.selectOption("[data-testid=param-mode]", "one_after_another");
  assert.equal((await page.textContent("[data-testid=compare-verdict]")).trim(), verdict);
  await page.selectOption("[data-testid=param-mode]", "gather");
  // One axis: both timelines have the same ticks at the same places.
  const ticks = await page.$$eval("[data-testid=compare] [data-testid=timeline]", (ts) =>
    ts.map((t) => [...t.querySelectorAll("text.tick-label")].map((x) => `${x.getAttribute("x")} ${x.textContent}`).join(", ")),
  );
  assert.equal(ticks.length, 2);
  assert.ok(ticks[0].length > 0);
  assert.equal(ticks[0], ticks[1], "the same ticks above and below");
  // The cursor moves both.
  await page.fill("[data-testid=cursor]", "3");
  const withCursor = await runs(page);
  assert.ok(withCursor.every((r) => r.cursor), "a cursor line on both runs");
  // The share link carries both; opened, it pins the other run's ideal schedule.
  const share = await page.getAttribute("[data-testid=copy-link]", "title");
  assert.match(share, /compare=cooking%3Fspeed%3D20/);
  const other = await openPage(env.browser, share.replace(/&t=[^&]*/, "") + "&autorun=1");
  await other.page.waitForSelector("[data-testid=compare]", { timeout: 20000 });
  await finished(other.page);
  const [ideal, again] = await runs(other.page);
  assert.equal(ideal.elapsed, 9, "the linked run's ideal schedule");
  assert.match(ideal.label, /ideal schedule/);
  atLeast(again, 6);
  // Unpin lets it go.
  await other.page.click(await tool(other.page, "unpin"));
  assert.equal(await other.page.$("[data-testid=compare]"), null);
  assert.doesNotMatch(await other.page.evaluate(() => location.hash), /compare=/);
  assert.deepEqual([...errors, ...other.errors], []);
  await other.page.close();
  await page.close();
});

test("pin this run, change a value and run again: the pinned run stays while things change", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#hello-world?speed=20`);
  await page.click("[data-testid=run]");
  await finished(page);
  await page.click(await tool(page, "pin-run"));
  await page.waitForSelector("[data-testid=compare]");
  // The same program run again: real runs differ, both are shown.
  const [first, again] = await runs(page);
  atLeast(first, 2);
  atLeast(again, 2);
  assert.equal((await page.textContent("[data-testid=compare-verdict]")).trim(), verdictOf("the pinned run", "this run", first, again));
  await page.click("[data-testid=about] summary");
  await page.fill("[data-testid=param-sleep_s]", "1");
  await page.click("[data-testid=run]");
  await finished(page);
  const [pinned, current] = await runs(page);
  // The pinned run is the one pinned, to the millisecond; this run is the new value's.
  assert.equal(pinned.elapsed, first.elapsed);
  assert.equal(pinned.label, `pinnedsleep s 2 · ${ms(first.elapsed)} s`);
  assert.equal(current.label, `this runsleep s 1 · ${ms(current.elapsed)} s`);
  atLeast(current, 1);
  assert.equal((await page.textContent("[data-testid=compare-verdict]")).trim(), verdictOf("sleep s 2", "sleep s 1", pinned, current));
  assert.deepEqual(errors, []);
  await page.close();
});
