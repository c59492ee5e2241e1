// WCAG 2.2 AA, audited by axe-core on every view a learner meets, in both themes, at desktop and
// phone width: no violation of impact serious or critical passes, and a moderate one only with a
// written reason below.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { setHidden, tool, useBrowser } from "./server.mjs";

const env = useBrowser();
const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// Moderate findings accepted, each with its reason (rule id -> why). None so far.
const ACCEPTED_MODERATE = {};

const SIZES = [
  { name: "desktop", viewport: { width: 1280, height: 800 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
];
const THEMES = ["light", "dark"];

const finished = (page) => page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });

// The views: the link each opens, and what is done there before the audit.
const VIEWS = {
  "start page": ["", async () => {}],
  "a scenario mid-run": [
    "#cooking?mode=gather&speed=1",
    async (page) => {
      await page.click("[data-testid=run]");
      await page.waitForSelector("[data-testid=run-state][data-state=running]");
      await page.waitForTimeout(600);
    },
  ],
  "a finished run": ["#cooking?mode=gather&speed=20&autorun=1", finished],
  "the event-loop lane with blocking": ["#cpu-vs-io?salads=2&speed=10&autorun=1", finished],
  "the study view mid-scrub": [
    "#fetch-and-count?speed=10&autorun=1",
    async (page) => {
      await finished(page);
      await page.fill("[data-testid=cursor]", "1.1");
      await page.waitForSelector("[data-testid=console-line][data-future]");
    },
  ],
  "two runs compared, the studio's tools shown": [
    "#cooking?speed=20&autorun=1",
    async (page) => {
      await finished(page);
      await page.click(await tool(page, "compare-contrast"));
      await page.waitForSelector("[data-testid=compare]");
      await finished(page);
    },
  ],
  "a prediction being made, then caught": [
    "#cooking?mode=gather&durations=6,3&speed=20",
    async (page) => {
      await page.click(await tool(page, "predict"));
      await page.waitForSelector("[data-testid=prediction-line]");
      await page.click("[data-testid=commit-prediction]");
      await page.waitForSelector("[data-testid=prediction-diverges]", { timeout: 60000 });
    },
  ],
  "code mode: a program run, then a syntax error marked": [
    "#cooking?mode=gather&speed=20",
    async (page) => {
      await page.click("[data-testid=edit-as-code]");
      await page.waitForSelector("[data-testid=code-editor]", { timeout: 30000 });
      await page.click("[data-testid=run]");
      await finished(page);
      await page.fill("[data-testid=code-editor]", "import asyncio\n\nasync def main()\n    pass\n");
      await page.waitForSelector("[data-testid=code-error]");
    },
  ],
  "code mode: lessons on the code and on the timeline of a run": [
    "#hello-world?speed=20",
    async (page) => {
      await page.click("[data-testid=edit-as-code]");
      await page.waitForSelector("[data-testid=code-editor]", { timeout: 30000 });
      await page.fill(
        "[data-testid=code-editor]",
        "import asyncio, time\n\nasync def step(n):\n    time.sleep(0.1)\n    await asyncio.sleep(n)\n\nasync def main():\n    step(1)\n    asyncio.create_task(step(1))\n    await step(1)\n    await step(2)\n\nasyncio.run(main())\n",
      );
      await page.click("[data-testid=run]");
      await finished(page);
      await page.waitForSelector("[data-testid=timeline-lesson]");
    },
  ],
  "the embed view, finished": ["#cooking?mode=gather&speed=20&embed=1&autorun=1", finished],
  "a hidden-tab stretch": [
    "#fetch-and-count?speed=2",
    async (page) => {
      await page.click("[data-testid=run]");
      await setHidden(page, true, 100, 150);
      await finished(page);
      await page.waitForSelector("[data-testid=throttled]");
    },
  ],
};

let audited = { pages: 0, nodes: 0, rules: new Set() };

for (const [view, [link, reach]] of Object.entries(VIEWS)) {
  test(`axe: ${view}, light and dark, desktop and phone`, async () => {
    const problems = [];
    for (const { name, viewport } of SIZES) {
      for (const theme of THEMES) {
        const page = await env.browser.newPage({ viewport, colorScheme: theme });
        await page.goto(`${env.server.url}${link}`);
        await page.waitForSelector("[data-testid=run]:not([disabled])");
        await reach(page);
        await page.evaluate(axeSource);
        const result = await page.evaluate(() =>
          window.axe.run(document, {
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
            resultTypes: ["violations", "passes"],
          }),
        );
        audited.pages++;
        for (const rule of [...result.passes, ...result.violations]) {
          audited.rules.add(rule.id);
          audited.nodes += rule.nodes.length;
        }
        for (const v of result.violations) {
          if (v.impact === "moderate" || v.impact === "minor") {
            if (ACCEPTED_MODERATE[v.id]) continue;
          }
          problems.push(
            `${name}/${theme}: ${v.id} (${v.impact}) on ${v.nodes.length}: ` +
              v.nodes
                .slice(0, 4)
                .map((n) => `${n.target.join(" ")} ${n.any[0]?.message ?? n.failureSummary ?? ""}`.slice(0, 220))
                .join(" | "),
          );
        }
        await page.close();
      }
    }
    assert.deepEqual(problems, [], problems.join("\n"));
  });
}

test("what the audits covered", () => {
  console.log(`axe: ${audited.pages} pages audited, ${audited.rules.size} rules, ${audited.nodes} node checks`);
  assert.ok(audited.pages >= Object.keys(VIEWS).length * 4);
});

// The colours axe cannot judge: what tells the states apart on the timeline (fills, outlines,
// patterns' ink) and the focus ring need 3:1 against every surface they sit on, and text in the
// states' colours 4.5:1, in both themes.
test("states' colours and the focus ring keep 3:1, their text colours 4.5:1, in both themes", async () => {
  const problems = [];
  for (const theme of THEMES) {
    const page = await env.browser.newPage({ colorScheme: theme });
    await page.goto(env.server.url);
    await page.waitForSelector("[data-testid=scenario-select]");
    const vars = await page.evaluate(() => {
      const css = getComputedStyle(document.documentElement);
      const get = (n) => css.getPropertyValue(`--${n}`).trim();
      const names = ["bg", "surface", "surface-2", "run", "wait", "ready", "block", "blocked", "late", "busy", "focus", "ok",
        "danger", "now", "accent", "ready-text", "ok-text", "block-text", "wait-text", "late-text", "muted", "text"];
      return Object.fromEntries(names.map((n) => [n, get(n)]));
    });
    const lum = (color) => {
      const hex = color.length === 4 ? `#${[...color.slice(1)].map((c) => c + c).join("")}` : color;
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
      const f = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const surfaces = ["bg", "surface", "surface-2"];
    const check = (names, least) => {
      for (const n of names)
        for (const s of surfaces) {
          const r = ratio(vars[n], vars[s]);
          if (!(r >= least)) problems.push(`${theme}: --${n} ${vars[n]} on --${s} ${vars[s]}: ${r.toFixed(2)} < ${least}`);
        }
    };
    check(["run", "wait", "ready", "block", "blocked", "late", "busy", "focus", "ok", "danger", "now", "accent"], 3);
    check(["ready-text", "ok-text", "block-text", "wait-text", "late-text", "muted", "text", "accent"], 4.5);
    await page.close();
  }
  assert.deepEqual(problems, []);
});
