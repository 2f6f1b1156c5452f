"""A PDF page as pdfium sees it: its characters and its ruling edges, in the dicts pdfplumber's own algorithms read.

pdfminer interprets a content stream in Python, 20 µs an operator; pdfium (the C++ engine of Chromium, installed
with pdfplumber as pypdfium2) does it twenty times faster. What pdfium gives is turned into what pdfminer would
have given, so that pdfplumber's word, line and table-finding code (`extract_text`, `TableFinder`) runs unchanged
on it:

- a character is its loose box (the font's advance, ascent and descent), made pdfminer's: the box's bottom is
  the baseline less the descent and its height the font size (a glyph of a vertical font: an em square on its
  origin). A character pdfium cannot map to Unicode is written `(cid:N)` as pdfminer writes it, so a garbled
  text layer still reads as garbled (nlp/read/text_layer.py).
- a path is cut into subpaths and each classified as pdfminer classifies it (a line, an axis-aligned rectangle,
  or a curve of points), then turned into edges by pdfplumber's own `line_to_edge`, `rect_to_edges` and
  `curve_to_edges`.

Coordinates are pdfplumber's: x from the left, `top` and `bottom` down from the top of the media box.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

Obj = dict[str, Any]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# pdfium is not thread-safe: a process reads one PDF with it at a time (a dask worker may run several threads).
LOCK = threading.Lock()
MAX_FORM_DEPTH = 16  # forms nested deeper than this are not followed (pdfminer stops at its recursion limit)


@dataclass
class PageContent:
    """What the reader needs of one page; `edges` is all pdfplumber's TableFinder reads of a page."""

    chars: list[Obj]
    edges: list[Obj]
    drawn: bool  # anything on the page at all: a page drawn but without text is a scan


def page_content(page: pdfium.PdfPage, max_chars: int) -> PageContent:
    """The page's characters and edges; `max_chars` bounds what one page may hand to Python."""
    top = page.get_mediabox()[3]
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count > max_chars:
            raise TooManyChars
        chars = list(_chars(textpage, count, top))
    finally:
        textpage.close()
    raw_page = page.raw
    objects = raw.FPDFPage_CountObjects(raw_page)
    lines: list[Obj] = []
    rects: list[Obj] = []
    curves: list[Obj] = []
    for index in range(objects):
        _collect(raw.FPDFPage_GetObject(raw_page, index), IDENTITY, top, (lines, rects, curves), 0)
    edges = [line_to_edge(line) for line in lines] + [e for r in rects for e in rect_to_edges(r)]
    edges += [e for curve in curves for e in curve_to_edges(curve)]
    return PageContent(chars, edges, objects > 0)


class TooManyChars(Exception):
    """A page draws more characters than a report holds."""


def _chars(textpage: pdfium.PdfTextPage, count: int, top: float) -> Iterator[Obj]:
    tp = textpage.raw
    box = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    pending_high = 0
    for index in range(count):
        if raw.FPDFText_IsGenerated(tp, index) == 1:
            continue
        code = raw.FPDFText_GetUnicode(tp, index)
        if 0xD800 <= code < 0xDC00:  # a character beyond the BMP comes as two halves
            pending_high = code
            continue
        if pending_high and 0xDC00 <= code < 0xE000:
            code, pending_high = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00), 0
        text = f"(cid:{code})" if raw.FPDFText_HasUnicodeMapError(tp, index) == 1 else chr(code)
        raw.FPDFText_GetLooseCharBox(tp, index, box)
        raw.FPDFText_GetMatrix(tp, index, matrix)
        a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
        size = raw.FPDFText_GetFontSize(tp, index) * (abs(d) if b == 0 else (b * b + d * d) ** 0.5)
        low, x0, x1 = top - box.bottom, box.left, box.right
        if x1 - x0 > 2 * size:  # a glyph of a vertical font: pdfium's loose box runs on; pdfminer's starts at
            raw.FPDFText_GetCharOrigin(tp, index, origin_x, origin_y)  # the origin and is one em square
            low, x0, x1 = top - origin_y.value, origin_x.value, origin_x.value + size
        yield {
            "text": text,
            "x0": x0,
            "x1": x1,
            "top": low - size,
            "bottom": low,
            "doctop": low - size,
            "width": x1 - x0,
            "height": size,
            "upright": a * d > 0 and b * c <= 0,
        }


def _collect(obj: Any, outer: Matrix, top: float, into: tuple[list[Obj], ...], depth: int) -> None:
    kind = raw.FPDFPageObj_GetType(obj)
    if kind == raw.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
        inner = _compose(_matrix(obj), outer)
        for index in range(raw.FPDFFormObj_CountObjects(obj)):
            _collect(raw.FPDFFormObj_GetObject(obj, index), inner, top, into, depth + 1)
    elif kind == raw.FPDF_PAGEOBJ_PATH:
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj, fill, stroke)
        if fill.value or stroke.value:
            matrix = _compose(_matrix(obj), outer)
            for shape, points in _subpaths(obj, matrix):
                _classify(shape, [(x, top - y) for x, y in points], top, into)


def _matrix(obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    p, q, r, s, t, u = outer
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _subpaths(obj: Any, matrix: Matrix) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """Each subpath as pdfminer records it: its operators (`m`, `l`, `c`, `h`) and one point per operator (the
    end point of a curve; the start point again for `h`), transformed to page space."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    shape, points = "", []
    bezier = 0
    for index in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        kind = raw.FPDFPathSegment_GetType(segment)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if shape:
                yield shape, points
            shape, points = "m", [point]
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:  # two control points, then the end point
                continue
            shape, points = shape + "c", points + [point]
        else:
            shape, points = shape + "l", points + [point]
        if raw.FPDFPathSegment_GetClose(segment) and shape:
            shape, points = shape + "h", points + [points[0]]
    if shape:
        yield shape, points


def _classify(shape: str, pts: list[tuple[float, float]], top: float, into: tuple[list[Obj], ...]) -> None:
    """pdfminer's `paint_path`: a line, a rectangle or a curve (points in pdfplumber's `top` coordinates)."""
    lines, rects, curves = into
    if not shape.startswith("m"):
        return
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape, pts = shape[:-2] + "h", pts[:-1]
    if shape in {"mlh", "ml"}:
        lines.append(_box(pts[:2], top) | {"object_type": "line", "pts": pts[:2]})
        return
    if shape in {"mlllh", "mllll"}:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            rects.append(_box([pts[0], pts[2]], top) | {"object_type": "rect"})
            return
    curves.append(_box(pts, top) | {"object_type": "curve", "pts": pts})


def _box(pts: list[tuple[float, float]], top: float) -> Obj:
    """The object's box in pdfplumber's keys (`y0`, `y1` up from the bottom, as `rect_to_edges` needs them)."""
    xs, tops = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, upper, lower = min(xs), max(xs), min(tops), max(tops)
    box = {"x0": x0, "x1": x1, "top": upper, "bottom": lower, "doctop": upper, "y0": top - lower, "y1": top - upper}
    return box | {"width": x1 - x0, "height": lower - upper}
