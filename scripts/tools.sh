#!/usr/bin/env bash
# Installs the book's tools, at pinned versions, into .tools/ (ignored by git),
# unless the right versions are already there. Sourced by serve.sh and test.sh.
#
# The pins go together: mdbook-katex 0.10.0 is built against mdbook 0.5.3 and
# warns about a version mismatch under any other mdbook.
set -euo pipefail

MDBOOK_VERSION=0.5.3
MDBOOK_KATEX_VERSION=0.10.0

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/.tools"
export PATH="$TOOLS/bin:$PATH"

install_pinned() { # crate version expected-version-line
  local crate=$1 version=$2 line=$3
  if [ "$("$TOOLS/bin/$crate" --version 2>/dev/null || true)" = "$line" ]; then
    return
  fi
  echo "installing $crate $version into .tools/ (once; a few minutes)" >&2
  cargo install --locked --quiet --root "$TOOLS" "$crate" --version "$version"
}

install_pinned mdbook "$MDBOOK_VERSION" "mdbook v$MDBOOK_VERSION"
install_pinned mdbook-katex "$MDBOOK_KATEX_VERSION" "mdbook-katex $MDBOOK_KATEX_VERSION"
