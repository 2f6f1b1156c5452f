"""PDF: page text and ruled tables in reading order, tables as tab rows.

A page's characters and ruling edges come from pdfium (nlp/ingest/pdfium_page.py), or from pdfminer under the
old reader; pdfplumber's algorithms find the tables on the edges and the lines of the text.

Each page's tables are found once. Every character goes to exactly one place: a real table's cell, or the prose
band before the table it sits above or beside, so nothing is lost or read twice. pdfplumber reports a bordered
text block as a one-column table; that is prose, and is read as prose.
"""

from __future__ import annotations

import io
import logging
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import extract_text, obj_to_bbox
from pdfplumber.utils.exceptions import PdfminerException

from nlp.document import Extracted, ReadError
from nlp.ingest.cells import prose_line, row_line
from nlp.ingest.pdfguard import check_streams, guarded, too_many_chars
from nlp.ingest.pdfium_page import LOCK, PageContent, TooManyChars, page_content
from nlp.settings import Settings, get_settings

Char = dict[str, Any]
Position = tuple[int, int]
Point = tuple[float, float]
Box = tuple[float, float, float, float]

# pdfminer logs what it copes with (`Could not get FontBBox from font descriptor`): not for a user's terminal.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def read_pdf(data: bytes, settings: Settings | None = None) -> Extracted:
    """Read every page; a page with no text layer (a scan) is read by OCR (nlp/ingest/ocr.py)."""
    settings = settings or get_settings()
    read_pages = _pdfium_pages if settings.pdf_reader == "pdfium" else _pdfplumber_pages
    contents, created = read_pages(data, settings)
    pages = [_page_lines(content) for content in contents]
    dates = {"pdf_metadata": created} if created else {}
    scanned = [number for number, lines in enumerate(pages, 1) if lines is None]
    if not scanned:
        if not any(pages):
            raise ReadError("empty", "The PDF has no text or images on any page: there is nothing to read.")
        return Extracted(text=_join(pages), medium="pdf", pages=len(pages), dates=dates)
    from nlp.ingest.ocr import read_pdf_pages

    reader, read = read_pdf_pages(data, scanned, settings)
    texts = [read[n][0] if lines is None else lines for n, lines in enumerate(pages, 1)]
    if not any(texts):
        why = "; ".join(f"page {n}: {problem}" for n, problem in reader.problems)
        raise ReadError(
            "scanned",
            f"No text layer on {page_ranges(scanned)}, and OCR could not read them ({why}): "
            "send a clearer scan or the original file.",
        )
    reader.ocr.tagged = _join([read[n][1] if lines is None else lines for n, lines in enumerate(pages, 1)])
    warnings = reader.notices(page_ranges(scanned))
    return Extracted(text=_join(texts), medium="pdf", pages=len(pages), warnings=warnings, dates=dates, ocr=reader.ocr)


def _pdfium_pages(data: bytes, settings: Settings) -> tuple[list[PageContent], str | None]:
    """Every page's characters and edges from pdfium, and the PDF's creation date.

    Only Flate streams need a bound of ours (`check_streams`); the characters are counted page by page."""
    check_streams(data, settings.max_stream_bytes)
    with LOCK:
        return _pdfium_read(data, settings)


def _pdfium_read(data: bytes, settings: Settings) -> tuple[list[PageContent], str | None]:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise _pdfium_error(raw.FPDF_GetLastError()) from None
    try:
        _check_length(len(pdf), settings.max_pages)
        room, contents = settings.max_text_chars, []
        for page in pdf:
            try:
                contents.append(page_content(page, room))
            except TooManyChars:
                raise too_many_chars(settings.max_text_chars) from None
            finally:
                page.close()
            room -= len(contents[-1].chars)
        created = pdf.get_metadata_value("CreationDate") or None
    finally:
        pdf.close()
    return contents, created


