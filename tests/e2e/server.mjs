// A tiny static file server for dist/, bound to 127.0.0.1 on a free port, and a Chromium
// launcher: shared by every end-to-end test file.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { before, after } from "node:test";

const DIST = process.env.DIST
  ? fileURLToPath(new URL(`file://${process.env.DIST.replace(/\/?$/, "/")}`))
  : fileURLToPath(new URL("../../dist/", import.meta.url));
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".svg": "image/svg+xml",
};

export async function serveDist() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = join(DIST, path.endsWith("/") ? path + "index.html" : path);
    if (!file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-dev-shm-usage",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

// Opens the page and collects console errors and uncaught exceptions.
export async function openPage(browser, url, viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  await page.goto(url);
  await page.waitForSelector("[data-testid=scenario-select]");
  return { page, errors };
}

// Serves dist/ and launches Chromium before a file's tests, and closes both after them. The
// returned object's `server` and `browser` are filled in by then.
export function useBrowser(launch = launchChromium) {
  const env = {};
  before(async () => {
    env.server = await serveDist();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

// Headless Chromium never hides its page, so tests play the browser's part: this flips
// document.hidden and sends the same event a real tab switch sends.
// Tells the page its tab is hidden (or shown). With `after` and `lasting` (ms), the page waits
// `after`, hides, and shows again `lasting` later, timed in the page itself.
export function setHidden(page, hidden, after = 0, lasting = 0) {
  return page.evaluate(
    async ([h, after, lasting]) => {
      const set = (h) => {
        Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (h ? "hidden" : "visible") });
        document.dispatchEvent(new Event("visibilitychange"));
      };
      const wait = (ms) => new Promise((r) => setTimeout(r, ms));
      if (after) await wait(after);
      set(h);
      if (lasting) {
        await wait(lasting);
        set(!h);
      }
    },
    [hidden, after, lasting],
  );
}

// Shows the studio's tools (loading the studio the first time) and returns the selector of
// the one named by `hook` (save-run, open-run, export-svg, pin-run, compare-contrast, ...).
// A click lost to the page redrawing under it (a run just ended) is tried once more; if the
// tools still do not show, the error says what the page said.
export async function tool(page, hook) {
  for (let attempt = 0; !(await page.isVisible("[data-testid=tools-menu]")); attempt++) {
    if (attempt === 2) {
      const said = await page.$eval("[data-testid=run-message]", (m) => m.textContent).catch(() => "nothing");
      throw new Error(`the studio's tools did not show; the page said: ${said}`);
    }
    if ((await page.getAttribute("[data-testid=tools]", "aria-expanded")) !== "true") {
      await page.click("[data-testid=tools]");
    }
    await page.waitForSelector("[data-testid=tools-menu]", { timeout: 10000 }).catch(() => {});
  }
  return `[data-testid=${hook}]`;
}
