// Without a mouse and without sight: a whole run driven by the keyboard alone; what the
// accessibility tree exposes of the timeline (each lane a list of its stretches in words); the
// polite, rate-limited announcements while a run goes on; and a "now" line that steps instead of
// sliding when the user asks for reduced motion.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useBrowser } from "./server.mjs";

const env = useBrowser();

const finished = (page) => page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });

// What has the focus, in a few words a failing assertion can show.
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return {
      testid: el?.getAttribute("data-testid") ?? "",
      id: el?.id ?? "",
      tag: el?.tagName.toLowerCase() ?? "",
      label: el?.getAttribute("aria-label") ?? "",
      task: el?.closest("[data-testid=lane]")?.getAttribute("data-task") ?? null,
    };
  });

// Presses Tab until `want` holds for the focused element; fails after `most` presses.
async function tabTo(page, want, most = 80) {
  const seen = [];
  for (let i = 0; i < most; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    if (want(f)) return f;
    seen.push(f.testid || f.id || f.tag);
  }
  assert.fail(`not reached by Tab; went through: ${seen.join(", ")}`);
}

test("a whole run with the keyboard alone: pick, set values, run, read the timeline and the code", async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  // Pick the scenario.
  await tabTo(page, (f) => f.testid === "scenario-select");
  await page.keyboard.type("One after another");
  await page.waitForFunction(() => location.hash.startsWith("#cooking"));
  // Mode: gather (a closed select changes with the arrow keys).
  await tabTo(page, (f) => f.testid === "param-mode");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.$eval("[data-testid=param-mode]", (s) => s.value), "gather");
  // Speed: 20.
  await tabTo(page, (f) => f.testid === "param-speed");
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type("20");
  // Run.
  await tabTo(page, (f) => f.testid === "run");
  await page.keyboard.press("Enter");
  await finished(page);
  // The ideal 6 s, and however late the real run's timers were.
  const announced = (await page.locator("[data-testid=announcer]").innerText()).match(/^Finished at ([\d.]+) s/);
  assert.ok(announced && Number(announced[1]) >= 6, announced?.[0]);

  // The timeline: one Tab stop per lane, the arrow keys along and across lanes.
  const first = await tabTo(page, (f) => f.testid === "segment");
  const ring = await page.evaluate(() => {
    const el = document.activeElement;
    const css = getComputedStyle(el);
    const focus = getComputedStyle(document.documentElement).getPropertyValue("--focus").trim();
    return { stroke: css.stroke, width: css.strokeWidth, focus };
  });
  assert.notEqual(ring.stroke, "none", "a focused stretch is outlined");
  assert.equal(ring.width, "2px");
  await page.keyboard.press("ArrowRight");
  const next = await focused(page);
  assert.equal(next.testid, "segment");
  assert.equal(next.task, first.task, "Right stays on the lane");
  assert.notEqual(next.label, first.label, "and moves to its next stretch");
  assert.equal(await page.locator("figcaption.tl-focus").innerText(), next.label, "the caption reads what has the focus");
  await page.keyboard.press("End");
  const last = await focused(page);
  assert.equal(last.task, first.task);
  assert.match(last.label, /^main: /);
  await page.keyboard.press("ArrowDown");
  const below = await focused(page);
  assert.equal(below.testid, "segment");
  assert.notEqual(below.task, first.task, "Down moves to the next lane");
  await page.keyboard.press("ArrowUp");
  assert.equal((await focused(page)).task, first.task, "and Up back");
  // One Tab stop per lane: Tab from a lane's stretch leaves that lane.
  await page.keyboard.press("Tab");
  const after = await focused(page);
  assert.ok(after.testid !== "segment" || after.task !== first.task, "Tab leaves the lane");

  // The code panel and the task table scroll by keyboard.
  await tabTo(page, (f) => f.id === "code-listing");
  await tabTo(page, (f) => f.label === "task table (scrolls)");
  // And Space runs it again. The run is short (0.3 s), so whether it ran is watched from
  // before the key is pressed: it may be over before the test could look.
  await page.keyboard.press("Shift+Tab");
  await page.evaluate(() => {
    document.activeElement.blur();
    window.__ranAgain = false;
    new MutationObserver(() => {
      if (document.querySelector("[data-testid=run-state][data-state=running]")) window.__ranAgain = true;
    }).observe(document.body, { attributes: true, subtree: true, childList: true, attributeFilter: ["data-state"] });
  });
  await page.keyboard.press("Space");
  await page.waitForFunction(() => window.__ranAgain);
  await finished(page);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the accessibility tree: each lane a list of its stretches in words, with how it ended", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#cpu-vs-io?salads=2&speed=2&autorun=1`);
  await finished(page);
  const lanes = page.getByRole("list", { name: "tasks" });
  const salad = lanes.getByRole("list", { name: /^chop_salad\(1\), returned None at [\d.]+ s; on the ideal schedule it ends at 2 s$/ });
  const items = await salad.ariaSnapshot();
  assert.match(items, /listitem "chop_salad\(1\): blocking the thread from [\d.]+ to [\d.]+ s \(2(\.\d+)? s\)"/);
  assert.match(items, /listitem "chop_salad\(1\) printed at [\d.]+ s: Salad 1 is ready"/);
  const second = await lanes.getByRole("list", { name: /^chop_salad\(2\)/ }).ariaSnapshot();
  assert.match(second, /listitem "chop_salad\(2\): ready, blocked by chop_salad\(1\)'+s work from [\d.]+ to [\d.]+ s/);
  const boil = await lanes.getByRole("list", { name: /^boil_water\(\)/ }).ariaSnapshot();
  assert.match(boil, /listitem "boil_water\(\): waiting on a sleep due at [\d.]+ s from [\d.]+ to [\d.]+ s \(3 s\)"/);
  assert.match(boil, /listitem "boil_water\(\): timer due, but the thread was busy from/);
  // Every task has its list; the event loop's lane says what held the thread.
  assert.equal(await lanes.getByRole("list").count(), 4);
  const loop = await page.getByTestId("loop-lane").ariaSnapshot();
  assert.match(loop, /img "blocking work held the thread [\d.]+–[\d.]+ s"/);
  assert.match(loop, /img "the main thread was busy running tasks: \d+ stretch/);
  // The decorations (the ideal's thin bars, labels, the axis) are not read out.
  const whole = await page.getByTestId("timeline").ariaSnapshot();
  assert.doesNotMatch(whole, /scenario time/);
  assert.doesNotMatch(whole, /- img\s*$/m, "no unnamed image");
  assert.deepEqual(errors, []);
  await page.close();
});

// Watches the announcer from the page's start: each text it shows, with the time it showed it.
async function listen(page) {
  await page.evaluate(() => {
    window.__said = [];
    const region = document.querySelector("[data-testid=announcer]");
    new MutationObserver(() => window.__said.push([performance.now(), region.textContent])).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  return () => page.evaluate(() => window.__said.filter(([, text]) => text.trim() !== ""));
}

test("announcements: the run's state on Run and at the end, news at most every 2.5 s, a few items each", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#cooking?mode=gather&speed=1`);
  assert.equal(await page.locator("[data-testid=announcer]").getAttribute("aria-live"), "polite");
  const said = await listen(page);
  await page.click("[data-testid=run]");
  await finished(page);
  const texts = await said();
  const words = texts.map(([, t]) => t);
  assert.match(words[0], /^Running One after another vs gathered\./);
  assert.match(words.at(-1), /^Finished at 6(\.\d+)? s \(the ideal schedule takes 6 s\): \d+ tasks, \d+ lines printed\.$/);
  const news = words.slice(1, -1);
  assert.ok(news.length >= 1, `news while the run went on: ${JSON.stringify(words)}`);
  for (const n of news) {
    assert.match(n, /printed|returned/);
    assert.ok(n.split("; ").length <= 4, `a few items at a time: ${n}`);
  }
  // Rate-limited: news never comes sooner than 2.5 s after the one before. Seen here when the
  // page writes it, which may be a few frames after the announcer decided (the first one waits
  // for the run's first drawn frames, and a busy machine draws late): half a second's leeway.
  for (let i = 1; i < texts.length - 1; i++) {
    assert.ok(texts[i][0] - texts[i - 1][0] >= 2000, `announcements ${i - 1} and ${i} came ${texts[i][0] - texts[i - 1][0]} ms apart`);
  }
  // Stop is announced.
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=running]");
  await page.waitForTimeout(300);
  await page.click("[data-testid=stop]");
  await page.waitForFunction(() => /^Stopped at/.test(document.querySelector("[data-testid=announcer]").textContent));
  assert.deepEqual(errors, []);
  await page.close();
});

// Where the "now" line is, sampled every animation frame for `ms`: the times it moved.
const moves = (page, ms) =>
  page.evaluate(
    (ms) =>
      new Promise((done) => {
        const line = document.querySelector(".tl-lanes .tl-nowline");
        const start = performance.now();
        let last = line.style.transform;
        const times = [];
        const tick = (t) => {
          if (line.style.transform !== last) {
            last = line.style.transform;
            times.push(t);
          }
          if (t - start < ms) requestAnimationFrame(tick);
          else done(times);
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );

test("reduced motion: the now line steps once a second instead of sliding; otherwise it slides", async () => {
  for (const reducedMotion of ["reduce", "no-preference"]) {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 }, reducedMotion });
    await page.goto(`${env.server.url}#cooking?mode=gather&speed=1&autorun=1`);
    await page.waitForSelector("[data-testid=run-state][data-state=running]");
    await page.waitForSelector(".tl-lanes .tl-nowline");
    const times = await moves(page, 3000);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    if (reducedMotion === "reduce") {
      assert.ok(times.length >= 2, `the line still moves: ${times.length} moves`);
      assert.ok(Math.min(...gaps) >= 800, `steps at least a second apart: ${gaps.map(Math.round)}`);
    } else {
      assert.ok(gaps.filter((g) => g < 200).length >= 5, `it slides: ${times.length} moves in 3 s`);
    }
    await page.close();
  }
});
