// The browser benchmark (`make bench`): N = 1,000, 10,000 and 100,000 tasks each sleeping 1 s,
// started at once and awaited together, in Interleave's browser runtime (instrumented, and bare
// on the same runtime), in plain JavaScript in the same page session, and in CPython asyncio on
// the same machine; then frame times with 1,000 lanes, the shipped size and the time to the first
// interactive render. Prints one table with figures and ratios. Run after `make release`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { serveDist } from "../tests/e2e/server.mjs";

const SIZES = (process.env.BENCH_N ?? "1000,10000,100000").split(",").map(Number).filter((n) => n > 0);
const server = await serveDist();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
    "--js-flags=--expose-gc", "--enable-precise-memory-info"],
});

async function freshPage() {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForSelector("[data-testid=scenario-select]");
  await page.evaluate(() => window.gc?.());
  return page;
}

async function plainJs(page, n) {
  return page.evaluate(async (n) => {
    window.gc?.();
    const heapBefore = performance.memory.usedJSHeapSize;
    const late = [];
    let peak = heapBefore;
    const start = performance.now();
    let last = start;
    const sleeper = () =>
      new Promise((resolve) => {
        const due = performance.now() + 1000;
        setTimeout(() => {
          const now = performance.now();
          late.push(now - due);
          last = Math.max(last, now);
          resolve();
        }, 1000);
      });
    const all = Promise.all(Array.from({ length: n }, sleeper));
    peak = Math.max(peak, performance.memory.usedJSHeapSize);
    await all;
    late.sort((a, b) => a - b);
    const pct = (p) => late[Math.min(late.length - 1, Math.round((late.length - 1) * p))];
    return { overhead_ms: last - start - 1000, late_p50_ms: pct(0.5), late_p99_ms: pct(0.99), bytes_per_task: (peak - heapBefore) / n };
  }, n);
}

const rows = [];
for (const n of SIZES) {
  const page = await freshPage();
  const inst = await page.evaluate((n) => window.wasmBindings.interleave_bench(n, 1, true), n);
  const js = await plainJs(page, n);
  await page.close();
  const barePage = await freshPage();
  const bare = await barePage.evaluate((n) => window.wasmBindings.interleave_bench(n, 1, false), n);
  await barePage.close();
  const py = JSON.parse(spawnSync("python3", ["benches/asyncio_sleep.py", String(n)], { encoding: "utf8" }).stdout);
  rows.push({ n, inst, bare, js, py });
  console.error(`[bench] N=${n} done`);
}

// Through the page, as a user runs it: a link opened, Run pressed, the figures read when the run
// is over; the plain-JavaScript baseline of each runs in a fresh blank page of the same browser.
async function blankPage() {
  const page = await browser.newPage();
  await page.setContent("<!doctype html><title>blank</title>");
  return page;
}

async function throughPage(link, { frames = false } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}#${link}`);
  await page.waitForSelector("[data-testid=run]:not([disabled])");
  if (frames) {
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
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 300000 });
  const r = await page.evaluate(() => {
    window.__stopFrames = true;
    const secs = (id) => Number(document.querySelector(`[data-testid=${id}]`)?.dataset.seconds);
    const lane = document.querySelector("[data-testid=loop-lane]");
    const f = (window.__frames || []).slice(1).sort((a, b) => a - b);
    const pct = (p) => f[Math.min(f.length - 1, Math.round((f.length - 1) * p))];
    return {
      elapsed: secs("elapsed"),
      ideal: secs("ideal-elapsed"),
      late: Number(lane?.dataset.late ?? NaN),
      unexplained: Number(lane?.dataset.unexplained ?? NaN),
      frames: f.length ? { p50: pct(0.5), p95: pct(0.95), max: f[f.length - 1], count: f.length } : null,
    };
  });
  await page.close();
  return r;
}

// A chain of `bots` invitations, each a sleep of 0.5 ms then one of 30 ms (scaled by the speed),
// awaited one after another: what bot-invitations one by one does with busy_extra_ms=0.
async function jsChain(speed, bots) {
  const page = await blankPage();
  const ms = await page.evaluate(async ([speed, bots]) => {
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const start = performance.now();
    for (let i = 0; i < bots; i++) {
      await sleep(0.5 / speed);
      await sleep(30 / speed);
    }
    return performance.now() - start;
  }, [speed, bots]);
  await page.close();
  return (ms * speed) / 1000;
}

