#!/usr/bin/env bash
# Prepares the library folder for `mdbook test -L`: exactly one compiled copy
# of this crate and of each of its dependencies.
#
# Why this is needed: `mdbook test` runs rustdoc on each chapter with `-L DIR`,
# and rustdoc resolves `use verified_dl::...` by searching DIR for a file named
# libverified_dl-*.rlib. The ordinary target/debug/deps holds several such files
# as soon as the crate has been built in more than one way (a plain build, a
# test build, clippy, an older version): rustdoc then stops with "multiple
# candidates for rlib dependency". Building into a target folder of its own and
# copying out exactly the files that this one build produced gives rustdoc one
# candidate per crate, however often `cargo test` runs in between.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"
out="$ROOT/target/mdbook-deps"
json=$(cargo build --quiet -p verified_dl --lib --target-dir "$ROOT/target/mdbook" --message-format=json)
rm -rf "$out" && mkdir -p "$out"
printf '%s\n' "$json" | grep '"reason":"compiler-artifact"' \
  | grep -o '"filenames":\[[^]]*\]' | grep -o '"/[^"]*"' | tr -d '"' \
  | grep -E '\.(rlib|so)$' | while read -r f; do cp "$f" "$out/"; done
echo "$out"
