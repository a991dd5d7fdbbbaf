#!/usr/bin/env bash
# Prints the built book (mdBook's print page) to one PDF with headless
# Chromium, and checks it: `scripts/pdf.sh <built book folder> <output.pdf>`.
# The output is then copied to src/book.pdf (ignored by git), which mdBook
# copies into every later build, where the first page links it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
book=${1:-book}
out=${2:-book/book.pdf}
(cd browser-check && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --silent; })
node browser-check/pdf.mjs "$book" "$out"
scripts/pdf-check.sh "$out"
cp "$out" src/book.pdf
