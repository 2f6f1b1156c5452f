"""One spelling for the characters that vary between sources, before anything looks for patterns."""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import resources

# Full-width digits, Latin letters and the few symbols that appear inside numbers; CJK punctuation such as
# （）、：， stays as printed, since quotes must match the source and patterns accept both widths.
_WIDE = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_WIDE |= {chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)}
_WIDE |= {chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)}
_WIDE |= {
    "．": ".",
    "％": "%",
    "＋": "+",
    "－": "-",
    "／": "/",
    "\u3000": " ",
    "\xa0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u200b": "",
    "\ufeff": "",
}
# Glyphs some PDF producers map to radicals or compatibility forms (⼈ U+2F08 for 人, ⺠ U+2EA0 for 民, ⽉ for 月):
# headings, labels and dates are only found once they are the ideographs themselves.
_WIDE |= {
    chr(c): unicodedata.normalize("NFKC", chr(c))
    for c in [*range(0x2F00, 0x2FD6), *range(0xF900, 0xFADA)]
    if unicodedata.normalize("NFKC", chr(c)) != chr(c)
}
_WIDE |= json.loads(resources.files(__package__).joinpath("radicals.json").read_text(encoding="utf-8"))["radicals"]
_TABLE = str.maketrans(_WIDE)
PAGE_FOOTER = re.compile(r"^\s*(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?)\s*$")


def normalize(text: str) -> str:
    """Half-width digits and letters, plain spaces, no page-number footers, no trailing blanks."""
    text = text.translate(_TABLE)
    lines = [line.rstrip(" ") for line in text.split("\n") if not PAGE_FOOTER.match(line)]
    return "\n".join(lines)
