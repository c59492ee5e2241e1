// The embed view (`&embed=1`): the stage alone, with Run, the speed and a link to the whole page,
// good in a 640 × 480 iframe and at phone width, and as quiet on the network as the full page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser } from "./server.mjs";

const env = useBrowser();

for (const viewport of [{ width: 640, height: 480 }, { width: 390, height: 700 }]) {
  test(`embedded at ${viewport.width} × ${viewport.height}: a scenario runs, nothing scrolls sideways, nothing is fetched`, async () => {
    const page = await env.browser.newPage({ viewport });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${env.server.url}#cooking?mode=gather&speed=20&embed=1`);
    await page.waitForSelector("[data-testid=embed] [data-testid=run]:not([disabled])");
    await page.waitForLoadState("networkidle");
    const requests = [];
    page.on("request", (r) => {
      if (!/^(blob|data):/.test(r.url())) requests.push(r.url());
    });
    // The stage, Run, the speed and the way out; no catalog, no sharing or exports.
    for (const hook of ["run", "param-speed", "open-full"]) {
      assert.ok(await page.isVisible(`[data-testid=${hook}]`), `${hook} is shown`);
    }
    for (const hook of ["scenario-list", "copy-link", "tools"]) {
      assert.ok(!(await page.isVisible(`[data-testid=${hook}]`)), `${hook} is not`);
    }
    assert.match(await page.getAttribute("[data-testid=open-full]", "href"), /#cooking\?mode=gather&speed=20$/);
    assert.equal(await page.getAttribute("[data-testid=open-full]", "target"), "_blank");
    await page.click("[data-testid=run]");
    await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });
    assert.equal((await page.$$("[data-testid=lane]")).length, 3);
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
    assert.ok(scroll <= width, `no horizontal scroll: ${scroll} > ${width}`);
    // The address keeps it embedded.
    assert.match(await page.evaluate(() => location.hash), /embed=1/);
    assert.deepEqual(requests, []);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
