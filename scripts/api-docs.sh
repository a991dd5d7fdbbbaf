#!/usr/bin/env bash
# Builds the API documentation of the reader's crate (rustdoc, no warnings
# allowed) and puts it in src/api/ (ignored by git), which mdBook copies to
# book/api/: the listings' captions link their items there, offline.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
rm -rf target/doc   # no page left over from an earlier build
RUSTDOCFLAGS="-D warnings" cargo doc --quiet -p verified_dl --no-deps
rm -rf src/api
mkdir -p src/api
cp -R target/doc/. src/api/
