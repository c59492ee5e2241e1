// Hardens the release build in dist/: moves the loader that Trunk inlines into index.html into a
// file of its own, and adds a Content-Security-Policy that allows no inline script, no eval
// beyond 'wasm-unsafe-eval' (needed to compile the module) and nothing from another origin.
// Run after `trunk build --release`.
import { readFile, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";

import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const dist = process.argv[2]
  ? pathToFileURL(resolve(process.argv[2]) + "/")
  : new URL("../dist/", import.meta.url);
const indexUrl = new URL("index.html", dist);
let html = await readFile(indexUrl, "utf8");

export const POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const inline = /<script type="?module"?>([\s\S]*?)<\/script>/;
const match = html.match(inline);
if (match) {
  const code = match[1].trim() + "\n";
  const name = `boot-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.js`;
  const sri = "sha384-" + createHash("sha384").update(code).digest("base64");
  await writeFile(new URL(name, dist), code);
  html = html.replace(inline, `<script type="module" src="./${name}" integrity="${sri}"></script>`);
} else if (!/boot-[0-9a-f]{16}\.js/.test(html)) {
  throw new Error("dist/index.html has no inline loader to move: did Trunk's output change?");
}
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) {
  throw new Error("dist/index.html still has an inline script");
}
if (!html.includes("Content-Security-Policy")) {
  const charset = /<meta charset="?utf-8"?\s*\/?>/i;
  if (!charset.test(html)) throw new Error("dist/index.html has no <meta charset>");
  html = html.replace(charset, (m) => `${m}<meta http-equiv="Content-Security-Policy" content="${POLICY}">`);
}
await writeFile(indexUrl, html);
console.log(`[csp] index.html: loader moved to a file, policy: ${POLICY}`);
