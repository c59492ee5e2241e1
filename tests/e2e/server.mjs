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
export function setHidden(page, hidden) {
  return page.evaluate((h) => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (h ? "hidden" : "visible") });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

// Shows the studio's tools (loading the studio the first time) and returns the selector of
// the one named by `hook` (save-run, open-run, export-svg, pin-run, compare-contrast, ...).
export async function tool(page, hook) {
  if (!(await page.isVisible("[data-testid=tools-menu]"))) {
    await page.click("[data-testid=tools]");
    await page.waitForSelector("[data-testid=tools-menu]", { timeout: 20000 });
  }
  return `[data-testid=${hook}]`;
}
