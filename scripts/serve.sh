#!/usr/bin/env bash
# Builds the book and serves it at http://localhost:3000, rebuilding on change.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"
exec mdbook serve --hostname 127.0.0.1 --port "${PORT:-3000}"
