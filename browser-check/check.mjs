// Renders every page of the built book in headless Chromium and fails if a
// page requests anything that is not on this machine, if any math is left as
// raw TeX, if an image does not load, or if the math is invisible in a theme.
// Writes a screenshot of each chapter to ../screenshots/ and prints where.
//
// Usage: node check.mjs <built book folder> <screenshot folder>
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const bookDir = path.resolve(process.argv[2] ?? "../book");
const shotDir = path.resolve(process.argv[3] ?? "../screenshots");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const underCi = process.env.CI === "true";

if (!fs.existsSync(browserPath)) {
  const msg = `browser check: no Chromium at ${browserPath} (install Debian's 'chromium' package)`;
  if (underCi) {
    console.error(`${msg}; under CI a missing browser is a failure.`);
    process.exit(1);
  }
  console.log(`${msg}; SKIPPED.`);
  process.exit(0);
}

const types = {
  ".html": "text/html", ".css": "text/css", ".js": "text/javascript",
  ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2",
  ".woff": "font/woff", ".ttf": "font/ttf", ".json": "application/json",
};
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  let file = path.join(bookDir, decodeURIComponent(url.pathname));
  if (!file.startsWith(bookDir)) { res.writeHead(403); res.end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  if (!fs.existsSync(file)) { res.writeHead(404); res.end("not found"); return; }
  res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

// The pages: every chapter in the table of contents, then the print page.
const toc = fs.readFileSync(path.join(bookDir, "toc.html"), "utf8");
const pages = [...new Set([...toc.matchAll(/href="([^"#]+\.html)"/g)].map((m) => m[1]))];
pages.push("print.html");

const browser = await chromium.launch({
  executablePath: browserPath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
fs.mkdirSync(shotDir, { recursive: true });
const failures = [];
let mathCount = 0;
const idsByPage = new Map();
const internalLinks = [];
const apiLinks = new Set();

for (const theme of ["light", "navy"]) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
  await context.addInitScript((t) => {
    localStorage.setItem("mdbook-theme", t);
    // The print page opens the print dialog once loaded; a headless check must not.
    window.print = () => {};
  }, theme);
  for (const pagePath of pages) {
    const page = await context.newPage();
    const where = `${pagePath} (${theme})`;
    page.on("request", (r) => {
      const u = r.url();
      if (!u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:")) {
        failures.push(`${where}: requested a non-local URL ${u}`);
      }
    });
    page.on("requestfailed", (r) => failures.push(`${where}: request failed ${r.url()}`));
    page.on("response", (r) => {
      if (r.status() >= 400) failures.push(`${where}: HTTP ${r.status()} for ${r.url()}`);
    });
    page.on("pageerror", (e) => failures.push(`${where}: script error ${e.message}`));
    await page.goto(`${origin}/${pagePath}`, { waitUntil: "networkidle" });
    await page.evaluate(() => document.fonts.ready);
    const report = await page.evaluate(() => {
      const out = { raw: [], broken: [], invisible: [], errors: 0, math: 0, katexFonts: 0 };
      out.math = document.querySelectorAll(".katex").length;
      out.errors = document.querySelectorAll(".katex-error").length;
      for (const img of document.images) {
        if (!img.complete || img.naturalWidth === 0) out.broken.push(img.getAttribute("src"));
      }
      // Text outside rendered math and outside code that still looks like TeX.
      const walker = document.createTreeWalker(document.querySelector("main") ?? document.body,
        NodeFilter.SHOW_TEXT);
      const tex = /\$\$|\$[^$\s][^$]*\$|\\(frac|sum|prod|partial|mathbb|mathbf|sigma|beta|eta|tag|begin|left|right|int|cdot|ldots|quad|text)\b/;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement?.closest(".katex, pre, code, script, style")) continue;
        const m = n.textContent.match(tex);
        if (m) out.raw.push(n.textContent.trim().slice(0, 80));
      }
      // Math must be drawn in the text colour of the theme, with KaTeX's fonts.
      const body = getComputedStyle(document.querySelector("main") ?? document.body).color;
      for (const k of document.querySelectorAll(".katex")) {
        const style = getComputedStyle(k);
        if (style.color !== body && !k.closest("a, .tag, blockquote")) out.invisible.push(style.color);
        if (style.fontFamily.includes("KaTeX")) out.katexFonts++;
      }
      return out;
    });
    mathCount += report.math;
    if (theme === "light") {
      const ids = await page.evaluate(() => [...document.querySelectorAll("[id]")].map((e) => e.id));
      idsByPage.set(pagePath, new Set(ids));
      const links = await page.evaluate(() => [...document.querySelectorAll("main a[href]")]
        .map((a) => a.href));
      for (const href of links) {
        const u = new URL(href);
        if (u.origin !== origin) continue;
        const target = decodeURIComponent(u.pathname.slice(1));
        // every local link (a caption's API page, a figure, a download) names a file of the book
        let file = path.join(bookDir, target);
        if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
        if (!fs.existsSync(file)) failures.push(`${pagePath}: link to ${target}, which the built book does not have`);
        else if (target.startsWith("api/")) apiLinks.add(target);
        if (u.hash) internalLinks.push({ from: pagePath, page: target, hash: decodeURIComponent(u.hash.slice(1)) });
      }
    }
    if (report.errors) failures.push(`${where}: ${report.errors} KaTeX error(s)`);
    for (const r of report.raw) failures.push(`${where}: raw TeX left in the text: "${r}"`);
    for (const b of report.broken) failures.push(`${where}: image did not load: ${b}`);
    if (report.invisible.length) failures.push(`${where}: math drawn in ${report.invisible[0]}, not the text colour`);
    if (report.math && report.katexFonts !== report.math) failures.push(`${where}: KaTeX fonts not applied`);
    const loadedFonts = await page.evaluate(() =>
      [...document.fonts].filter((f) => f.family.includes("KaTeX") && f.status === "loaded").length);
    if (report.math && loadedFonts === 0) failures.push(`${where}: no KaTeX font loaded`);
    if (theme === "light" || pagePath === "print.html" || pagePath === "checking.html") {
      const name = `${pagePath.replace(/\//g, "_").replace(/\.html$/, "")}-${theme}.png`;
      await page.screenshot({ path: path.join(shotDir, name) });
    }
    await page.close();
  }
  await context.close();
}
// The API documentation the captions link: its front page and one item page
// load offline and show the crate.
{
  const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
  const apiPages = ["api/verified_dl/index.html", [...apiLinks].sort()[0]].filter(Boolean);
  for (const pagePath of apiPages) {
    const page = await context.newPage();
    page.on("request", (r) => {
      const u = r.url();
      if (!u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:")) {
        failures.push(`${pagePath}: requested a non-local URL ${u}`);
      }
    });
    page.on("response", (r) => {
      if (r.status() >= 400) failures.push(`${pagePath}: HTTP ${r.status()} for ${r.url()}`);
    });
    await page.goto(`${origin}/${pagePath}`, { waitUntil: "networkidle" });
    const heading = await page.evaluate(() => document.querySelector("h1")?.textContent ?? "");
    if (!/verified_dl|Crate|Function|Struct|Enum|Constant|Macro|Module/.test(heading)) {
      failures.push(`${pagePath}: the API page shows no rustdoc heading ("${heading}")`);
    }
    await page.screenshot({ path: path.join(shotDir, `${pagePath.replace(/[/.]/g, "_")}.png`) });
    await page.close();
  }
  await context.close();
  if (apiLinks.size === 0) failures.push("no chapter links the API documentation");
}
await browser.close();
server.close();

// Every link to a section of another page of the book lands on an existing id.
for (const link of internalLinks) {
  const ids = idsByPage.get(link.page);
  if (ids && link.hash && !ids.has(link.hash)) {
    failures.push(`${link.from}: link to ${link.page}#${link.hash}, which has no such id`);
  }
}

const n = pages.length;
if (failures.length) {
  console.error(`browser check: ${failures.length} problem(s) on ${n} pages:`);
  for (const f of failures) console.error(`  ${f}`);
  process.exit(1);
}
console.log(`browser check: ${n} pages in 2 themes, ${mathCount} formulas rendered, ${internalLinks.length} section links resolved, ${apiLinks.size} API pages linked (all present); no raw TeX, no broken image, no request off this machine.`);
console.log(`screenshots: ${shotDir}`);
