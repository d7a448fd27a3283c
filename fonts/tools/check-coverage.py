"""Checks that a new embedded font maps every code point an old one did (see fonts/README.md).

usage: python3 check-coverage.py OLD_FONT NEW_FONT
Prints the counts and exits with status 1, listing them, when some code point is missing.
"""
import sys

from fontTools.ttLib import TTFont

old = set(TTFont(sys.argv[1]).getBestCmap())
new = set(TTFont(sys.argv[2]).getBestCmap())
missing = sorted(old - new)
print(f"old {len(old)} code points, new {len(new)}, missing {len(missing)}, added {len(new - old)}")
if missing:
    print(" ".join(f"U+{c:04X}" for c in missing))
    sys.exit(1)
