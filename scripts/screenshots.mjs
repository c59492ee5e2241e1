// Screenshots of the release build: each scenario given (default: a representative set) mid-run
// and finished, at 1280 and 390 px, light and dark, into docs/screenshots/.
// Usage: make release && node scripts/screenshots.mjs [fragment ...]
//   a fragment is a share link without '#', e.g. "cooking?mode=gather&speed=2" (or a program's,
//   "code?z=...&speed=2")
import { mkdir } from "node:fs/promises";
import { serveDist, launchChromium } from "../tests/e2e/server.mjs";

const links = process.argv.slice(2).length
  ? process.argv.slice(2)
  : [
      "fetch-and-count?speed=1",
      "cooking?mode=gather&speed=2",
      "cooking?speed=3",
      "cpu-vs-io?salads=2&speed=2",
      "blocking-sleep?speed=2",
      "gather-countdown?speed=2",
    ];
const out = new URL("../docs/screenshots/", import.meta.url);
await mkdir(out, { recursive: true });
const server = await serveDist();
const browser = await launchChromium();
const sizes = [["desktop", 1280, 900], ["phone", 390, 844]];
try {
  for (const link of links) {
    const id = link.split("?")[0];
    // A program of code mode's is named by its mode: its link holds the whole program.
    const tag = link.startsWith("code?")
      ? "code-mode"
      : link.replace(/[^a-z0-9]+/gi, "-").replace(/-speed-[0-9.]+/, "").replace(/-$/, "");
    for (const [size, width, height] of sizes) {
      for (const scheme of ["light", "dark"]) {
        const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme });
        await page.goto(`${server.url}#${link}&autorun=1`);
        await page.waitForSelector("[data-testid=run-state][data-state=running], [data-testid=run-state][data-state=finished]");
        // Mid-run: about 40% of the ideal time.
        const ideal = Number(await page.getAttribute("[data-testid=ideal-elapsed]", "data-seconds"));
        const speed = Number(new URLSearchParams(link.split("?")[1] ?? "").get("speed") ?? 1);
        await page.waitForTimeout((ideal / speed) * 400);
        const stage = await page.$(".stage");
        const mid = new URL(`${tag}-${size}-${scheme}-mid.png`, out);
        await stage.screenshot({ path: mid.pathname });
        await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 120000 });
        const end = new URL(`${tag}-${size}-${scheme}-end.png`, out);
        await stage.screenshot({ path: end.pathname });
        console.log(`wrote ${tag} ${size} ${scheme} (${id})`);
        await page.close();
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
