// Code mode: a scenario's listing in the editor, a program typed and run for real on the
// browser's loop (the console printing what CPython prints), a syntax error and a construct
// Interleave does not read shown at their line with Run held, the editor's keys, and a program
// that never awaits stopped with a message while the page goes on answering.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { openPage, tool, useBrowser } from "./server.mjs";

const env = useBrowser();

const texts = (page) => page.$$eval("[data-testid=console-line] .text", (ls) => ls.map((l) => l.textContent));

async function codeMode(page) {
  await page.click("[data-testid=edit-as-code]");
  await page.waitForSelector("[data-testid=code-editor]", { timeout: 30000 });
}

const PROGRAM = `import asyncio


async def greet(name, delay):
    await asyncio.sleep(delay)
    print(f"hello {name} after {delay}")
    return len(name)


async def main():
    sizes = await asyncio.gather(greet("ada", 0.2), greet("bo", 0.1))
    print("sizes", sizes, sum(sizes))


asyncio.run(main())
`;

test("a scenario's listing opens in the editor; a typed program runs and prints what CPython prints", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#hello-world?speed=10`);
  await codeMode(page);
  const listing = await page.inputValue("[data-testid=code-editor]");
  assert.match(listing, /^import asyncio/);
  assert.match(listing, /asyncio\.run\(main\(\)\)|await main\(\)|main\(\)/);
  assert.equal(await page.$("[data-testid=code-error]"), null);
  // The listing runs as the scenario does.
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });
  assert.ok((await texts(page)).length > 0);

  await page.fill("[data-testid=code-editor]", PROGRAM);
  assert.equal(await page.$("[data-testid=code-error]"), null);
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });
  // CPython 3.12 prints these three lines, in this order.
  assert.deepEqual(await texts(page), ["hello bo after 0.1", "hello ada after 0.2", "sizes [3, 2] 5"]);
  // Three tasks on the timeline: main and the two greetings.
  assert.equal(await page.locator("[data-testid=lane]").count(), 3);
  assert.deepEqual(errors, []);
  await page.close();
});

test("prints that end without a newline share a console row, as a terminal shows CPython's output", async () => {
  const program = `import asyncio


async def download(chunks, halfway):
    print("downloading", end="")
    for i in range(chunks):
        await asyncio.sleep(0.1)
        print(".", end="")
        if i == chunks // 2 - 1:
            halfway.set()
    print(" done")


async def chatter(halfway):
    await halfway.wait()
    print("[chatter] still here")


async def main():
    for i in range(4):
        print(i, end=" ")
    print()
    halfway = asyncio.Event()
    await asyncio.gather(download(4, halfway), chatter(halfway))
    print("a", "b", sep="-", end="|")
    print("c")


asyncio.run(main())
`;
  // CPython is the oracle: the rows are the lines it writes to a terminal. The chatter waits for
  // an event, not a timer, so a late timer in the real run cannot move its line among the dots.
  const rows = execFileSync("python3", ["-c", program], { encoding: "utf8" }).split("\n").slice(0, -1);
  assert.deepEqual(rows, ["0 1 2 3 ", "downloading..[chatter] still here", ".. done", "a-b|c"]);
  const { page, errors } = await openPage(env.browser, `${env.server.url}#hello-world?speed=10`);
  await codeMode(page);
  await page.fill("[data-testid=code-editor]", program);
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });
  assert.deepEqual(await texts(page), rows);
  // Each row is at the time, and of the task, of the print that began it.
  const tasks = await page.$$eval("[data-testid=console-line]", (ls) => ls.map((l) => l.dataset.task));
  assert.deepEqual(tasks, ["0", "1", "1", "0"]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a syntax error and a refused construct show their line and column, and hold Run", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#hello-world?speed=10`);
  await codeMode(page);
  await page.fill("[data-testid=code-editor]", "import asyncio\n\nasync def main()\n    pass\n");
  const error = await page.waitForSelector("[data-testid=code-error]");
  assert.equal(await error.getAttribute("data-line"), "3");
  assert.equal(await error.getAttribute("data-column"), "17");
  assert.match(await error.textContent(), /SyntaxError: expected ':'/);
  assert.ok(await page.isDisabled("[data-testid=run]"));
  // Space, away from the editor, runs nothing of it: no line is printed and the error stays.
  await page.click("h1");
  await page.keyboard.press("Space");
  await page.waitForTimeout(300);
  assert.deepEqual(await texts(page), []);
  assert.ok(await page.isVisible("[data-testid=code-error]"));

  await page.fill("[data-testid=code-editor]", "import asyncio\n\nclass Greeter:\n    pass\n");
  await page.waitForSelector("[data-testid=code-error][data-line='3']");
  assert.match(await page.textContent("[data-testid=code-error]"), /Classes are not supported in Interleave yet \(line 3\)/);
  assert.ok(await page.isDisabled("[data-testid=run]"));
  // Fixed, it runs.
  await page.fill("[data-testid=code-editor]", "print('fine')\n");
  await page.waitForSelector("[data-testid=code-error]", { state: "detached" });
  assert.ok(await page.isEnabled("[data-testid=run]"));
  assert.deepEqual(errors, []);
  await page.close();
});

