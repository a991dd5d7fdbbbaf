// Renders every page of the built book in headless Chromium and fails if a
// page requests anything that is not on this machine, if any math is left as
// raw TeX, if an image does not load, or if the math is invisible in a theme.
// Writes a screenshot of each chapter to ../screenshots/ and prints where.
//
// Usage: node check.mjs <built book folder> <screenshot folder>
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serveBook, chromiumArgs } from "./static.mjs";

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

const { origin, close: closeServer } = await serveBook(bookDir);
// The book's local runner (tools/src/runner.rs), started below; its requests
// are the only ones allowed to leave the book's origin, to 127.0.0.1.
let runnerOrigin = null;
const isLocal = (u) => u.startsWith(origin) || u.startsWith("data:") || u.startsWith("blob:")
  || (runnerOrigin !== null && u.startsWith(runnerOrigin));

// The pages: every chapter in the table of contents, then the print page.
const toc = fs.readFileSync(path.join(bookDir, "toc.html"), "utf8");
const pages = [...new Set([...toc.matchAll(/href="([^"#]+\.html)"/g)].map((m) => m[1]))];
pages.push("print.html");

const browser = await chromium.launch({
  executablePath: browserPath,
  args: chromiumArgs,
});
fs.mkdirSync(shotDir, { recursive: true });
const failures = [];
let mathCount = 0;
const idsByPage = new Map();
const internalLinks = [];
const apiLinks = new Set();
let diagramShots = 0;

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
      if (!isLocal(u)) {
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
    // Every diagram drawn by the crate, in both themes: it must have loaded
    // and be drawn on its own white card, whatever the page's background.
    const diagrams = await page.$$("figure.diagram img");
    for (const [i, img] of diagrams.entries()) {
      const card = await img.evaluate((el) => ({
        loaded: el.complete && el.naturalWidth > 0,
        src: el.getAttribute("src"),
        alt: (el.getAttribute("alt") ?? "").trim().length,
      }));
      if (!card.loaded) failures.push(`${where}: diagram did not load: ${card.src}`);
      if (card.alt < 20) failures.push(`${where}: diagram ${card.src} has no real alt text`);
      // the whole figure, caption and page background included
      const figure = await img.evaluateHandle((el) => el.closest("figure"));
      await img.scrollIntoViewIfNeeded();
      const base = pagePath.replace(/\//g, "_").replace(/\.html$/, "");
      await figure.asElement().screenshot({ path: path.join(shotDir, `${base}-diagram${i + 1}-${theme}.png`) });
      diagramShots++;
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
      if (!isLocal(u)) {
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

// The Run and edit buttons, on the book's local runner, as `make serve` starts
// it: the link it prints opens the book; Run on one example of every page that
// has one shows the program's output; an edited example runs again with the
// new output; without the runner (no link, or the book opened as files) the
// button says how to start it; and the token is nowhere in the built book.
const runnerStats = await (async () => {
  // What assets/runner.js relies on in mdBook's book.js (pinned: 0.5.3).
  const bookJs = fs.readdirSync(bookDir).filter((f) => /^book(-[0-9a-f]+)?\.js$/.test(f));
  const bookJsText = bookJs.map((f) => fs.readFileSync(path.join(bookDir, f), "utf8")).join("\n");
  for (const hook of ["https://play.rust-lang.org/meta/crates", "https://play.rust-lang.org/evaluate.json",
    "function playground_text", "'play-button'", "'result hljs language-bash'"]) {
    if (!bookJsText.includes(hook)) failures.push(`runner: mdBook's book.js no longer has ${hook}; check assets/runner.js against it`);
  }
  const exe = process.env.RUNNER
    ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../target/debug/runner");
  if (!fs.existsSync(exe)) {
    failures.push(`runner: ${exe} is missing (cargo build -p book-tools)`);
    return null;
  }
  const bookPort = new URL(origin).port;
  const runner = spawn(exe, ["serve", "--port", "0", "--book-port", bookPort, "--exit-on-stdin-close"],
    { stdio: ["pipe", "pipe", "inherit"] });
  const link = await new Promise((ok, fail) => {
    let seen = "";
    runner.stdout.on("data", (d) => {
      seen += d;
      const m = seen.match(/(http:\/\/127\.0\.0\.1:\d+\/#runner-port=(\d+)&runner-token=([0-9a-f]+))/);
      if (m) ok({ url: m[1], port: m[2], token: m[3] });
    });
    runner.on("exit", (c) => fail(new Error(`the runner exited (${c}) before it listened: ${seen}`)));
  });
  runnerOrigin = `http://127.0.0.1:${link.port}`;
  const stats = { ran: 0, pages: [] };
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    const page = await context.newPage();
    page.on("pageerror", (e) => failures.push(`runner: script error ${e.message}`));
    page.on("request", (r) => { if (!isLocal(r.url())) failures.push(`runner: requested a non-local URL ${r.url()}`); });
    await page.goto(link.url.replace(/\/#/, "/index.html#"), { waitUntil: "networkidle" });
    if (page.url().includes(link.token)) failures.push("runner: the token stayed in the address bar");
    const runFirst = async (where) => {
      const pre = page.locator("pre.playground").first();
      await pre.hover(); // mdBook shows a code block's buttons on hover
      await pre.locator(".play-button").click();
      const result = pre.locator("code.result");
      await result.waitFor();
      await page.waitForFunction((el) => el && el.innerText !== "Running…",
        await result.elementHandle(), { timeout: 120000 });
      const text = await result.innerText();
      if (/error(\[E\d+\])?:|panicked|\[runner\]|refused|does not answer|make serve/.test(text)) {
        failures.push(`runner: ${where}: Run showed "${text.slice(0, 300)}"`);
      }
      return text;
    };
    for (const pagePath of pages.filter((p) => p !== "print.html")) {
      await page.goto(`${origin}/${pagePath}`, { waitUntil: "networkidle" });
      const examples = await page.locator("pre.playground").count();
      if (!examples) continue;
      const editable = await page.locator("pre.playground code.editable").count();
      if (editable !== examples) failures.push(`runner: ${pagePath}: ${examples - editable} of ${examples} examples are not editable`);
      await runFirst(pagePath);
      stats.ran++;
      stats.pages.push(pagePath);
    }
    if (stats.ran === 0) failures.push("runner: no page has a runnable example");
    // Edit one example and run it again.
    await page.goto(`${origin}/${stats.pages[0]}`, { waitUntil: "networkidle" });
    await page.evaluate(() => {
      const code = document.querySelector("pre.playground code.editable");
      window.ace.edit(code).setValue([
        "extern crate verified_dl;",
        "use verified_dl::conv::size::conv_out_size;",
        "fn main() {",
        "    let m = conv_out_size(9, 3, 2).unwrap();",
        "    println!(\"edited: M = {m}\");",
        "}",
      ].join("\n"), 1);
    });
    const edited = await runFirst(`${stats.pages[0]} (edited)`);
    if (edited.trim() !== "edited: M = 4") failures.push(`runner: the edited example printed "${edited}", not "edited: M = 4"`);
    await context.close();

    // Without the runner's link, and opened as plain files: the button says how to start it.
    for (const url of [`${origin}/${stats.pages[0]}`, `file://${path.join(bookDir, stats.pages[0])}`]) {
      const ctx = await browser.newContext();
      const p = await ctx.newPage();
      p.on("pageerror", (e) => failures.push(`runner: ${url}: script error ${e.message}`));
      p.on("request", (r) => {
        const u = r.url();
        if (!u.startsWith("file:") && !isLocal(u)) failures.push(`runner: ${url}: requested ${u}`);
        if (u.startsWith(runnerOrigin)) failures.push(`runner: ${url}: called the runner without its link`);
      });
      await p.goto(url, { waitUntil: "load" });
      const pre = p.locator("pre.playground").first();
      await pre.hover();
      await pre.locator(".play-button").click();
      const text = await pre.locator("code.result").innerText();
      if (!text.includes("make serve")) failures.push(`runner: ${url}: without the runner, Run showed "${text}"`);
      await ctx.close();
    }
  } finally {
    runner.stdin.end();
    runner.kill();
  }
  // The token is in no file of the built book.
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
  for (const file of walk(bookDir)) {
    if (fs.readFileSync(file).includes(link.token)) failures.push(`runner: the token is in ${file}`);
  }
  return stats;
})();

await browser.close();
closeServer();

// Every link to a section of another page of the book lands on an existing id.
for (const link of internalLinks) {
  const ids = idsByPage.get(link.page);
  if (ids && link.hash && !ids.has(link.hash)) {
    failures.push(`${link.from}: link to ${link.page}#${link.hash}, which has no such id`);
  }
}

const n = pages.length;
if (runnerStats && !failures.some((f) => f.startsWith("runner:"))) {
  console.log(`browser check: Run clicked on ${runnerStats.ran} pages (${runnerStats.pages.join(", ")}), all ran on the local runner; an edited example ran with its new output; without the runner the button says how to start it; the token is in no file of the book.`);
}
if (failures.length) {
  console.error(`browser check: ${failures.length} problem(s) on ${n} pages:`);
  for (const f of failures) console.error(`  ${f}`);
  process.exit(1);
}
console.log(`browser check: ${n} pages in 2 themes, ${mathCount} formulas rendered, ${internalLinks.length} section links resolved, ${apiLinks.size} API pages linked (all present); no raw TeX, no broken image, no request off this machine.`);
console.log(`screenshots: ${shotDir} (${diagramShots} of diagrams, in both themes)`);
