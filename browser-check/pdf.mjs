// The book as one PDF: mdBook's print page (print.html, every chapter on one
// page) printed by headless Chromium, once its fonts have loaded (the math is
// rendered at build time by mdbook-katex), with a table of contents of
// links at the front and the chapters as the PDF's outline (bookmarks).
//
// Usage: node pdf.mjs <built book folder> <output.pdf>
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { serveBook, chromiumArgs } from "./static.mjs";

const bookDir = path.resolve(process.argv[2] ?? "../book");
const out = path.resolve(process.argv[3] ?? "../book/book.pdf");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!fs.existsSync(browserPath)) {
  console.error(`pdf: no Chromium at ${browserPath} (install Debian's 'chromium' package)`);
  process.exit(1);
}

const { origin, close } = await serveBook(bookDir);
const browser = await chromium.launch({ executablePath: browserPath, args: chromiumArgs });
const page = await browser.newPage();
await page.addInitScript(() => {
  window.print = () => {};
  // Paper cannot be edited: without the editor (Ace), mdBook shows each
  // example as highlighted text that wraps, with its hidden lines hidden.
  Object.defineProperty(window, "ace", { get: () => undefined, set: () => {}, configurable: false });
});
await page.goto(`${origin}/print.html`, { waitUntil: "networkidle" });
await page.evaluate(() => document.fonts.ready);
// Figures and math must be there before printing.
const figures = await page.evaluate(() => ({
  images: document.images.length,
  broken: [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
  math: document.querySelectorAll(".katex").length,
  mathErrors: document.querySelectorAll(".katex-error").length,
}));
if (figures.broken.length || figures.images === 0 || figures.math === 0 || figures.mathErrors) {
  console.error(`pdf: the print page is not ready: ${JSON.stringify(figures)}`);
  process.exit(1);
}
const entries = await page.evaluate(() => {
  // The table of contents: every chapter's title (its h1), linked.
  const main = document.querySelector("main");
  const titles = [...main.querySelectorAll("h1[id]")];
  const nav = document.createElement("nav");
  nav.className = "pdf-toc";
  nav.innerHTML = "<h1 class=\"pdf-toc-title\">Contents</h1>";
  const list = document.createElement("ol");
  for (const h of titles) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = `#${h.id}`;
    a.textContent = h.textContent.trim();
    li.append(a);
    list.append(li);
  }
  nav.append(list);
  const style = document.createElement("style");
  style.textContent = `.pdf-toc { break-after: page; } .pdf-toc ol { line-height: 1.8; }
    .pdf-toc a { color: inherit; text-decoration: none; }
    pre > .buttons, code.result { display: none !important; }`;
  document.head.append(style);
  main.prepend(nav);
  return titles.length;
});
await page.emulateMedia({ media: "print" });
await page.pdf({
  path: out, format: "A4", printBackground: true, outline: true, tagged: true,
  margin: { top: "18mm", bottom: "18mm", left: "16mm", right: "16mm" },
});
await browser.close();
close();
console.log(`pdf: ${out} (${entries} chapters in its contents, ${figures.images} figures, ${figures.math} formulas, ${Math.round(fs.statSync(out).size / 1024)} KiB)`);