// The same invitations all at once, gathered.
async function jsBurst(bots) {
  const page = await blankPage();
  const ms = await page.evaluate(async (bots) => {
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const start = performance.now();
    await Promise.all(Array.from({ length: bots }, async () => {
      await sleep(0.5);
      await sleep(30);
    }));
    return performance.now() - start;
  }, bots);
  await page.close();
  return ms / 1000;
}

const chains = [];
for (const speed of [1, 10, 100]) {
  const link = `bot-invitations?bots=100&busy_extra_ms=0&mode=one_by_one&speed=${speed}`;
  const page = await throughPage(link);
  const js = await jsChain(speed, 100);
  chains.push({ speed, page, js });
  console.error(`[bench] chain at speed ${speed} done`);
}
const burst = await throughPage("bot-invitations?bots=30&mode=all_at_once&speed=1");
const burstJs = await jsBurst(30);
const many = await throughPage("many-tasks?tasks=100000&sleep_s=1&speed=1", { frames: true });
// As lean as plain JavaScript gets: no reading of the clock or recording in the callbacks.
async function jsMany(n) {
  const page = await blankPage();
  const ms = await page.evaluate(async (n) => {
    const start = performance.now();
    await Promise.all(Array.from({ length: n }, () => new Promise((r) => setTimeout(r, 1000))));
    return performance.now() - start;
  }, n);
  await page.close();
  return { overhead_ms: ms - 1000 };
}
const manyJs = await jsMany(100000);
const million = await throughPage("many-tasks?tasks=1000000&sleep_s=1&speed=1", { frames: true });
console.error("[bench] through the page done");

// Frame intervals while 1,000 lanes run.
const framePage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await framePage.goto(`${server.url}#many-tasks?tasks=1000&sleep_s=4&speed=1`);
await framePage.waitForSelector("[data-testid=run]");
await framePage.click("[data-testid=run]");
const frames = await framePage.evaluate(async () => {
  await new Promise((r) => setTimeout(r, 300));
  const deltas = [];
  let prev = performance.now();
  const end = prev + 2500;
  await new Promise((resolve) => {
    const tick = (t) => {
      deltas.push(t - prev);
      prev = t;
      if (t < end) requestAnimationFrame(tick);
      else resolve();
    };
    requestAnimationFrame(tick);
  });
  deltas.sort((a, b) => a - b);
  const pct = (p) => deltas[Math.min(deltas.length - 1, Math.round((deltas.length - 1) * p))];
  return { p50: pct(0.5), p95: pct(0.95), count: deltas.length, lanes: document.querySelectorAll("[data-testid=lane]").length };
});
await framePage.close();

