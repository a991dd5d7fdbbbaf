#!/usr/bin/env bash
# Builds the book and serves it at http://localhost:3000, rebuilding on change.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"
# the listing captions preprocessor, and the API documentation the captions link
cargo build --quiet -p book-tools
scripts/api-docs.sh
exec mdbook serve --hostname 127.0.0.1 --port "${PORT:-3000}"
