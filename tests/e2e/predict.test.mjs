// Predict, then run: the lines offered in the order of their print statements, the timeline and
// console hidden until the prediction is committed, committing runs, and the first wrong line
// caught with a sentence of why and the cursor on it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, tool, useBrowser } from "./server.mjs";

const env = useBrowser();

const lines = (page) => page.$$eval("[data-testid=prediction-line] .predict-text", (ls) => ls.map((l) => l.textContent));

async function predict(page) {
  await page.click(await tool(page, "predict"));
  await page.waitForSelector("[data-testid=prediction-line]");
}

test("a prediction in the wrong order is caught at its first wrong line, with why, and the cursor on it", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#cooking?mode=gather&durations=6,3&speed=20`);
  await predict(page);
  // Offered in code order, not in the order they will come.
  assert.deepEqual(await lines(page), ["starting 3 sleep", "starting 6 sleep", "finished 3 sleep", "finished 6 sleep", "[6, 3]"]);
  // Nothing gives the answer away meanwhile.
  assert.equal(await page.isVisible(".console-panel"), false);
  assert.equal(await page.isVisible("[data-testid=timeline-empty]"), false);
  assert.ok(await page.isVisible("#code-listing"), "the code stays to read");
  // Move "finished 6 sleep" above "finished 3 sleep" with the keyboard's buttons.
  await page.getByRole("button", { name: "Move “finished 6 sleep” up" }).click();
  assert.deepEqual(await lines(page), ["starting 3 sleep", "starting 6 sleep", "finished 6 sleep", "finished 3 sleep", "[6, 3]"]);
  await page.fill("[data-testid=prediction-time]", "9");
  await page.click("[data-testid=commit-prediction]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });
  const miss = await page.waitForSelector("[data-testid=prediction-diverges]");
  // The real run printed "starting 6 sleep" first: the first line predicted is already wrong.
  assert.equal(await miss.getAttribute("data-index"), "1");
  assert.match(await miss.textContent(), /^The 1st line was “starting 6 sleep”, printed by sleep_and_print\(6\) at [\d.]+ s, not “starting 3 sleep”: sleep_and_print\(6\) was ready first/);
  // A real run takes its ideal time and however late its timers were.
  const took = (await page.textContent("[data-testid=prediction]")).match(/You expected 9 s; it took ([\d.]+) s \(the ideal schedule 6 s\)/);
  assert.ok(took && Number(took[1]) >= 6, took?.[0]);
  // The cursor stands on that line's print; the console is back.
  assert.ok(await page.isVisible(".console-panel"));
  const at = Number(await page.getAttribute("[data-testid=cursor]", "data-seconds"));
  const printed = Number(await page.getAttribute("[data-testid=console-line] >> nth=0", "data-time"));
  assert.ok(Math.abs(at - printed) < 0.001, `cursor at ${at}, the line printed at ${printed}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a right prediction is told so; dragging reorders lines too", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#cooking?mode=gather&speed=20`);
  await predict(page);
  // Drag the last line to the top, then back to the end.
  const items = page.locator("[data-testid=prediction-line]");
  await items.nth(4).dragTo(items.nth(0));
  assert.equal((await lines(page))[0], "[3, 6]");
  await page.locator("[data-testid=prediction-line]").nth(0).dragTo(page.locator("[data-testid=prediction-line]").nth(4));
  assert.deepEqual(await lines(page), ["starting 3 sleep", "starting 6 sleep", "finished 3 sleep", "finished 6 sleep", "[3, 6]"]);
  await page.click("[data-testid=commit-prediction]");
  await page.waitForSelector("[data-testid=prediction-right]", { timeout: 60000 });
  assert.equal(await page.$("[data-testid=prediction-diverges]"), null);
  // Predict again, then leave the mode: everything shows again.
  await page.click("[data-testid=predict-again]");
  assert.equal(await page.isVisible(".console-panel"), false);
  await page.click("[data-testid=predict]");
  assert.equal(await page.$("[data-testid=prediction]"), null);
  assert.ok(await page.isVisible(".console-panel"));
  assert.deepEqual(errors, []);
  await page.close();
});

test("other values offer their own lines; a later run ends the prediction", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#cooking?mode=gather&speed=20`);
  await predict(page);
  assert.equal((await lines(page)).at(-1), "[3, 6]");
  await page.fill("[data-testid=param-durations]", "6,3");
  await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=prediction-line] .predict-text")].at(-1)?.textContent === "[6, 3]");
  // A field that makes no program keeps the last lines, and commit waits for a good one.
  await page.fill("[data-testid=param-durations]", "x");
  assert.equal((await lines(page)).at(-1), "[6, 3]");
  await page.click("[data-testid=commit-prediction]");
  assert.ok(await page.isVisible("[data-testid=commit-prediction]"), "nothing ran, the prediction waits");
  await page.fill("[data-testid=param-durations]", "6,3");
  await page.click("[data-testid=commit-prediction]");
  await page.waitForSelector("[data-testid=prediction-diverges], [data-testid=prediction-right]", { timeout: 60000 });
  // Run again: the prediction was for the run before.
  await page.click("[data-testid=run]");
  await page.waitForSelector("text=This prediction was for an earlier run.");
  assert.deepEqual(errors, []);
  await page.close();
});
