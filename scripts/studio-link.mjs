// Trunk's post-build hook: names the studio's files (see src/web/studio.rs) in the page, as
// <meta name="interleave-studio" content="./<script> ./<module> ./<styles>">, so the page can load them
// when a learner first asks for one of the studio's tools. Trunk builds the studio as a module
// it does not load itself, under fixed names: each gets its content's hash as a query, so a
// browser never pairs a new page with an old studio from its cache.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) throw new Error("studio-link.mjs: no TRUNK_STAGING_DIR and no folder given");
const files = await readdir(dir);
const one = (re) => {
  const found = files.filter((f) => re.test(f));
  if (found.length !== 1) throw new Error(`studio-link.mjs: ${found.length} files match ${re} in ${dir}`);
  return found[0];
};
const js = one(/^interleave-studio(-[0-9a-f]+)?\.js$/);
const wasm = one(/^interleave-studio(-[0-9a-f]+)?_bg\.wasm$/);
const css = one(/^studio\.css$/);
const index = join(dir, "index.html");
let html = await readFile(index, "utf8");
const versioned = async (name) =>
  `./${name}?v=${createHash("sha256").update(await readFile(join(dir, name))).digest("hex").slice(0, 16)}`;
const meta = `<meta name="interleave-studio" content="${await versioned(js)} ${await versioned(wasm)} ${await versioned(css)}">`;
html = html.replace(/<meta name="?interleave-studio"?[^>]*>/, "");
if (!/<\/head>/.test(html)) throw new Error("studio-link.mjs: index.html has no </head>");
html = html.replace(/<\/head>/, `${meta}</head>`);
await writeFile(index, html);
