// End to end: pick, edit, run, stop, share and export, in a real browser on the release build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { openPage, tool, useBrowser } from "./server.mjs";

const env = useBrowser();

const lines = (page) =>
  page.$$eval("[data-testid=console-line]", (els) =>
    els.map((e) => ({ t: Number(e.dataset.time), task: Number(e.dataset.task), text: e.querySelector(".text").textContent })),
  );
const state = (page) => page.getAttribute("[data-testid=run-state]", "data-state");
const finished = (page) => page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 30000 });

test("pick, edit (invalid then valid), run to the end: cooking gathered takes the longest step", async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.selectOption("[data-testid=scenario-select]", "cooking");
  assert.equal(await page.textContent("#stage-title"), "One after another vs gathered");

  // Invalid values: a message beside the field, and Run disabled.
  await page.fill("[data-testid=param-durations]", "3,,6");
  assert.match(await page.textContent("[data-testid=param-error-durations]"), /Entry 2/);
  assert.ok(await page.isDisabled("[data-testid=run]"));
  await page.fill("[data-testid=param-speed]", "abc");
  assert.match(await page.textContent("[data-testid=param-error-speed]"), /0\.1 to 100x/);
  await page.fill("[data-testid=param-speed]", "20");
  await page.fill("[data-testid=param-durations]", "1,2");
  assert.equal(await page.$("[data-testid=param-error-durations]"), null);
  assert.equal(await page.$("[data-testid=param-error-speed]"), null);
  assert.ok(await page.isEnabled("[data-testid=run]"));

  await page.selectOption("[data-testid=param-mode]", "gather");
  await page.click("[data-testid=run]");
  await finished(page);
  const got = await lines(page);
  assert.deepEqual(got.map((l) => l.text), [
    "starting 1 sleep", "starting 2 sleep", "finished 1 sleep", "finished 2 sleep", "[1, 2]",
  ]);
  const [a, b, c, d, e] = got.map((l) => l.t);
  // Gathered, both start before either finishes, and the meal takes the longest step (2 s), not
  // the sum (3 s). What the real clock adds is lateness, never a lead: the event loop's lane
  // accounts for it, and it is no bound to test on a shared machine (at speed 20, 40 ms late is
  // 0.8 s), so times are bounded from below and the order tells gather from one after another.
  assert.ok(a <= b && b < c, `starts at ${a}, ${b}; first finish at ${c}`);
  assert.ok(c >= 1 && d >= 2 && d >= c && e >= d, `finishes at ${c}, ${d}, ${e}`);
  assert.equal(Number(await page.getAttribute("[data-testid=ideal-elapsed]", "data-seconds")), 2);
  const elapsed = Number(await page.getAttribute("[data-testid=elapsed]", "data-seconds"));
  assert.ok(elapsed >= 2, `elapsed ${elapsed}`);

  // One lane per task (main and two steps), with segments that say what they are.
  const lanes = await page.$$eval("[data-testid=lane]", (els) => els.map((e) => e.dataset.task));
  assert.deepEqual(lanes, ["0", "1", "2"]);
  const kinds = await page.$$eval("[data-testid=lane][data-task='2'] [data-testid=segment]", (els) =>
    els.map((e) => [e.dataset.kind, Number(e.dataset.from), Number(e.dataset.to)]),
  );
  const wait = kinds.find(([k]) => k === "waiting");
  assert.ok(wait && wait[2] - wait[1] >= 1.99, `the 2 s step waits 2 s: ${JSON.stringify(kinds)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("stop midway: nothing is printed after the stop", async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.selectOption("[data-testid=scenario-select]", "fetch-and-count");
  // Speed 1: the run lasts 2.25 s, time enough for the test's clicks on a busy machine.
  await page.fill("[data-testid=param-speed]", "1");
  await page.click("[data-testid=run]");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=console-line]").length >= 4);
  // The tools wait for the run: loading them would stop it.
  assert.ok(await page.isDisabled("[data-testid=tools]"));
  await page.click("[data-testid=stop]");
  assert.equal(await state(page), "stopped");
  assert.ok(await page.isEnabled("[data-testid=tools]"));
  const before = await lines(page);
  assert.ok(before.length >= 4 && before.length < 13, `${before.length} lines at the stop`);
  await page.waitForTimeout(2500); // past the end the run would have had
  assert.deepEqual(await lines(page), before);
  assert.ok(await page.isEnabled("[data-testid=run]"));
  // Space runs again (nothing focused), Space stops it.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("Space");
  assert.equal(await state(page), "running");
  await page.keyboard.press("Space");
  assert.equal(await state(page), "stopped");
  assert.deepEqual(errors, []);
  await page.close();
});

test("editing a value mid-run stops the run cleanly", async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.selectOption("[data-testid=scenario-select]", "gather-countdown");
  await page.click("[data-testid=run]");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=console-line]").length >= 3);
  // While a run is shown the values are folded away: open them first.
  await page.click("[data-testid=about] summary");
  await page.fill("[data-testid=param-tasks]", "4");
  assert.equal(await state(page), "stopped");
  const n = (await lines(page)).length;
  await page.waitForTimeout(600);
  assert.equal((await lines(page)).length, n);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a share link round trip restores the values and autorun runs them", async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.selectOption("[data-testid=scenario-select]", "gather-countdown");
  await page.fill("[data-testid=param-tasks]", "4");
  await page.fill("[data-testid=param-base_s]", "3");
  await page.fill("[data-testid=param-speed]", "20");
  const hash = await page.evaluate(() => location.hash);
  assert.equal(hash, "#gather-countdown?tasks=4&base_s=3&speed=20");
  await page.close();

  const { page: again, errors: errors2 } = await openPage(env.browser, `${env.server.url}${hash}&autorun=1`);
  assert.equal(await again.inputValue("[data-testid=param-tasks]"), "4");
  assert.equal(await again.inputValue("[data-testid=param-base_s]"), "3");
  await finished(again);
  const got = (await lines(again)).map((l) => l.text);
  assert.deepEqual(got.slice(4), ["Received: 3", "Received: 2", "Received: 1", "Received: 0"]);
  assert.deepEqual([...errors, ...errors2], []);
  await again.close();
});

test("a link with bad values shows the messages and does not run", async () => {
  const { page, errors } = await openPage(
    env.browser,
    `${env.server.url}#hello-world?sleep_s=-5&speed=1000&nonsense=1&autorun=1`,
  );
  await page.waitForSelector("[data-testid=param-error-sleep_s]");
  assert.match(await page.textContent("[data-testid=param-error-sleep_s]"), /0 to 60 seconds/);
  assert.match(await page.textContent("[data-testid=param-error-speed]"), /0\.1 to 100x/);
  assert.match(await page.textContent("[data-testid=link-notice]"), /no parameter "nonsense"/);
  await page.waitForTimeout(300);
  assert.equal(await state(page), "idle");
  assert.ok(await page.isDisabled("[data-testid=run]"));
  assert.equal(await page.$("[data-testid=console-line]"), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a saved run is Chrome trace JSON with one track per task, and the timeline exports as SVG", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#fetch-and-count?speed=25&autorun=1`);
  await finished(page);
  // Saving loads the studio, which takes the page over and saves.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(await tool(page, "save-run"))]);
  const json = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.equal(json.interleave.format, "interleave-run/2");
  assert.equal(json.interleave.link, "fetch-and-count?speed=25");
  const tracks = new Set(json.traceEvents.filter((e) => e.ph === "b" && e.cat === "task").map((e) => e.id));
  assert.deepEqual([...tracks].sort(), [0, 1, 2]);
  const prints = json.traceEvents.filter((e) => e.ph === "n" && e.name === "print");
  assert.equal(prints.length, 13);
  const [svg] = await Promise.all([page.waitForEvent("download"), page.click(await tool(page, "export-svg"))]);
  const text = await readFile(await svg.path(), "utf8");
  assert.match(text, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("fetch-and-count at speed 1: where the real order leaves the ideal, the timeline says so and why", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#fetch-and-count?speed=1&autorun=1`);
  await finished(page);
  const got = (await lines(page)).map((l) => `${l.task} ${l.text}`);
  // The ideal order: at 2 s count's timer and fetch's fall due together, and "8" comes before
  // main's line.
  const ideal = ["1 Start fetching", ...[...Array(8).keys()].map((i) => `2 ${i}`), "1 Done fetching", "2 8", "0 {'data': 1}", "2 9"];
  assert.deepEqual([...got].sort(), [...ideal].sort(), "the same lines from the same tasks");
  const first = got.findIndex((l, i) => l !== ideal[i]);
  const note = await page.$("[data-testid=divergence]");
  if (first === -1) {
    assert.equal(note, null, "no note when the real order is the ideal one");
    console.log("fetch-and-count at speed 1: the real order was the ideal one this time");
  } else {
    assert.ok(note, `the order left the ideal at line ${first + 1} and nothing says so`);
    assert.equal(Number(await note.getAttribute("data-index")), first + 1);
    const text = await note.innerText();
    assert.match(text, /left the ideal order/);
    assert.match(text, /count\(\)'s timer/);
    assert.ok(await page.$("[data-testid=loop-lane] [data-testid=divergence-mark]"), "a mark on the event loop's lane");
    console.log(`fetch-and-count at speed 1: ${text}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
