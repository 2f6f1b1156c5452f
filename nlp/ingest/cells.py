"""The line conventions every reader shares, so that a table reads the same from PDF, Word and HTML.

A table row is one line of cells joined by a tab; a cell loses its line breaks (a wrapped or vertically printed
label is one label) and its runs of spaces. An empty cell stays an empty string, because empty and 0 differ;
a position covered by a merged cell is left out by the caller (passed as None).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SPACES = re.compile(r"[ \t\f\v\u3000\xa0]+")


def cell_text(raw: str) -> str:
    """One cell's text on one line: a label wrapped over several lines was still one label."""
    return SPACES.sub(" ", raw.replace("\r", "").replace("\n", "")).strip()


def prose_line(raw: str) -> str:
    """A line of prose with no tab in it, so that it can never be taken for a table row."""
    return SPACES.sub(" ", raw).strip()


def row_line(cells: Iterable[str | None]) -> str | None:
    """A table row as one tab-joined line, None (merged-over) positions left out.

    A row with no text is None unless it has several cells: those are the value cells of a blank form, and the
    table parser needs to see that they exist and are empty.
    """
    texts = [cell_text(cell) for cell in cells if cell is not None]
    return "\t".join(texts) if any(texts) or len(texts) > 1 else None