// Time from navigation to the first interactive render (Run enabled), over 5 loads.
const firsts = [];
for (let i = 0; i < 5; i++) {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    new MutationObserver((_, obs) => {
      const run = document.querySelector("[data-testid=run]");
      if (run && !run.disabled) {
        window.__interactive = performance.now();
        obs.disconnect();
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => window.__interactive);
  firsts.push(await page.evaluate(() => window.__interactive));
  await context.close();
}
firsts.sort((a, b) => a - b);

// Code mode's interpreter: pure-Python loops run in the page (compiled and run on the virtual
// clock) against CPython natively on the same machine, each the best of 3, interpreter start-up
// left out of both.
const PYTHON_LOOPS = {
  "sum over range(1,000,000)": "total = 0\nfor i in range(1000000):\n    total += i\n",
  "a list of 1,000,000 built": "xs = []\nfor i in range(1000000):\n    xs.append(i * 2)\n",
  "100,000 function calls": "def add(a, b):\n    return a + b\nt = 0\nfor i in range(100000):\n    t = add(t, i)\n",
  "100,000 f-strings formatted": "n = 0\nfor i in range(100000):\n    s = f'item {i:>6} costs {i * 0.5:.2f}'\n    n += len(s)\n",
};
// The reference is CPython 3.12 (as the conformance tier's), where the machine has it.
const loopPython =
  process.env.PYTHON ?? (spawnSync("python3.12", ["-c", "pass"]).status === 0 ? "python3.12" : "python3");
const loopPythonVersion = spawnSync(loopPython, ["-c", "import platform; print(platform.python_version())"], {
  encoding: "utf8",
}).stdout.trim();
const loops = [];
{
  const page = await freshPage();
  for (const [name, source] of Object.entries(PYTHON_LOOPS)) {
    const ours = Math.min(...(await page.evaluate((src) => [0, 1, 2].map(() => window.wasmBindings.interleave_python(src)), source)));
    const timer = `import time\nsrc = open(0).read()\nbest = 1e9\nfor _ in range(3):\n    t = time.perf_counter()\n    exec(compile(src, 'p', 'exec'), {})\n    best = min(best, time.perf_counter() - t)\nprint(best * 1000)\n`;
    const py = spawnSync(loopPython, ["-c", timer], { input: source, encoding: "utf8" });
    loops.push({ name, ours, cpython: Number(py.stdout.trim()) });
  }
  await page.close();
}

await browser.close();
await server.close();

// Shipped size.
let gz = 0;
// The size of the shipped build (dist/, without the benchmark's entry points), if it is there.
const shipped = existsSync("dist") ? "dist" : process.env.DIST;
for (const f of readdirSync(shipped)) {
  if (/\.(wasm|js|css)$/.test(f)) gz += gzipSync(readFileSync(`${shipped}/${f}`), { level: 9 }).length;
}

const f1 = (x) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(1));
const f0 = (x) => (x === undefined || Number.isNaN(x) ? "–" : Math.round(x).toLocaleString("en-US"));
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}x` : "–");
console.log("\n| N | runtime | overhead ms | lateness p50 ms | p99 ms | memory per sleeping task B | peak per task B |");
console.log("|---:|---|---:|---:|---:|---:|---:|");
for (const { n, inst, bare, js, py } of rows) {
  console.log(`| ${f0(n)} | Interleave, instrumented | ${f1(inst.overhead_ms)} | ${f1(inst.late_p50_ms)} | ${f1(inst.late_p99_ms)} | ${f0(inst.memory_sleeping / n)} (wasm) | ${f0(inst.memory_growth / n)} |`);
  console.log(`| ${f0(n)} | Interleave, bare futures | ${f1(bare.overhead_ms)} | ${f1(bare.late_p50_ms)} | ${f1(bare.late_p99_ms)} | ${f0(bare.memory_sleeping / n)} (wasm) | ${f0(bare.memory_growth / n)} |`);
  console.log(`| ${f0(n)} | plain JavaScript | ${f1(js.overhead_ms)} | ${f1(js.late_p50_ms)} | ${f1(js.late_p99_ms)} | ${f0(js.bytes_per_task)} (JS heap) | – |`);
  console.log(`| ${f0(n)} | CPython ${py.python} asyncio | ${f1(py.overhead_ms)} | ${f1(py.late_p50_ms)} | ${f1(py.late_p99_ms)} | ${f0(py.bytes_per_task)} (Python heap) | – |`);
}
{
  const last = rows.at(-1);
  if (last) {
    const i = last.inst;
    const known = i.task_record + i.task_info + i.event;
    console.log(`\nWhere a sleeping task's memory goes (wasm32, N=${f0(last.n)}): ${f0(i.memory_sleeping / last.n)} B in all = ` +
      `task record ${i.task_record} (its state machine included: no future is kept) + ` +
      `task table ${i.task_info} + 1 event of ${i.event} (its pause, which implies its first poll began then) = ${known} B of sizes; ` +
      `the runtime's task (it holds the ${i.driver} B driver) and timer (bare futures: ${f0(last.bare.memory_sleeping / last.n)} B), ` +
      `allocator headers and growth make the rest (a task in a loop or an inline call adds levels of ${i.level} B)`);
  }
}
console.log("\nWhere Interleave's time goes (instrumented): starting every sleep (spawn, first poll, timer), firing them all (each fired sleep's task runs before the next fires), the rest.");
for (const { n, inst } of rows) {
  console.log(`  N=${f0(n)}: start ${f1(inst.setup_ms)} ms, fire ${f1(inst.firing_ms)} ms (${f1((inst.firing_ms * 1000) / n)} µs a sleep), after ${f1(inst.tail_ms)} ms`);
}
console.log("\n| N | overhead vs JS | vs CPython | p99 vs JS | instrumentation cost per poll |");
console.log("|---:|---:|---:|---:|---:|");
for (const { n, inst, bare, js, py } of rows) {
  const perPoll = ((inst.overhead_ms - bare.overhead_ms) * 1000) / inst.polls;
  console.log(`| ${f0(n)} | ${ratio(inst.overhead_ms, js.overhead_ms)} | ${ratio(inst.overhead_ms, py.overhead_ms)} | ${ratio(inst.late_p99_ms, js.late_p99_ms)} | ${f1(perPoll)} µs (${f0(inst.polls)} polls) |`);
}
console.log("\nThrough the page, as a user runs it (scenario seconds; plain JavaScript in a fresh blank page):");
console.log("| run | Interleave elapsed | ideal | Interleave from ideal | plain JS elapsed | JS from ideal | ratio | late timers (unexplained) |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const { speed, page, js } of chains) {
  const d = page.elapsed - page.ideal;
  const dj = js - page.ideal;
  console.log(`| bot-invitations one by one, 100 bots, speed ${speed} | ${page.elapsed.toFixed(3)} | ${page.ideal.toFixed(3)} | ${d.toFixed(3)} | ${js.toFixed(3)} | ${dj.toFixed(3)} | ${ratio(d, dj)} | ${page.late} (${page.unexplained}) |`);
}
{
  const d = burst.elapsed - burst.ideal;
  console.log(`| bot-invitations all at once, 30 bots, speed 1 | ${burst.elapsed.toFixed(4)} | ${burst.ideal.toFixed(4)} | ${(d * 1000).toFixed(1)} ms | ${burstJs.toFixed(4)} | ${((burstJs - burst.ideal) * 1000).toFixed(1)} ms | ${ratio(d, burstJs - burst.ideal)} | ${burst.late} (${burst.unexplained}) |`);
  const o = (many.elapsed - 1) * 1000;
  console.log(`| many-tasks 100,000 x 1 s, overhead | ${f1(o)} ms | | | ${f1(manyJs.overhead_ms)} ms | | ${ratio(o, manyJs.overhead_ms)} | ${many.late} (${many.unexplained}) |`);
  console.log(`\nmany-tasks 100,000 on the page: frames p50 ${f1(many.frames?.p50)} ms, p95 ${f1(many.frames?.p95)} ms, longest ${f1(many.frames?.max)} ms`);
  console.log(`many-tasks 1,000,000 on the page: elapsed ${million.elapsed.toFixed(2)} s; frames p50 ${f1(million.frames?.p50)} ms, p95 ${f1(million.frames?.p95)} ms, longest ${f1(million.frames?.max)} ms over ${million.frames?.count} frames`);
}

console.log(`\nCode mode's interpreter in the page against CPython ${loopPythonVersion} natively (best of 3, ms):`);
console.log(`| loop | Interleave (wasm, in the page) | CPython ${loopPythonVersion} | ratio |`);
console.log("|---|---:|---:|---:|");
for (const { name, ours, cpython } of loops) {
  console.log(`| ${name} | ${f1(ours)} | ${f1(cpython)} | ${ratio(ours, cpython)} |`);
}

console.log(`\nFrames with ${frames.lanes} lanes drawn (1,000 tasks running): p50 ${f1(frames.p50)} ms, p95 ${f1(frames.p95)} ms over ${frames.count} frames`);
console.log(`Shipped (wasm + js + css, gzipped): ${f0(gz)} B`);
console.log(`First interactive render (Run enabled), 5 loads: median ${f1(firsts[2])} ms, best ${f1(firsts[0])} ms, worst ${f1(firsts[4])} ms`);
