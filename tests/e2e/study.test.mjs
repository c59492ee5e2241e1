// Studying a run at one's own pace: the stage holds the timeline, the console and the code on
// one screen; a time cursor (dragged, typed or stepped) moves the console, the code, the task
// table and the figures to that moment, on the real run and on the ideal schedule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useBrowser } from "./server.mjs";

const env = useBrowser();

const finished = (page) => page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });

// The console as drawn: each line's time, text, and whether it is after the cursor.
const consoleLines = (page) =>
  page.$$eval("[data-testid=console-line]", (els) =>
    els.map((el) => ({
      t: Number(el.dataset.time),
      text: el.querySelector(".text").textContent,
      future: el.dataset.future === "true",
    })),
  );

const rowStates = (page) =>
  page.$$eval("[data-testid=task-row]", (rows) =>
    Object.fromEntries(rows.map((r) => [r.querySelector("th").textContent, r.dataset.state])),
  );

const eventIndex = async (page) => {
  const el = await page.$("[data-testid=event-index]");
  return { index: Number(await el.getAttribute("data-index")), count: Number(await el.getAttribute("data-count")) };
};

test("at 1280 × 800 the stage holds the timeline, the console and the code, fully on screen, once Run is pressed", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#cooking?mode=gather&speed=1`);
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=running]");
  await page.waitForTimeout(400);
  for (const sel of ["[data-testid=stage]", "[data-testid=timeline]", "[data-testid=loop-lane]", ".console-panel", "#code-listing", "[data-testid=cursor]"]) {
    const box = await page.locator(sel).boundingBox();
    assert.ok(box, `${sel} is drawn`);
    assert.ok(box.y >= 0 && box.y + box.height <= 800 && box.x >= 0 && box.x + box.width <= 1280, `${sel} on screen: ${JSON.stringify(box)}`);
  }
  // The scenario's text and values stay one click away.
  assert.equal(await page.$eval("[data-testid=about]", (d) => d.open), false);
  await page.click("[data-testid=about] summary");
  assert.ok(await page.isVisible("[data-testid=param-durations]"));
  assert.deepEqual(errors, []);
  await page.close();
});

test("the cursor at a time shows exactly the lines printed by then, the next one faint, and each task's state", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#fetch-and-count?speed=10&autorun=1`);
  await finished(page);
  const all = await consoleLines(page);
  assert.equal(all.length, 13);
  assert.ok(all.every((l) => !l.future));
  // Half way through the fetch.
  await page.fill("[data-testid=cursor]", "1.1");
  assert.equal(Number(await page.getAttribute("[data-testid=cursor]", "data-seconds")), 1.1);
  const shown = await consoleLines(page);
  const past = shown.filter((l) => !l.future);
  assert.deepEqual(past.map((l) => l.text), all.filter((l) => l.t <= 1.1).map((l) => l.text));
  const future = shown.filter((l) => l.future);
  assert.equal(future.length, 1, "the next line, faint");
  assert.equal(future[0].text, all.find((l) => l.t > 1.1).text);
  const states = await rowStates(page);
  assert.equal(states["fetch()"], "waiting");
  assert.equal(states["main"], "waiting");
  assert.match(await page.textContent("[data-testid=figures]"), /Figures at t = 1\.1 s/);
  assert.ok(await page.$("[data-testid=cursor-line]"), "a line across the lanes");
  // Typed.
  await page.fill("[data-testid=cursor-time]", "0");
  await page.press("[data-testid=cursor-time]", "Enter");
  assert.deepEqual((await consoleLines(page)).filter((l) => !l.future).map((l) => l.text), all.filter((l) => l.t <= 0).map((l) => l.text));
  // On the ideal schedule the moment is exact: at 2 s fetch has printed, count's "8" and main's line come with it.
  await page.selectOption("[data-testid=study-which]", "ideal");
  await page.fill("[data-testid=cursor]", "2");
  const ideal = (await consoleLines(page)).filter((l) => !l.future).map((l) => l.text);
  assert.deepEqual(ideal.slice(-3), ["Done fetching", "8", "{'data': 1}"]);
  assert.equal(await page.textContent("[data-testid=console-line][data-future] .text"), "9");
  const end = await rowStates(page);
  assert.equal(end["fetch()"], "done");
  assert.equal(end["main"], "done");
  assert.notEqual(end["count()"], "done");
  assert.deepEqual(errors, []);
  await page.close();
});

