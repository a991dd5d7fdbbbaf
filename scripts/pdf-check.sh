#!/usr/bin/env bash
# Reads the book's PDF back and fails unless: its text has no raw TeX (the
# math was rendered), every chapter title of src/SUMMARY.md is in it, its
# outline (the PDF's table of contents) names every chapter, it has figures,
# and its page count is in a sane range.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pdf=${1:-$ROOT/book/book.pdf}
for tool in pdftotext pdfinfo pdftohtml pdfimages; do
  command -v "$tool" >/dev/null || { echo "pdf check: $tool is missing (Debian's poppler-utils)"; exit 1; }
done
fail=0
text=$(pdftotext -enc UTF-8 "$pdf" - | tr -s ' \n' '  ')
# (Chromium drops the space where a long heading wraps: compare without spaces.)
outline=$(pdftohtml -xml -i -stdout "$pdf" 2>/dev/null | sed -n '/<outline>/,$p' | tr -d ' \n')
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
# (sed, not head, takes the first three: head would end the pipe early, and
# under pipefail a grep killed by SIGPIPE would hide the very matches it found)
raw=$(printf '%s' "$text" | { grep -oE '\$\$|\\(frac|sum|prod|partial|mathbb|mathbf|mathrm|tag|begin|left|right|cdot|ldots|sigma)\b' || true; } | sed -n 1,3p)
if [ -n "$raw" ]; then
  echo "pdf check: raw TeX in the text: $(printf '%s' "$raw" | tr '\n' ' ')"; fail=1
fi
titles=0
while IFS= read -r title; do
  titles=$((titles + 1))
  plain=$(printf '%s' "$title" | sed 's/`//g')
  grep -qF -- "$plain" <<<"$text" || { echo "pdf check: the chapter \"$plain\" is not in the text"; fail=1; }
  xml=$(printf '%s' "$plain" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g' | tr -d ' ')
  grep -qF -- ">$xml</item>" <<<"$outline" \
    || { echo "pdf check: the chapter \"$plain\" is not in the PDF's outline"; fail=1; }
done < <(grep -oE '\[[^]]+\]\([^)]+\.md\)' "$ROOT/src/SUMMARY.md" | sed -E 's/^\[([^]]+)\].*/\1/')
images=$(pdfimages -list "$pdf" 2>/dev/null | tail -n +3 | wc -l)
figures=$(grep -rhoE 'figures/[^")]+\.png' "$ROOT/src" --include='*.md' | sort -u | wc -l)
if [ "$figures" -gt 0 ] && [ "$images" -lt "$figures" ]; then
  echo "pdf check: $images images in the PDF, fewer than the $figures PNG figures the chapters show"; fail=1
fi
if [ "$pages" -lt 20 ] || [ "$pages" -gt 600 ]; then
  echo "pdf check: $pages pages, outside the sane range 20 to 600"; fail=1
fi
[ "$fail" -eq 0 ] || exit 1
echo "pdf check: $pages pages, all $titles chapters in the text and the outline, $images images, no raw TeX"
