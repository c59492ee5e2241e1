// Stop, Reset and switch at any moment: 504 runs started and cut short at random moments in one
// page (36 rounds over the 14 scenarios), then no timer, task or runtime may survive, nothing
// may be recorded after the last stop, and memory from its level a third of the
// way through (after one finished 2,000-task run and twelve rounds), measured in the same view,
// must not grow in both the second and the last third.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { useBrowser } from "./server.mjs";

// With a collectable heap and precise memory figures.
const env = useBrowser(() =>
  chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
      "--js-flags=--expose-gc", "--enable-precise-memory-info",
    ],
  }),
);

test("504 runs stopped, reset or switched at random moments leave nothing behind", async () => {
  const page = await env.browser.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(env.server.url);
  await page.waitForSelector("[data-testid=scenario-select]");

  const result = await page.evaluate(async () => {
    const $ = (id) => document.querySelector(`[data-testid=${id}]`);
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    let seed = 12345;
    const rand = (n) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed >> 12) % n;
    };
    const ids = [...$("scenario-select").options].map((o) => o.value);
    const setField = (name, value) => {
      const el = $(`param-${name}`);
      el.value = value;
      el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
    };
    const measure = async () => {
      for (let i = 0; i < 3; i++) {
        window.gc?.();
        await sleep(20);
      }
      return {
        wasm: window.wasmBindings.interleave_wasm_memory(),
        inUse: window.wasmBindings.interleave_heap_in_use(),
        heap: performance.memory.usedJSHeapSize,
      };
    };
    // Always measured in one view: many-tasks with 2,000 tasks, no run held.
    const measureInBaselineView = async () => {
      $("stop").click();
      $("reset").click();
      $("scenario-select").value = "many-tasks";
      $("scenario-select").dispatchEvent(new Event("change", { bubbles: true }));
      await frame();
      setField("tasks", "2000");
      setField("speed", "100");
      await frame();
      return measure();
    };
    let first = null;
    let middle = null;
    let runs = 0;
    const endings = { stop: 0, reset: 0, switch: 0, edit: 0 };
    for (let round = 0; round < 36; round++) {
      for (const id of ids) {
        $("scenario-select").value = id;
        $("scenario-select").dispatchEvent(new Event("change", { bubbles: true }));
        await frame();
        setField("speed", String(50 + rand(51)));
        if (id === "many-tasks") setField("tasks", "2000");
        await frame();
        if ($("run").disabled) throw new Error(`Run disabled for ${id}`);
        $("run").click();
        runs++;
        await sleep(rand(60));
        await frame();
        const how = ["stop", "reset", "switch", "edit"][rand(4)];
        endings[how]++;
        if (how === "stop") $("stop").click();
        else if (how === "reset") {
          $("stop").click();
          $("reset").click();
        } else if (how === "switch") {
          $("scenario-select").value = ids[rand(ids.length)];
          $("scenario-select").dispatchEvent(new Event("change", { bubbles: true }));
        } else setField("speed", String(50 + rand(51)));
        await frame();
      }
      if (round === 0) {
        // The largest view the rounds can make (a finished run of 2,000 tasks), drawn once
        // early: the first time the page holds that many elements, wasm-bindgen's table of
        // JavaScript objects doubles, which is growth but not a leak.
        $("scenario-select").value = "many-tasks";
        $("scenario-select").dispatchEvent(new Event("change", { bubbles: true }));
        await frame();
        setField("tasks", "2000");
        setField("speed", "100");
        await frame();
        $("run").click();
        const until = performance.now() + 30000;
        while ($("run-state").dataset.state !== "finished" && performance.now() < until) await sleep(50);
        await frame();
        $("stop").click();
        $("reset").click();
        await frame();
      }
      // Measured at a third and two thirds of the way, and at the end: what runs leave behind
      // grows in both stretches; a high-water mark (wasm-bindgen's table of JavaScript objects
      // doubling the first time the page holds that many, a vector doubling) grows once.
      if (round === 11) first = await measureInBaselineView();
      if (round === 23) middle = await measureInBaselineView();
    }
    // Everything is over: no timer pending, no task future alive, nothing printed afterwards.
    $("stop").click();
    await sleep(50);
    const lines = document.querySelectorAll("[data-testid=console-line]").length;
    await sleep(400);
    const linesLater = document.querySelectorAll("[data-testid=console-line]").length;
    $("reset").click();
    const last = await measureInBaselineView();
    return {
      runs,
      endings,
      first,
      middle,
      last,
      timers: window.wasmBindings.interleave_live_timers(),
      tasks: window.wasmBindings.interleave_live_tasks(),
      runtimes: window.wasmBindings.interleave_live_runtimes(),
      lines,
      linesLater,
      state: $("run-state").dataset.state,
    };
  });

  console.log(
    `stress: ${result.runs} runs (${JSON.stringify(result.endings)}); wasm heap in use ${result.first.inUse} -> ${result.middle.inUse} -> ${result.last.inUse} B ` +
      `(module memory ${result.first.wasm} -> ${result.last.wasm} B, its high-water mark); ` +
      `JS heap ${result.first.heap} -> ${result.middle.heap} -> ${result.last.heap} B; live timers ${result.timers}, live tasks ${result.tasks}, runtimes ${result.runtimes}`,
  );
  assert.equal(result.runs, 504);
  assert.equal(result.timers, 0, "a timer survived");
  assert.equal(result.tasks, 0, "a task survived");
  assert.equal(result.runtimes, 0, "a run's runtime survived");
  assert.equal(result.linesLater, result.lines, "something was printed after the last stop");
  // A leak of 40 B a run or more grows both stretches by 5% or more.
  const grew = (key) => [result.middle[key] - result.first[key], result.last[key] - result.middle[key]];
  const wasm = grew("inUse");
  assert.ok(Math.min(...wasm) <= result.first.inUse * 0.05, `the wasm heap in use grew in both stretches: ${wasm}`);
  const js = grew("heap");
  assert.ok(Math.min(...js) <= result.first.heap * 0.05, `the JS heap grew in both stretches: ${js}`);
  assert.ok(result.last.inUse <= result.first.inUse * 1.5, "the wasm heap in use grew by half");
  assert.deepEqual(errors, []);
  await page.close();
});