def _pdfplumber_pages(data: bytes, settings: Settings) -> tuple[list[PageContent], str | None]:
    """The old reader: pdfminer under the bounds of `guarded` (stream size, reference cycles, characters drawn)."""
    try:
        with guarded(settings.max_stream_bytes, settings.max_text_chars), pdfplumber.open(io.BytesIO(data)) as pdf:
            _check_length(len(pdf.pages), settings.max_pages)
            contents = [PageContent(page.chars, page.edges, bool(page.objects)) for page in pdf.pages]
            created = pdf.metadata.get("CreationDate")
    except (PdfminerException, PSException) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, (ReadError, MemoryError)):  # our bounds, and the worker's memory cap, pass through
            raise cause from None
        raise _open_error(exc) from exc
    except RecursionError as exc:
        raise _nested_too_deeply() from exc
    return contents, created if isinstance(created, str) else None


def _check_length(pages: int, max_pages: int) -> None:
    if pages > max_pages:
        raise ReadError(
            "too_long",
            f"The PDF has {pages} pages, more than one report has "
            f"({max_pages} at most, GONGKAI_MAX_PAGES): send each report on its own.",
        )


def _join(pages: list[list[str] | None]) -> str:
    return "\n".join(line for lines in pages for line in lines or ())


def _nested_too_deeply() -> ReadError:
    return ReadError(
        "unreadable", "The PDF's objects are nested too deeply (or contain themselves) to read: export it again."
    )


def _pdfium_error(code: int) -> ReadError:
    if code == raw.FPDF_ERR_PASSWORD:
        return _locked()
    if code == raw.FPDF_ERR_SECURITY:
        return _locked_unknown()
    return _damaged()


def _locked() -> ReadError:
    return ReadError("encrypted", "The PDF is password-protected; remove the password and upload it again.")


def _locked_unknown() -> ReadError:
    return ReadError(
        "encrypted", "The PDF is encrypted in a way we cannot open; save an unprotected copy and upload that."
    )


def _damaged() -> ReadError:
    return ReadError(
        "truncated", "The PDF is truncated or damaged; download or export it again and upload the complete file."
    )


def _open_error(exc: Exception) -> ReadError:
    """pdfplumber wraps pdfminer's error; the wrapped one says whether the file is locked or broken."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return _locked()
    if isinstance(cause, PDFEncryptionError):
        return _locked_unknown()
    return _damaged()


def page_ranges(numbers: list[int]) -> str:
    """Page numbers as compact ranges ("pages 1–3, 5"), so a long scanned PDF still gives a one-line message."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    ranges = ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
    return f"page {ranges}" if len(numbers) == 1 else f"pages {ranges}"


def _page_lines(page: PageContent) -> list[str] | None:
    """The page's lines in reading order; None when something is drawn but there is no text (a scan)."""
    chars = page.chars
    if not any(char["text"].strip() for char in chars):
        return None if page.drawn else []  # a page with nothing on it is just blank
    found = _TableFinder(page).tables
    tables = sorted((t for t in found if _column_count(t) > 1), key=lambda t: t.bbox[1])
    in_table: list[list[Char]] = [[] for _ in tables]
    boxes = [t.bbox for t in tables]  # a property pdfplumber computes anew from the cells at each call
    bottoms = list(accumulate((box[3] for box in boxes), max))
    bands: list[list[Char]] = [[] for _ in range(len(tables) + 1)]
    for char in chars:
        index = next((i for i, box in enumerate(boxes) if _contains(box, char)), None)
        if index is None:
            bands[bisect_right(bottoms, _middle(char)[1])].append(char)
        else:
            in_table[index].append(char)
    lines = []
    for index, table in enumerate(tables):
        lines += _prose_lines(bands[index])
        lines += [line for row in _table_rows(table, in_table[index]) if (line := row_line(row)) is not None]
    return lines + _prose_lines(bands[-1])


