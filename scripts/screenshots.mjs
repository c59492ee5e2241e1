// Takes screenshots of the release build at desktop and phone widths, light and dark, into
// docs/screenshots/. Usage: make release && node scripts/screenshots.mjs [scenario-id]
import { mkdir } from "node:fs/promises";
import { serveDist, launchChromium } from "../tests/e2e/server.mjs";

const scenario = process.argv[2] ?? "fetch-and-count";
const out = new URL("../docs/screenshots/", import.meta.url);
await mkdir(out, { recursive: true });
const server = await serveDist();
const browser = await launchChromium();
try {
  for (const [name, width, height] of [["desktop", 1280, 800], ["phone", 390, 844]]) {
    for (const scheme of ["light", "dark"]) {
      const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme });
      await page.goto(server.url);
      await page.click(`[data-testid=scenario-item][data-id=${scenario}]`);
      const file = new URL(`${name}-${scheme}.png`, out);
      await page.screenshot({ path: file.pathname, fullPage: name === "desktop" });
      console.log(`wrote ${file.pathname}`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