test("stepping back from the end reaches the start event by event, with a sentence for each", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#fetch-and-count?speed=10&autorun=1`);
  await finished(page);
  let { index, count } = await eventIndex(page);
  assert.equal(index, count);
  assert.ok(count > 10);
  await page.focus("[data-testid=step-back]");
  const texts = new Set();
  while (index > 0) {
    await page.keyboard.press("ArrowLeft");
    const now = await eventIndex(page);
    assert.equal(now.index, index - 1, "one event back");
    index = now.index;
    texts.add(await page.textContent("[data-testid=event-text]"));
  }
  assert.equal(await page.textContent("[data-testid=event-text]"), "t = 0 s: the start; nothing has run yet.");
  assert.ok([...texts].some((t) => /^t = [\d.]+ s: the timer of fetch\(\) fired/.test(t)), "a timer's firing is named");
  assert.ok(await page.isDisabled("[data-testid=step-back]"));
  // Print by print with Shift+→; End returns to the end.
  await page.focus("[data-testid=step-forward]");
  await page.keyboard.press("Shift+ArrowRight");
  assert.match(await page.textContent("[data-testid=event-text]"), /: fetch\(\) prints Start fetching$/);
  assert.equal((await consoleLines(page)).filter((l) => !l.future).length, 1);
  await page.keyboard.press("End");
  assert.equal((await eventIndex(page)).index, count);
  assert.deepEqual(errors, []);
  await page.close();
});

test("while a run goes on the cursor follows now, until it is taken; Follow now gives it back", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#cooking?mode=gather&speed=1&autorun=1`);
  await page.waitForSelector("[data-testid=run-state][data-state=running]");
  const at = () => page.getAttribute("[data-testid=cursor]", "data-seconds").then(Number);
  const a = await at();
  await page.waitForTimeout(700);
  assert.ok((await at()) > a, "it follows the run");
  await page.click("[data-testid=step-back]");
  const held = await at();
  await page.waitForTimeout(700);
  assert.equal(await at(), held, "taken, it stays");
  await page.click("[data-testid=follow-now]");
  await page.waitForTimeout(500);
  assert.ok((await at()) > held, "and follows again");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the share link carries the cursor: a link with t opens its run there, and Copy link keeps where the user left it", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#fetch-and-count?speed=10&autorun=1&t=1.1`);
  await finished(page);
  await page.waitForFunction(() => document.querySelector("[data-testid=cursor]")?.dataset.seconds === "1.1");
  assert.ok((await consoleLines(page)).some((l) => l.future), "the console reads at 1.1 s");
  assert.match(await page.getAttribute("[data-testid=copy-link]", "title"), /#fetch-and-count\?speed=10&t=1\.1$/);
  await page.fill("[data-testid=cursor]", "2.25");
  assert.match(await page.getAttribute("[data-testid=copy-link]", "title"), /&t=2\.25$/);
  // Another run forgets it: the new run is followed to its end.
  await page.click("[data-testid=run]");
  await finished(page);
  assert.doesNotMatch(await page.getAttribute("[data-testid=copy-link]", "title"), /t=/);
  assert.ok((await consoleLines(page)).every((l) => !l.future));
  assert.deepEqual(errors, []);
  await page.close();
});

test("stepping along the event loop's lane: stretch by stretch, each in a sentence, the console and tasks following", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#cpu-vs-io?salads=2&speed=2&autorun=1`);
  await finished(page);
  await page.selectOption("[data-testid=study-which]", "lane");
  const where = async () => {
    const el = await page.$("[data-testid=event-index]");
    return {
      text: await el.textContent(),
      index: Number(await el.getAttribute("data-index")),
      count: Number(await el.getAttribute("data-count")),
      said: await page.textContent("[data-testid=event-text]"),
      at: Number(await page.getAttribute("[data-testid=cursor]", "data-seconds")),
    };
  };
  await page.click("[data-testid=step-start]");
  const first = await where();
  assert.match(first.text, /^stretch 1 of \d+$/);
  assert.ok(first.count >= 3, `the lane has its stretches: ${first.count}`);
  // Walk the whole lane: every stretch once, in time order, each told in words.
  const seen = [first];
  for (let i = 1; i < first.count; i++) {
    await page.click("[data-testid=step-forward]");
    seen.push(await where());
  }
  assert.deepEqual(seen.map((s) => s.index), [...Array(first.count).keys()].map((i) => i + 1));
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].at >= seen[i - 1].at, `in time order: ${JSON.stringify(seen)}`);
  for (const s of seen) assert.match(s.said, /^t = [\d.]+–[\d.]+ s \([\d.]+ ms\): ./);
  // Both salads' blocking work is among them, the second with the late timer it caused.
  const blocking = seen.filter((s) => /chop_salad\(\d\) held the thread with blocking work/.test(s.said));
  assert.equal(blocking.length, 2, JSON.stringify(seen.map((s) => s.said)));
  assert.match(blocking[1].said, /a timer fired [\d.]+ s late/);
  // At the second salad's work, the first salad is done and the second is running.
  await page.click("[data-testid=step-start]");
  while (!/chop_salad\(2\) held/.test((await where()).said)) await page.click("[data-testid=step-forward]");
  const rows = await rowStates(page);
  assert.equal(rows["chop_salad(1)"], "done");
  // Back to the run, event by event.
  await page.selectOption("[data-testid=study-which]", "real");
  assert.match((await where()).text, /^event \d+ of \d+$/);
  assert.deepEqual(errors, []);
  await page.close();
});
