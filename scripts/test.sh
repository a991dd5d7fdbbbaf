#!/usr/bin/env bash
# Runs every check of the book, in order, and stops at the first failure:
#   1. the crate's tests: unit, integration (every labelled equation) and the
#      chapters as doctests, and the tools' tests, among them the local
#      runner's security tests (`cargo test --workspace`);
#   2. the ledger appendix, regenerated from what those tests measured;
#   3. the API documentation (`cargo doc`, no warnings) and the book's build,
#      which must print no warning (`mdbook build`);
#   4. the book's examples under mdBook (`mdbook test`);
#   5. the book as one PDF, printed by headless Chromium and read back;
#   6. every page in headless Chromium (no network, no raw TeX, no broken
#      image), and the Run and edit buttons on the local runner.
set -euo pipefail
tools_started=$SECONDS
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"
echo "tools ready ($((SECONDS - tools_started))s)"

started=$SECONDS
last=$SECONDS
step() {
  [ "$last" -ne "$SECONDS" ] && printf '   (%ds)\n' $((SECONDS - last))
  last=$SECONDS
  printf '\n== %s\n' "$*"
}

step "cargo test: the crate's tests and the chapters' examples"
rm -rf target/tmp/ledger
cargo test --workspace

step "ledger: src/appendix/ledger.md from the measurements of this run"
cargo run --quiet -p book-tools -- ledger

step "API documentation: cargo doc (no warnings allowed), into the book as api/"
scripts/api-docs.sh

step "mdbook build (no warnings allowed)"
log=$(mdbook build 2>&1) || { printf '%s\n' "$log"; exit 1; }
if printf '%s\n' "$log" | grep -E 'WARN|ERROR'; then
  echo "mdbook build printed warnings"; exit 1
fi
# Every page, the API documentation's included, loads nothing from the network.
if grep -rhoE '<(script|link|img|iframe)[^>]+(src|href)="https?://[^"]+' book | grep -oE 'https?://[^"]+' | sort -u | grep .; then
  echo "the built book loads the resources above from the network"; exit 1
fi

step "mdbook test: every example of the book, against this crate"
deps=$(scripts/mdbook-deps.sh)
mdbook test -L "$deps"

step "PDF: the print page through headless Chromium into book/book.pdf, read back"
if command -v node >/dev/null && [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  scripts/pdf.sh book book/book.pdf
elif [ "${CI:-}" = true ]; then
  echo "PDF: node or Chromium is missing; under CI that is a failure"; exit 1
else
  echo "PDF: SKIPPED (node or Chromium is missing)"
fi

step "browser: every page in headless Chromium, and the examples' Run buttons on the local runner"
if command -v node >/dev/null; then
  (cd browser-check && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --silent; })
  node browser-check/check.mjs book screenshots
elif [ "${CI:-}" = true ]; then
  echo "browser check: node is missing; under CI that is a failure"; exit 1
else
  echo "browser check: SKIPPED (node is missing)"
fi

step "all checks passed in $((SECONDS - started))s"
