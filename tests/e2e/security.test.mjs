// No way in: a strict Content-Security-Policy, user text never rendered as HTML, no network
// request after loading, and a visible message if the module ever panics.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, tool, useBrowser } from "./server.mjs";

const env = useBrowser();

async function guarded(url, viewport) {
  const context = await env.browser.newContext({ viewport: viewport ?? { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector("[data-testid=scenario-select]");
  return { page, errors, context };
}

test("the page runs under a strict CSP with no violation", async () => {
  const { page, errors, context } = await guarded(`${env.server.url}#fetch-and-count?speed=40&autorun=1`);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*|https?:/);
  assert.equal(await page.$$eval("script:not([src])", (s) => s.length), 0, "no inline script");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]");
  // Saving loads the studio's module under the same policy.
  await Promise.all([page.waitForEvent("download"), page.click(await tool(page, "save-run"))]);
  await page.waitForSelector("[data-testid=run-state][data-state=finished]");
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("markup and script in a link are shown as text, never run", async () => {
  const evil = "<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>";
  const enc = encodeURIComponent(evil);
  for (const link of [
    `#${enc}?autorun=1`,
    `#hello-world?sleep_s=${enc}&autorun=1`,
    `#cooking?durations=${enc}&mode=${enc}&autorun=1`,
    `#hello-world?${enc}=1&autorun=${enc}`,
  ]) {
    const { page, errors, context } = await guarded(`${env.server.url}${link}`);
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, link);
    assert.equal(await page.$$eval("img", (i) => i.length), 0, `no <img> from ${link}`);
    assert.equal(await page.$$eval("body script", (s) => s.length), 0, `no <script> from ${link}`);
    const text = await page.textContent("body");
    if (link.includes("durations")) {
      assert.ok(text.includes("<img src=x"), "the bad entry is quoted as text");
    }
    assert.deepEqual(errors, [], link);
    await context.close();
  }
});

test("after loading, the page asks only for its own studio, once, when its tools are first opened", async () => {
  const { page, errors, context } = await guarded(env.server.url);
  await page.waitForLoadState("networkidle");
  const requests = [];
  page.on("request", (r) => {
    if (!/^(blob|data):/.test(r.url())) requests.push(r.url());
  });
  await page.selectOption("[data-testid=scenario-select]", "gather-countdown");
  await page.fill("[data-testid=param-speed]", "50");
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]");
  await page.click("[data-testid=copy-link]").catch(() => {});
  assert.deepEqual(requests, [], "a run asks for nothing");
  await Promise.all([page.waitForEvent("download"), page.click(await tool(page, "export-svg"))]);
  await Promise.all([page.waitForEvent("download"), page.click(await tool(page, "save-run"))]);
  const origin = new URL(env.server.url).origin;
  assert.deepEqual(
    requests.map((r) => new URL(r).origin + new URL(r).pathname).sort(),
    [`${origin}/interleave-studio.js`, `${origin}/interleave-studio_bg.wasm`, `${origin}/studio.css`],
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test("a panic is shown to the user, not a silently dead page", async () => {
  const { page, errors } = await openPage(env.browser, env.server.url);
  await page.evaluate(() => {
    try {
      window.wasmBindings.interleave_test_panic();
    } catch {
      // the trap surfaces here; the banner is what matters
    }
  });
  const banner = await page.waitForSelector("[data-testid=panic]");
  assert.match(await banner.textContent(), /Reload the page/);
  assert.ok(errors.some((e) => e.includes("a panic on purpose")), "the panic is logged");
  await page.close();
});