class _TableFinder(TableFinder):
    """pdfplumber's `find_tables` with its default settings, on the page's edges. Its cell search is the same
    search (`_cells`), with each point's edges made a set once instead of at every comparison: 23 of the 37 ms
    the finder took on a Hongze report."""

    def __init__(self, page: PageContent) -> None:
        self.page, self.settings = page, TableSettings.resolve(None)
        self.edges = self.get_edges()
        tolerance = self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance
        self.intersections = edges_to_intersections(self.edges, *tolerance)
        self.cells = _cells(self.intersections)
        self.tables = [Table(page, cells) for cells in cells_to_tables(self.cells)]


def _cells(intersections: dict[Point, dict[str, list[Char]]]) -> list[Box]:
    """pdfplumber's `intersections_to_cells`: from each point, the smallest rectangle whose four corners are
    points joined by edges."""
    v = {point: {obj_to_bbox(edge) for edge in edges["v"]} for point, edges in intersections.items()}
    h = {point: {obj_to_bbox(edge) for edge in edges["h"]} for point, edges in intersections.items()}

    def joined(a: Point, b: Point) -> bool:
        return (a[0] == b[0] and not v[a].isdisjoint(v[b])) or (a[1] == b[1] and not h[a].isdisjoint(h[b]))

    points = sorted(intersections)
    columns: dict[float, list[Point]] = {}
    rows: dict[float, list[Point]] = {}
    for point in points:
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)

    def smallest_from(point: Point) -> Box | None:
        right = [other for other in rows[point[1]] if other > point]
        for down in (other for other in columns[point[0]] if other > point):
            if not joined(point, down):
                continue
            for across in right:
                corner = (across[0], down[1])
                if not joined(point, across) or corner not in intersections:
                    continue
                if joined(corner, across) and joined(corner, down):
                    return (point[0], point[1], corner[0], corner[1])
        return None

    return [cell for point in points if (cell := smallest_from(point)) is not None]


def _column_count(table: Table) -> int:
    return len({cell[0] for cell in table.cells})


def _middle(char: Char) -> tuple[float, float]:
    return (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2


def _contains(bbox: tuple[float, float, float, float], char: Char) -> bool:
    """pdfplumber's own rule: a character belongs where its centre is."""
    x, y = _middle(char)
    return bbox[0] <= x < bbox[2] and bbox[1] <= y < bbox[3]


def _prose_lines(chars: list[Char]) -> list[str]:
    lines = (prose_line(line) for line in extract_text(chars).split("\n")) if chars else ()
    return [line for line in lines if line]  # page-number footers go in normalize, for every medium


def _table_rows(table: Table, chars: list[Char]) -> list[list[str | None]]:
    """The table as a grid of cell texts; a position a merged cell covers is None.

    Unlike `Table.extract`, text at a grid position that no ruled cell covers (a cell missing a border, as at the
    top of a table continued from the previous page) is kept as a cell of its own instead of being dropped.
    """
    xs = sorted({cell[0] for cell in table.cells})
    ys = sorted({cell[1] for cell in table.cells})
    owner: dict[Position, Position] = {}
    for x0, top, x1, bottom in table.cells:
        origin = (bisect_left(ys, top), bisect_left(xs, x0))
        for row in range(origin[0], bisect_left(ys, bottom)):
            for column in range(origin[1], bisect_left(xs, x1)):
                owner[row, column] = origin
    groups: dict[Position, list[Char]] = {}
    for char in chars:
        x, y = _middle(char)
        position = (max(bisect_right(ys, y) - 1, 0), max(bisect_right(xs, x) - 1, 0))
        groups.setdefault(owner.get(position, position), []).append(char)
    grid = []
    for row in range(len(ys)):
        cells: list[str | None] = []
        for column in range(len(xs)):
            origin = owner.get((row, column))
            if origin == (row, column) or (origin is None and (row, column) in groups):
                cells.append(extract_text(groups.get((row, column), [])))
            else:
                cells.append(None)
        grid.append(cells)
    return grid
