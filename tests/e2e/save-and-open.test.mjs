// Saving a run and opening it again: the page loads its studio on demand (a second module) and
// hands it the run; the file opens later, in a fresh page, exactly as the run was; a file that
// is not a run is refused with a message and changes nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPage, tool, useBrowser } from "./server.mjs";

const env = useBrowser();

const settled = (page, state) =>
  page.waitForSelector(`[data-testid=run-state][data-state=${state}]`, { timeout: 60000 });

// What a learner sees of a run: lanes (name and how each ended), console lines, figures, the
// event count, and where the cursor stands.
async function seen(page) {
  return {
    lanes: await page.$$eval("[data-testid=lane]", (ls) => ls.map((l) => l.textContent)),
    lines: await page.$$eval("[data-testid=console-line]", (ls) => ls.map((l) => `${l.dataset.time} ${l.textContent}`)),
    figures: await page.textContent("[data-testid=figures]"),
    events: await page.$eval("[data-testid=event-index]", (e) => [e.dataset.index, e.dataset.count].join(" of ")),
    state: await page.getAttribute("[data-testid=run-state]", "data-state"),
    values: await page.textContent("[data-testid=about] .values-line"),
  };
}

async function saveRun(page) {
  const save = await tool(page, "save-run");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(save)]);
  return readFile(await download.path(), "utf8");
}

test("a saved run reopens in a fresh page identical: same lanes, lines, figures and events, the cursor at its end", async () => {
  const requests = [];
  const { page, errors } = await openPage(env.browser, `${env.server.url}#cooking?mode=gather&durations=3,1,2&speed=20`);
  page.on("request", (r) => {
    if (!/^(blob|data):/.test(r.url())) requests.push(new URL(r.url()).pathname);
  });
  await page.click("[data-testid=run]");
  await settled(page, "finished");
  const before = await seen(page);
  const text = await saveRun(page);
  // The studio took the page over and shows the same run.
  assert.deepEqual(await seen(page), before);
  // Its two files were all the page asked for after loading, once.
  assert.deepEqual(requests.sort(), ["/interleave-studio.js", "/interleave-studio_bg.wasm", "/studio.css"]);
  const file = JSON.parse(text);
  assert.equal(file.interleave.format, "interleave-run/2");
  assert.equal(file.interleave.link, "cooking?durations=3,1,2&mode=gather&speed=20");
  assert.ok(Array.isArray(file.traceEvents) && file.traceEvents.length > 0, "it is still a Chrome trace");
  await page.close();

  const dir = await mkdtemp(join(tmpdir(), "interleave-run-"));
  const path = join(dir, "cooking.json");
  await writeFile(path, text);
  const fresh = await openPage(env.browser, `${env.server.url}`);
  await fresh.page.setInputFiles(await tool(fresh.page, "open-run"), path);
  await settled(fresh.page, "finished");
  await fresh.page.waitForSelector("[data-testid=console-line]");
  const after = await seen(fresh.page);
  assert.deepEqual(after, before);
  const [k, n] = after.events.split(" of ");
  assert.equal(k, n, "the cursor stands at the end");
  assert.equal(await fresh.page.$("[data-testid=run-message]"), null);
  // Studied like any run: stepping back from the end moves the cursor.
  await fresh.page.click("[data-testid=step-back]");
  assert.equal(Number(await fresh.page.getAttribute("[data-testid=event-index]", "data-index")), Number(n) - 1);
  assert.deepEqual([...errors, ...fresh.errors], []);
  await fresh.page.close();
});

test("a stopped run reopens stopped, where it was stopped", async () => {
  // Speed 1: the run lasts 2.25 s, time enough to stop it on a busy machine.
  const { page, errors } = await openPage(env.browser, `${env.server.url}#fetch-and-count?speed=1`);
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=console-line]");
  await page.click("[data-testid=stop]");
  await settled(page, "stopped");
  const before = await seen(page);
  const text = await saveRun(page);
  assert.equal(JSON.parse(text).interleave.stopped, true);
  // Open it in the studio itself (the page is the studio now), over the same run.
  const dir = await mkdtemp(join(tmpdir(), "interleave-run-"));
  await writeFile(join(dir, "stopped.json"), text);
  await page.click("[data-testid=reset]");
  await page.setInputFiles(await tool(page, "open-run"), join(dir, "stopped.json"));
  await settled(page, "stopped");
  assert.deepEqual(await seen(page), before);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a file that is not a run is refused with a message next to the tools, and the view stays as it was", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#hello-world?speed=20&autorun=1`);
  await settled(page, "finished");
  const before = await seen(page);
  const dir = await mkdtemp(join(tmpdir(), "interleave-bad-"));
  const cases = [
    ["not-json.json", "this is not JSON at all", /not valid JSON/],
    ["no-run.json", JSON.stringify({ traceEvents: [] }), /has no run in it/],
    [
      "hostile.json",
      JSON.stringify({ interleave: { format: "interleave-run/2", link: "cooking", now: 1, stopped: false, tasks: "0\t0\tmain\n", chains: "", events: "", dropped: "0\t0\t0", work: "", visibility: "" } }),
      /parent is not an earlier task/,
    ],
    [
      "unknown-scenario.json",
      JSON.stringify({ interleave: { format: "interleave-run/2", link: "no-such-thing?x=1", now: 1, stopped: false, tasks: "-1\t0\tmain\n", chains: "", events: "", dropped: "0\t0\t0", work: "", visibility: "" } }),
      /cannot be shown/,
    ],
  ];
  for (const [name, body, why] of cases) {
    await writeFile(join(dir, name), body);
    await page.setInputFiles(await tool(page, "open-run"), join(dir, name));
    await page.waitForFunction(
      () => /refused|not a run|cannot be shown/.test(document.querySelector("[data-testid=run-message]")?.textContent ?? ""),
      null,
      { timeout: 20000 },
    );
    assert.match(await page.textContent("[data-testid=run-message]"), why, name);
    assert.deepEqual(await seen(page), before, `${name} changed nothing`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("a file dropped on the page opens as a run", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#hello-world?speed=20&autorun=1`);
  await settled(page, "finished");
  const before = await seen(page);
  const text = await saveRun(page);
  await page.click("[data-testid=reset]");
  const transfer = await page.evaluateHandle((body) => {
    const dt = new DataTransfer();
    dt.items.add(new File([body], "run.json", { type: "application/json" }));
    return dt;
  }, text);
  await page.dispatchEvent(".app", "drop", { dataTransfer: transfer });
  await settled(page, "finished");
  assert.deepEqual(await seen(page), before);
  assert.deepEqual(errors, []);
  await page.close();
});

test("asking twice while the studio loads hands the page over once", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#hello-world?speed=20&autorun=1`);
  await settled(page, "finished");
  await page.dblclick("[data-testid=tools]");
  await page.waitForSelector("[data-testid=tools-menu]", { timeout: 20000 });
  await page.waitForTimeout(500);
  assert.equal(await page.$$eval(".app", (a) => a.length), 1, "one page");
  assert.equal(await page.$$eval("[data-testid=run]", (r) => r.length), 1);
  assert.deepEqual(errors, []);
  await page.close();
});
