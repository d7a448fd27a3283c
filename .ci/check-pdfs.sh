#!/usr/bin/env bash
# Checks every PDF under DIR the way a reader would see it:
#   - qpdf --check finds no damage;
#   - pdffonts lists every font as embedded, subset and with a ToUnicode map (emb sub uni = yes);
#   - pdftotext extracts some text;
#   - pdftotext -bbox finds no word closer than 8 mm to the paper edge.
# Prints one line per failure naming the file, then "check-pdfs: N passed, M failed".
# Exit status: 0 when every file passes, 1 when some fail, 2 on a usage error.
# Needs qpdf, poppler-utils (pdffonts, pdftotext) and python3.
set -uo pipefail

EDGE_MM=8

usage() {
    echo "usage: $0 DIR" >&2
    exit 2
}

[[ $# -eq 1 && -d $1 ]] || usage
for tool in qpdf pdffonts pdftotext python3; do
    command -v "$tool" >/dev/null || { echo "check-pdfs: $tool is not installed" >&2; exit 2; }
done

# Reads `pdffonts` output on stdin; prints one line per font that is not emb/sub/uni.
fonts_problems() {
    python3 -c '
import sys
rows = sys.stdin.read().splitlines()[2:]
for row in rows:
    cols = row.split()
    # The last two columns are the object number and generation; emb sub uni precede them.
    if len(cols) < 6:
        continue
    emb, sub, uni = cols[-5], cols[-4], cols[-3]
    missing = [n for n, v in (("embedded", emb), ("subset", sub), ("ToUnicode", uni)) if v != "yes"]
    if missing:
        print("font %s is not %s" % (cols[0], ", ".join(missing)))
'
}

# Reads `pdftotext -bbox` XHTML on stdin; prints one line per word outside the margins.
bbox_problems() {
    python3 -c '
import sys, re
import xml.etree.ElementTree as ET
limit = float(sys.argv[1]) * 72 / 25.4
doc = ET.fromstring(sys.stdin.read())
number = 0
for page in doc.iter("{http://www.w3.org/1999/xhtml}page"):
    number += 1
    width, height = float(page.get("width")), float(page.get("height"))
    for word in page.iter("{http://www.w3.org/1999/xhtml}word"):
        x0, y0, x1, y1 = (float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
        if x0 < limit or y0 < limit or x1 > width - limit or y1 > height - limit:
            print("page %d: \"%s\" at (%.1f, %.1f)-(%.1f, %.1f) pt is within %s mm of the edge"
                  % (number, word.text, x0, y0, x1, y1, sys.argv[1]))
' "$EDGE_MM"
}

# Joins a tool's messages into one short line.
oneline() {
    tr -s '\n' ' ' | cut -c1-240
}

# Prints the reasons `$1` fails, nothing when it passes.
problems() {
    local pdf=$1 out
    if ! out=$(qpdf --check "$pdf" 2>&1); then
        echo "qpdf --check: $(grep -v '^checking\|^PDF Version\|^File is not' <<<"$out" | oneline)"
    fi
    if ! out=$(pdffonts "$pdf" 2>&1); then
        echo "pdffonts failed: $(oneline <<<"$out")"
    else
        fonts_problems <<<"$out"
    fi
    if ! out=$(pdftotext -enc UTF-8 "$pdf" - 2>&1); then
        echo "pdftotext failed: $(oneline <<<"$out")"
    elif [[ -z ${out//[[:space:]]/} ]]; then
        echo "pdftotext extracts no text"
    fi
    if ! out=$(pdftotext -bbox -enc UTF-8 "$pdf" - 2>/dev/null); then
        echo "pdftotext -bbox failed"
    else
        bbox_problems <<<"$out" | head -5
    fi
}

passed=0
failed=0
while IFS= read -r -d '' pdf; do
    reasons=$(problems "$pdf")
    if [[ -z $reasons ]]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        while IFS= read -r reason; do
            echo "FAIL $pdf: $reason"
        done <<<"$reasons"
    fi
done < <(find "$1" -type f -name '*.pdf' -print0 | sort -z)

echo "check-pdfs: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
