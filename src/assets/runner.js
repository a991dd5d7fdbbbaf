// The Run buttons of the book's examples, on the book's local runner.
//
// Written against mdBook 0.5.3's book.js (pinned in scripts/tools.sh; the
// test tools/tests/runner.rs fails if the pin moves and this line does not).
// What it relies on there, all checked by browser-check/check.mjs:
//   * book.js asks https://play.rust-lang.org/meta/crates for the crates the
//     online playground has before it shows any Run button, and sends code
//     to https://play.rust-lang.org/evaluate.json. This script is loaded in
//     the page's <head> (theme/head.hbs), before book.js, and answers both
//     requests itself, so the book never asks the network for anything;
//   * the Run button is `.play-button` in the `pre.playground` it runs, and
//     the output goes into a `code.result` appended to that `pre`;
//   * `playground_text(pre)` (a global of book.js) gives the code, with the
//     reader's edits when the example is editable.
// The button's clicks (and Ctrl-Enter in an editor) are taken in the capture
// phase, before book.js sees them, and sent to the local runner instead.
//
// The runner's address and secret come in the URL fragment of the link that
// `make serve` prints (#runner-port=...&runner-token=...). Fragments are not
// sent to servers; the token is kept in this tab's sessionStorage and
// removed from the address bar. It is never part of the built book.
(function () {
  "use strict";

  const KEY = "verified-dl-runner";
  const PLAYGROUND = "https://play.rust-lang.org/";
  const TIMEOUT_MS = 120000;

  function readFragment() {
    const hash = window.location.hash.replace(/^#/, "");
    if (!hash.includes("runner-token=")) return;
    const params = new URLSearchParams(hash);
    const port = params.get("runner-port");
    const token = params.get("runner-token");
    if (/^[0-9]{1,5}$/.test(port || "") && /^[0-9a-f]{32,128}$/.test(token || "")) {
      try {
        sessionStorage.setItem(KEY, JSON.stringify({ port: Number(port), token }));
      } catch (_) { /* storage disabled: the buttons will say how to start the runner */ }
    }
    params.delete("runner-port");
    params.delete("runner-token");
    const rest = params.toString();
    const url = window.location.pathname + window.location.search + (rest ? "#" + rest : "");
    window.history.replaceState(window.history.state, "", url);
  }

  function runnerConfig() {
    try {
      const c = JSON.parse(sessionStorage.getItem(KEY) || "null");
      if (c && c.port && c.token) return c;
    } catch (_) { /* no storage, or not ours */ }
    return null;
  }

  const HOW_TO_START =
    "The examples run on the book's local runner, which is not connected to this page.\n" +
    "To run and edit them: in the book's folder, run\n\n" +
    "    make serve\n\n" +
    "and open the link it prints (http://127.0.0.1:3000/#runner-port=…): it carries the\n" +
    "runner's secret key, so that no other web page can use the runner.";

  readFragment();

  // book.js's requests to the online playground, answered here.
  const realFetch = window.fetch.bind(window);
  function cratesOfThePage() {
    const names = new Set(["verified_dl", "ndarray", "rand", "approx"]);
    for (const code of document.querySelectorAll("pre.playground code")) {
      for (const m of code.textContent.matchAll(/extern\s+crate\s+([a-zA-Z_0-9]+)\s*;/g)) names.add(m[1]);
    }
    return [...names].map((id) => ({ id, name: id, version: "local" }));
  }
  window.fetch = function (input, init) {
    const url = typeof input === "string" ? input : (input && input.url) || "";
    if (url.startsWith(PLAYGROUND + "meta/crates")) {
      return Promise.resolve(new Response(JSON.stringify({ crates: cratesOfThePage() }),
        { headers: { "Content-Type": "application/json" } }));
    }
    if (url.startsWith(PLAYGROUND)) {
      let params = {};
      try { params = JSON.parse((init && init.body) || "{}"); } catch (_) { /* empty */ }
      return runCode(params.code || "", params.edition || "2021")
        .then((text) => new Response(JSON.stringify({ result: text }),
          { headers: { "Content-Type": "application/json" } }));
    }
    return realFetch(input, init);
  };

  // Compiles and runs `code` on the runner; resolves to the text to show.
  async function runCode(code, edition) {
    const cfg = runnerConfig();
    if (!cfg || window.location.protocol === "file:") return HOW_TO_START;
    const where = `http://127.0.0.1:${cfg.port}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    let response;
    try {
      response = await realFetch(`${where}/run`, {
        method: "POST",
        mode: "cors",
        credentials: "omit",
        headers: { "Content-Type": "application/json", "Authorization": `Bearer ${cfg.token}` },
        body: JSON.stringify({ code, edition }),
        signal: controller.signal,
      });
    } catch (e) {
      return `The book's runner does not answer at ${where} (${e.message}).\n` +
        "Is `make serve` still running? Start it again and open the link it prints.";
    } finally {
      clearTimeout(timer);
    }
    let body = {};
    try { body = await response.json(); } catch (_) { /* not JSON */ }
    if (response.status === 401 || response.status === 403) {
      try { sessionStorage.removeItem(KEY); } catch (_) { /* ignore */ }
      return `The runner refused this page: ${body.error || response.status}.\n\n` + HOW_TO_START;
    }
    if (response.status === 429) return `The runner is busy: ${body.error || "too many runs at once"}.`;
    if (!response.ok) return `The runner could not run the example: ${body.error || response.status}.`;
    return body.result || "";
  }

  function editionOf(pre) {
    const code = pre.querySelector("code");
    for (const c of code ? code.classList : []) if (c.startsWith("edition")) return c.slice(7);
    return "2021";
  }

  function resultBlock(pre) {
    let result = pre.querySelector("code.result");
    if (!result) {
      result = document.createElement("code");
      result.className = "result hljs language-bash";
      pre.append(result);
    }
    return result;
  }

  async function run(pre) {
    const result = resultBlock(pre);
    const text = typeof window.playground_text === "function"
      ? window.playground_text(pre)
      : pre.querySelector("code").textContent;
    result.classList.remove("result-no-output", "runner-off");
    result.innerText = "Running…";
    pre.classList.add("runner-running");
    const out = await runCode(text, editionOf(pre));
    pre.classList.remove("runner-running");
    if (out === HOW_TO_START || out.includes(HOW_TO_START)) result.classList.add("runner-off");
    if (out.trim() === "") {
      result.innerText = "No output";
      result.classList.add("result-no-output");
    } else {
      result.innerText = out;
    }
  }

  // The Run button, before book.js's own listener.
  document.addEventListener("click", (e) => {
    const button = e.target instanceof Element ? e.target.closest(".play-button") : null;
    const pre = button && button.closest("pre.playground");
    if (!pre) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    run(pre);
  }, true);

  // Ctrl-Enter in an editable example, before the editor's own command.
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !e.ctrlKey) return;
    const pre = e.target instanceof Element ? e.target.closest("pre.playground") : null;
    if (!pre) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    run(pre);
  }, true);

  // Opened as files or without the runner's link, the buttons say so in
  // their tooltip too.
  document.addEventListener("DOMContentLoaded", () => {
    const connected = runnerConfig() && window.location.protocol !== "file:";
    for (const b of document.querySelectorAll(".play-button")) {
      b.title = connected ? "Run this code on the book's local runner"
        : "Run this code (needs the local runner: see `make serve`)";
      b.setAttribute("aria-label", b.title);
    }
    document.documentElement.classList.toggle("runner-connected", Boolean(connected));
  });

  window.verifiedDlRunner = { run, runCode, config: runnerConfig, pinnedMdbook: "0.5.3" };
})();
