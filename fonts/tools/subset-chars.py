"""Writes the character list the embedded fonts are subset to (see fonts/README.md).

GB 2312 (all code points the Python 'gb2312' codec decodes) ∪ the 8,105 characters of
通用规范汉字表 (a file with one or more characters per line, given as argv[1]) ∪ Latin,
general punctuation, arrows, box drawing, geometric shapes, CJK symbols and full-width forms.
"""
import sys

def gb2312():
    out = set()
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                out.add(bytes([b1, b2]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out

RANGES = [(0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x206F), (0x2100, 0x215F), (0x2190, 0x21FF),
          (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x26FF),
          (0x2700, 0x27BF), (0x3000, 0x303F), (0x3200, 0x32FF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)]

chars = gb2312()
chars |= {c for c in open(sys.argv[1], encoding="utf-8").read() if ord(c) > 0x2E7F}
for lo, hi in RANGES:
    chars |= {chr(c) for c in range(lo, hi + 1)}
sys.stdout.write("".join(sorted(chars)))