test("Enter keeps the indent and indents after a colon; Tab and Shift+Tab indent; undo takes an edit back", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#hello-world`);
  await codeMode(page);
  const editor = page.locator("[data-testid=code-editor]");
  await editor.fill("");
  await editor.focus();
  await page.keyboard.type("async def main():");
  await page.keyboard.press("Enter");
  await page.keyboard.type("for i in range(2):");
  await page.keyboard.press("Enter");
  await page.keyboard.type("print(i)");
  assert.equal(await editor.inputValue(), "async def main():\n    for i in range(2):\n        print(i)");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await editor.inputValue(), "async def main():\n    for i in range(2):\n    print(i)");
  await page.keyboard.press("Tab");
  assert.equal(await editor.inputValue(), "async def main():\n    for i in range(2):\n        print(i)");
  await page.keyboard.press("Control+z");
  assert.equal(await editor.inputValue(), "async def main():\n    for i in range(2):\n    print(i)");
  // Escape, then Tab, leaves the editor.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  assert.notEqual(await page.evaluate(() => document.activeElement?.dataset?.testid), "code-editor");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a program that never awaits is stopped after its guard, with a message, and the page answers", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#hello-world`);
  await codeMode(page);
  await page.fill("[data-testid=code-editor]", "import asyncio\n\nasync def main():\n    print('spinning')\n    n = 0\n    while True:\n        n += 1\n\nasyncio.run(main())\n");
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 30000 });
  assert.match(await page.textContent("[data-testid=run-message]"), /held the thread/);
  // The page answers: the editor takes typing again, and a fixed program runs.
  await page.fill("[data-testid=code-editor]", "print('alive')\n");
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 30000 });
  assert.deepEqual(await texts(page), ["alive"]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a link carries the program compressed and its speed: opened, it runs with autorun; the page's link is the program's", async () => {
  // A link made by Python's zlib (raw DEFLATE, as a teacher's script may make one) opens.
  const z = deflateRawSync(Buffer.from(PROGRAM, "utf8"), { level: 9 }).toString("base64url");
  const { page, errors } = await openPage(env.browser, `${env.server.url}#code?z=${z}&speed=10&autorun=1`);
  await page.waitForSelector("[data-testid=code-editor]", { timeout: 30000 });
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });
  assert.equal(await page.inputValue("[data-testid=code-editor]"), PROGRAM);
  assert.equal(await page.inputValue("[data-testid=param-speed]"), "10");
  assert.deepEqual(await texts(page), ["hello bo after 0.1", "hello ada after 0.2", "sizes [3, 2] 5"]);
  // The link to share is the program's, compressed (shorter than the program), and opens it.
  const href = await page.getAttribute("[data-testid=open-full]", "href");
  assert.match(href, /#code\?z=[A-Za-z0-9_-]+&speed=10$/);
  const packed = href.split("z=")[1].split("&")[0];
  assert.ok(packed.length < PROGRAM.length, `${packed.length} characters for ${PROGRAM.length}`);
  assert.equal(inflateRawSync(Buffer.from(packed, "base64url")).toString("utf8"), PROGRAM);
  // The first links held the program uncompressed: they still open.
  const src = Buffer.from("print('still opens')\n", "utf8").toString("base64url");
  await page.goto(`${env.server.url}#code?src=${src}&speed=10&autorun=1`);
  await page.reload();
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });
  assert.deepEqual(await texts(page), ["still opens"]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a program too long for a link is saved as a file, which Open… opens again", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#hello-world?speed=10`);
  await codeMode(page);
  // Twelve thousand characters that do not compress: their link would pass 8,000 characters.
  let noise = "";
  for (let i = 0; noise.length < 11000; i++) noise += ((i * 2654435761) % 4294967296).toString(36);
  const long = `import asyncio\n\nNOISE = "${noise.slice(0, 11000)}"\nprint(len(NOISE))\n`;
  await page.fill("[data-testid=code-editor]", long);
  assert.equal(await page.$("[data-testid=code-error]"), null);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=copy-link]")]);
  assert.equal(download.suggestedFilename(), "program.py");
  assert.equal(await readFile(await download.path(), "utf8"), long);
  assert.match(await page.textContent("[data-testid=run-message]"), /too long for a link \(\d+ characters; a link holds 8000\), so it was saved as program\.py/);
  // Back on the scenario, the file opened (Tools → Open…) is the program in the editor.
  await page.click("[data-testid=leave-code]");
  await page.waitForSelector("[data-testid=code-editor]", { state: "detached" });
  await page.setInputFiles(await tool(page, "open-run"), await download.path());
  await page.waitForFunction((text) => document.querySelector("[data-testid=code-editor]")?.value === text, long);
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });
  assert.deepEqual(await texts(page), ["11000"]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("teaching lints are listed under the editor, marked at their lines, and on the timeline where the run did them", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#hello-world?speed=10`);
  await codeMode(page);
  await page.fill(
    "[data-testid=code-editor]",
    "import asyncio, time\n\nasync def step(n):\n    time.sleep(0.1)\n    await asyncio.sleep(n)\n\nasync def main():\n    step(1)\n    asyncio.create_task(step(1))\n    await step(1)\n    await step(2)\n\nasyncio.run(main())\n",
  );
  await page.waitForSelector("[data-testid=lint]");
  const lints = await page.$$eval("[data-testid=lint]", (ls) => ls.map((l) => [l.dataset.kind, l.dataset.line]));
  assert.deepEqual(lints, [["blocking-call", "4"], ["never-awaited", "8"], ["dropped-task", "9"], ["sequential-awaits", "11"]]);
  assert.equal(await page.locator(".editor-gutter .gl.lint").count(), 4);

  // Run, each lesson is on the lane of the task that did it: time.sleep held the loop in main
  // (twice, its awaits running step in line) and in the task made at line 9; main dropped the
  // coroutine of line 8; the await of line 11 began once the one before it ended.
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });
  const marks = await page.$$eval("[data-testid=timeline-lesson]", (ms) =>
    ms.map((m) => [m.dataset.kind, m.dataset.line, m.dataset.task, Number(m.dataset.at)]),
  );
  assert.deepEqual(
    marks.map(([kind, line, task]) => [kind, line, task]),
    [
      ["blocking-call", "4", "0"],
      ["blocking-call", "4", "1"],
      ["blocking-call", "4", "0"],
      ["never-awaited", "8", "0"],
      ["dropped-task", "9", "1"],
      ["sequential-awaits", "11", "0"],
    ],
  );
  // A blocking call is drawn over the time it held the loop (0.1 s at speed 10: 0.01 s).
  assert.equal(await page.locator("[data-testid=timeline-lesson][data-kind=blocking-call] .lesson-span").count(), 3);
  // The second await began when the first ended: after a sleep of 1 s and two holds of 0.1 s
  // (scenario seconds, as the timeline counts them).
  const [, , , seqAt] = marks[5];
  assert.ok(seqAt > 1.1, `the second await began at ${seqAt} s`);
  const seq = page.locator("[data-testid=timeline-lesson][data-kind=sequential-awaits]");
  assert.match(await seq.getAttribute("aria-label"), /^Line 11: /);
  // Pressed, a mark takes the time cursor to its moment; Enter does too.
  await seq.click();
  await page.waitForFunction((at) => Number(document.querySelector("[data-testid=cursor]")?.dataset.seconds) === at, seqAt);
  const dropped = page.locator("[data-testid=timeline-lesson][data-kind=never-awaited]");
  await dropped.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction((at) => Number(document.querySelector("[data-testid=cursor]")?.dataset.seconds) === at, marks[3][3]);
  assert.match(await page.textContent(".tl-focus"), /^Line 8: /, "focused, a mark's words are under the timeline");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a prediction of a typed program, in code order; a program's runs pinned and compared", async () => {
  const { page, errors } = await openPage(env.browser, `${env.server.url}#hello-world?speed=10`);
  await codeMode(page);
  await page.fill("[data-testid=code-editor]", PROGRAM);
  await page.click(await tool(page, "predict"));
  await page.waitForSelector("[data-testid=prediction-line]");
  // Offered in the order of their print statements, not in the order they will come.
  const offered = await page.$$eval("[data-testid=prediction-line] .predict-text", (ls) => ls.map((l) => l.textContent));
  assert.deepEqual(offered, ["hello ada after 0.2", "hello bo after 0.1", "sizes [3, 2] 5"]);
  await page.click("[data-testid=commit-prediction]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });
  const miss = await page.waitForSelector("[data-testid=prediction-diverges]");
  assert.equal(await miss.getAttribute("data-index"), "1");
  assert.match(await miss.textContent(), /^The 1st line was “hello bo after 0\.1”/);
  await page.click("[data-testid=predict]");
  // Pin this run, gather no more (one greeting after the other), run again: both on one axis.
  await page.click("[data-testid=pin-run]");
  await page.fill("[data-testid=code-editor]", PROGRAM.replace(
    'sizes = await asyncio.gather(greet("ada", 0.2), greet("bo", 0.1))',
    'sizes = [await greet("ada", 0.2), await greet("bo", 0.1)]',
  ));
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=run-state][data-state=finished]", { timeout: 60000 });
  await page.waitForSelector("[data-testid=compare]");
  assert.equal(await page.locator("[data-testid=compare-run]").count(), 2);
  // Each run is named by the line that tells the two programs apart. Real runs last their
  // ideal time (0.3 s one after the other, 0.2 s gathered) and however late their timers were.
  const verdict = (await page.textContent("[data-testid=compare-verdict]")).match(
    /^line 11 “sizes = \[await greet\("ada", 0\.2\), await…”: ([\d.]+) s, (?:[\d.]+ s (?:later|sooner) than|the same time as) line 11 “sizes = await asyncio\.gather\(greet\("ada…” \(([\d.]+) s\)$/,
  );
  assert.ok(verdict, "the verdict names both runs by their line");
  assert.ok(Number(verdict[1]) >= 0.3 && Number(verdict[2]) >= 0.2, verdict[0]);
  assert.deepEqual(errors, []);
  await page.close();
});
