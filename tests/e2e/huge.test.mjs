// Huge values within range are accepted and handled: a million sleeping tasks run to the end
// while the page goes on drawing, and a 600 s sleep (at speed 100) ends where it should.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useBrowser } from "./server.mjs";

const env = useBrowser();

/// Starts recording the intervals between animation frames.
async function watchFrames(page) {
  await page.evaluate(() => {
    window.__frames = [];
    let prev = performance.now();
    const tick = (t) => {
      window.__frames.push(t - prev);
      prev = t;
      if (!window.__stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function frameFigures(page) {
  return page.evaluate(() => {
    window.__stopFrames = true;
    const f = [...window.__frames].sort((a, b) => a - b);
    const pct = (p) => f[Math.min(f.length - 1, Math.round((f.length - 1) * p))];
    return { count: f.length, p50: pct(0.5), p95: pct(0.95), max: f[f.length - 1] };
  });
}

async function runToTheEnd(page, timeout) {
  await page.click("[data-testid=run]");
  await page.waitForFunction(
    () => document.querySelector("[data-testid=run-state]")?.dataset.state === "finished",
    null,
    { timeout, polling: 200 },
  );
}

test("a million sleeping tasks run to the end and the page keeps drawing", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#many-tasks?tasks=1000000&sleep_s=1`);
  assert.equal(await page.locator("[data-testid=param-error-tasks]").count(), 0, "1,000,000 is in range");
  await watchFrames(page);
  const started = Date.now();
  await runToTheEnd(page, 180_000);
  const wall = Date.now() - started;
  const frames = await frameFigures(page);
  const lines = await page.locator("[data-testid=console-line] .text").allInnerTexts();
  assert.equal(lines.at(-1), "all 1000000 tasks are done");
  // Lanes it cannot draw one by one are summarised.
  assert.ok((await page.locator("[data-testid=lane]").count()) <= 1000);
  assert.ok((await page.locator("rect.density").count()) > 0, "the hidden tasks are a density band");
  const memory = await page.evaluate(() => window.wasmBindings.interleave_wasm_memory());
  console.log(
    `1,000,000 tasks: finished in ${(wall / 1000).toFixed(1)} s; frames: ${frames.count}, ` +
      `p50 ${frames.p50.toFixed(0)} ms, p95 ${frames.p95.toFixed(0)} ms, longest ${frames.max.toFixed(0)} ms; ` +
      `wasm memory ${(memory / 1e6).toFixed(0)} MB`,
  );
  // The page drew all along, apart from the run's own synchronous start (a gather that creates
  // a million tasks holds the thread, as it would in asyncio) and the ideal schedule's.
  assert.ok(frames.p50 < 250, `median frame interval ${frames.p50} ms`);
  assert.ok(frames.max < 5_000, `a frame took ${frames.max} ms`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a 600 s countdown at speed 100 ends at 600 s", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#gather-countdown?tasks=3&base_s=600&speed=100`);
  await runToTheEnd(page, 30_000);
  const times = await page.locator("[data-testid=console-line]").evaluateAll((ls) =>
    ls.map((l) => [Number(l.dataset.time), l.querySelector(".text").textContent]),
  );
  // Task x sleeps 600 - x s from when it started. At speed 100 a scenario second is 10 ms, so
  // on a loaded machine the three may start more than a second apart and end in another order:
  // each one's own sleep is what must hold.
  const at = (prefix, suffix) =>
    Object.fromEntries(
      times
        .filter(([, t]) => t.startsWith(prefix) && t.endsWith(suffix))
        .map(([when, t]) => [t.replace(prefix, "").replace(suffix, "").trim(), when]),
    );
  const started = at("", " started");
  const received = at("Received:", "");
  assert.deepEqual(Object.keys(received).sort(), ["0", "1", "2"], JSON.stringify(times));
  for (const x of [0, 1, 2]) {
    const slept = received[x] - started[x];
    assert.ok(slept >= 600 - x - 0.01 && slept < 600 - x + 60, `task ${x} slept ${slept} s`);
  }
  const end = Math.max(...Object.values(received));
  assert.ok(end >= 600 && end < 660, `ended at ${end} s`);
  assert.deepEqual(errors, []);
  await page.close();
});
