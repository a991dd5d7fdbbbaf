#!/usr/bin/env bash
# Builds the book and serves it at http://127.0.0.1:3000, rebuilding on
# change, with the local runner of its examples next to it on 127.0.0.1:3001
# (tools/src/runner.rs): the link it prints opens the book with the runner's
# secret key, and every example's Run button then compiles and runs it
# against this crate. In the background, the book is printed to one PDF
# (book.pdf, linked from the first page) once per start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"
PORT=${PORT:-3000}
RUNNER_PORT=${RUNNER_PORT:-3001}
# the listing captions preprocessor, the runner, and the API documentation the captions link
cargo build --quiet -p book-tools
scripts/api-docs.sh

children=()
cleanup() { for pid in "${children[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# The runner builds the crate once, then listens; of what it prints, the
# link with the token is shown last and prominently (and written nowhere).
announce() {
  while IFS= read -r line; do
    case $line in
      *runner-token=*)
        # after mdBook's own "Serving on" line: once the book's port answers
        for _ in $(seq 120); do
          (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
          sleep 0.5
        done
        sleep 0.5
        printf '\n==> Open the book with its runner (the link carries its secret key):\n==>   %s\n\n' "${line##* }" ;;
      *) printf '%s\n' "$line" ;;
    esac
  done
}
target/debug/runner serve --port "$RUNNER_PORT" --book-port "$PORT" > >(announce) &
children+=($!)

# The PDF, from a build of its own. scripts/pdf.sh copies it to src/book.pdf,
# which every later rebuild copies into book/; it goes into book/ now too.
if command -v node >/dev/null && [ -x "${CHROMIUM:-/usr/bin/chromium}" ] && command -v pdftotext >/dev/null; then
  (
    if mdbook build -d target/pdf-book >/dev/null 2>&1 \
      && scripts/pdf.sh target/pdf-book target/book.pdf >target/pdf.log 2>&1; then
      cp target/book.pdf book/book.pdf
      echo "==> the book as one PDF: http://127.0.0.1:$PORT/book.pdf"
    else
      echo "==> the PDF could not be made: see target/pdf.log"
    fi
  ) &
  children+=($!)
else
  echo "==> no PDF: printing it needs node, Chromium and poppler-utils (see the README)"
fi

mdbook serve --hostname 127.0.0.1 --port "$PORT"
