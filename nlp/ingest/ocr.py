"""OCR of page images: scanned PDF pages and image files read into the lines every other reader emits.

rapidocr-onnxruntime (PP-OCRv4 detection and recognition, models inside its wheel, onnxruntime on the CPU) gives
boxes of text with a confidence each. Boxes are clustered into lines by their vertical centres, then into cells;
a line with a number among several cells is a table row, written as tab-separated cells like a ruled PDF table,
with the gaps of a multi-column table (its columns found from the rows' numbers) kept as empty cells. So the
table reader and the checks after it are unchanged. Each table cell's confidence is kept (`OcrText`).

The engine loads once per process, on the first page that needs it: a service that never sees a scan never pays.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import statistics
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nlp.document import Extracted, Notice, OcrText, ReadError
from nlp.ingest.cells import prose_line, row_line
from nlp.ingest.normalize import normalize
from nlp.settings import Settings

OPTIONS: dict[str, Any] = json.loads(resources.files(__package__).joinpath("ocr.json").read_text(encoding="utf-8"))
NUMBER = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?")
CELL_VALUE = re.compile(r"(?:[-−]?\d[\d,]*(?:\.\d+)?(?:万元|元|%)?|[—/－-]+|无)")
Cell = tuple[str, float | None]  # its text, and its confidence where it is a table value


@dataclass(frozen=True)
class Box:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    confidence: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@cache
def engine(threads: int) -> Any:
    """The OCR engine of this process, loaded on first use (about 1 s and 100 MB)."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=threads, **OPTIONS["engine"])


def recognise(image: Any, threads: int) -> list[Box]:
    """The boxes of text on one page image (PIL), in no particular order.

    Recognition runs on the page with its rulings wiped, else a ruling inside a box is read as `1` or `l`
    (`0|0` as `0l0`). Detection runs on both pages: on the wiped one it keeps the digits beside a ruling apart;
    on the page as printed it finds the lone `0` in a wide empty cell that it misses on the wiped one. A box of
    digits spanning several cells is cut again at the ink gaps (`split_digits`)."""
    import cv2
    import numpy as np

    ocr = engine(threads)
    gray = np.asarray(image.convert("L"))
    cleaned = cv2.cvtColor(without_rulings(gray), cv2.COLOR_GRAY2RGB)
    found = detect(ocr, cleaned)
    found += [b for b in detect(ocr, cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB)) if not any(overlap(b, f) for f in found)]
    if not found:
        return []
    read, _ = ocr.text_rec(ocr.get_crop_img_list(cleaned, np.array(found, dtype=np.float32)))
    boxes = []
    for corners, (text, score, *_) in zip(found, read, strict=True):
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        box = Box(min(xs), min(ys), max(xs), max(ys), normalize(text.strip()), float(score))
        if box.text and box.x1 - box.x0 >= OPTIONS["min_box_width"] * box.height:  # not a ruling read as "1"
            boxes += split_digits(box, cleaned[:, :, 0])
    return boxes + missed_cells(boxes, cleaned[:, :, 0], threads) if boxes else boxes


def detect(ocr: Any, rgb: Any) -> list[Any]:
    found, _ = ocr.text_det(rgb)
    return list(found) if found is not None else []


def overlap(a: Any, b: Any) -> bool:
    """Two detected quadrilaterals whose bounding boxes intersect."""
    return bool(
        a[:, 0].min() < b[:, 0].max()
        and b[:, 0].min() < a[:, 0].max()
        and a[:, 1].min() < b[:, 1].max()
        and b[:, 1].min() < a[:, 1].max()
    )


def missed_cells(boxes: list[Box], cleaned: Any, threads: int) -> list[Box]:
    """Ink in a table row's empty cell between two values: the detector passed over it (a lone `0` beside a long
    run of digits), so the cell is cut out and recognised on its own. Only what reads as a value is kept."""
    import cv2

    height = statistics.median(b.height for b in boxes)
    lines = [cells_of(line, height) for line in lines_of(boxes, height)]
    crops, places = [], []
    for line, columns in zip(lines, table_columns(lines, height), strict=True):
        values = [s for s in line if s.value]
        placed = {nearest(columns, (s.x0 + s.x1) / 2, height) for s in values}
        if len(columns) < 3 or len(values) < 2 or None in placed:
            continue
        half = min(b - a for a, b in itertools.pairwise(columns)) / 2
        top, bottom = int(min(s.top for s in values)), int(max(s.bottom for s in values)) + 1
        for column in set(range(min(placed), max(placed) + 1)) - placed:  # type: ignore[type-var]
            x0, x1 = int(columns[column] - half * 0.8), int(columns[column] + half * 0.8)
            if (cleaned[top:bottom, x0:x1] < OPTIONS["ink_below"]).sum() >= OPTIONS["min_ink_px"]:
                crops.append(cv2.cvtColor(cleaned[top:bottom, x0:x1], cv2.COLOR_GRAY2RGB))
                places.append((x0, top, x1, bottom))
    found = []
    if crops:
        read, _ = engine(threads).text_rec(crops)
        for (x0, top, x1, bottom), (text, score, *_) in zip(places, read, strict=True):
            text = normalize(text.strip()).translate(LOOKALIKES)
            if CELL_VALUE.fullmatch(text):
                found.append(Box(x0, top, x1, bottom, text, float(score)))
    return found


def split_digits(box: Box, cleaned: Any) -> list[Box]:
    """A box of digits that spans several table cells, cut where the ink has a gap wider than `split_gap`
    heights: each run of inked pixel columns is one digit, so the text is cut there when the counts agree."""
    if not re.fullmatch(r"\d{2,}", box.text):
        return [box]
    band = cleaned[int(box.top) : int(box.bottom) + 1, int(box.x0) : int(box.x1) + 1] < OPTIONS["ink_below"]
    inked = band.any(axis=0)
    runs: list[list[int]] = []  # [first, last] inked column of each digit
    for x, ink in enumerate(inked):
        if ink and runs and x == runs[-1][1] + 1:
            runs[-1][1] = x
        elif ink:
            runs.append([x, x])
    if len(runs) != len(box.text):
        return [box]
    parts, start = [], 0
    for i in range(1, len(runs) + 1):
        if i == len(runs) or runs[i][0] - runs[i - 1][1] > OPTIONS["split_gap"] * box.height:
            x0, x1 = box.x0 + runs[start][0], box.x0 + runs[i - 1][1]
            parts.append(Box(x0, box.top, x1, box.bottom, box.text[start:i], box.confidence))
            start = i
    return parts


def without_rulings(gray: Any) -> Any:
    """The page with its long horizontal and vertical lines painted white (a morphological opening finds them)."""
    import cv2

    height, width = gray.shape
    dark = (gray < OPTIONS["ink_below"]).astype("uint8")
    rulings = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (width // 25, 1)))
    rulings |= cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, height // 35)))
    rulings = cv2.dilate(rulings, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    cleaned = gray.copy()
    cleaned[rulings > 0] = 255
    return cleaned


def quality(boxes: list[Box]) -> float:
    """Mean confidence per character: a page read upside down or of noise scores low."""
    chars = sum(len(b.text) for b in boxes)
    return sum(b.confidence * len(b.text) for b in boxes) / chars if chars else 0.0


def read_page(image: Any, threads: int) -> tuple[list[list[Cell]], str | None]:
    """One page's lines of cells, and why the page could not be read (None when it could)."""
    if min(image.size) < OPTIONS["min_side_px"]:
        return [], f"too small ({image.size[0]}×{image.size[1]} pixels)"
    boxes = recognise(image, threads)
    if boxes and quality(boxes) < OPTIONS["flip_below"]:
        turned = recognise(image.rotate(180), threads)
        boxes = turned if quality(turned) > quality(boxes) else boxes
    if not boxes:
        return [], "blank: no text found"
    if quality(boxes) < OPTIONS["unread_below"]:
        return [], f"unreadable (OCR confidence {quality(boxes):.2f})"
    return layout(boxes), None


def layout(boxes: list[Box]) -> list[list[Cell]]:
    """Boxes into lines of cells, in reading order; table values carry their confidence. A page number alone on
    the last line goes, as normalize drops a `- 3 -` footer (OCR loses the dashes)."""
    height = statistics.median(b.height for b in boxes)
    lines = [cells_of(line, height) for line in lines_of(boxes, height)]
    if lines and len(lines[-1]) == 1 and re.fullmatch(r"\d{1,3}", lines[-1][0].text):
        lines.pop()
    lines = continued_labels(lines, height)
    return [with_gaps(line, columns, height) for line, columns in zip(lines, table_columns(lines, height), strict=True)]


def continued_labels(lines: list[list[Span]], height: float) -> list[list[Span]]:
    """A row label printed over two lines (`5.要求行政机关确认或重新出具` / `已获取信息`): its second line, right
    under the label of the row above and within that row's cell, joins that label; values printed between a
    label's lines join its first line. So the label reads whole, as in a text layer."""
    kept: list[list[Span]] = []
    for line in lines:
        above = kept[-1] if kept else []
        if (  # values without a label, under the first line of a label printed over three lines
            line[0].value
            and len(above) == 1
            and not above[0].value
            and above[0].x1 < line[0].x0
            and above[0].bottom > min(s.top for s in line) - OPTIONS["continued_gap"] * height
        ):
            kept[-1] = above + line
            continue
        values = [i for i, s in enumerate(above) if s.value]
        label = above[values[0] - 1] if values and values[0] > 0 else None
        if (
            len(line) == 1
            and not line[0].value
            and label
            and line[0].x0 < label.x1
            and label.x0 < line[0].x1
            and line[0].top < max(s.bottom for s in above) + OPTIONS["continued_gap"] * height
        ):
            label.text += line[0].text
            continue
        kept.append(line)
    return kept


def lines_of(boxes: list[Box], height: float) -> list[list[Box]]:
    """Boxes whose vertical centres lie within `line_tolerance` of a line height of a line's centre are that line."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.middle):
        if (
            lines
            and abs(box.middle - statistics.fmean(b.middle for b in lines[-1])) <= OPTIONS["line_tolerance"] * height
        ):
            lines[-1].append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


@dataclass
class Span:
    """Adjacent boxes of one line that are one cell: what a gap of less than `same_cell_gap` heights joins."""

    x0: float
    x1: float
    text: str
    confidence: float
    top: float
    bottom: float

    @property
    def value(self) -> bool:
        return CELL_VALUE.fullmatch(self.text) is not None


# What the recogniser makes of a lone digit in a table cell: `。` or `o` for 0, `l` or `|` for 1.
LOOKALIKES = str.maketrans({"o": "0", "O": "0", "。": "0", "〇": "0", "l": "1", "I": "1", "|": "1"})
DIGITLIKE = re.compile(r"[\doO。〇lI|]{1,6}")


def cells_of(line: list[Box], height: float) -> list[Span]:
    """A value joins its neighbour only when they touch: a label and a value a short gap apart are two cells."""
    spans: list[Span] = []
    for box in line:
        text = box.text.translate(LOOKALIKES) if DIGITLIKE.fullmatch(box.text) else box.text
        span = Span(box.x0, box.x1, text, box.confidence, box.top, box.bottom)
        last = spans[-1] if spans else None
        gap = OPTIONS["same_cell_gap"] if last and not last.value and not span.value else OPTIONS["touching_gap"]
        if last and box.x0 - last.x1 < gap * height:
            last.x1, last.confidence = max(last.x1, box.x1), min(last.confidence, box.confidence)
            last.top, last.bottom = min(last.top, box.top), max(last.bottom, box.bottom)
            last.text += text
        else:
            spans.append(span)
    return spans


def table_columns(lines: list[list[Span]], height: float) -> list[list[float]]:
    """Each line's value columns (their centres; [] for a line in no multi-column table).

    A page may hold two tables (table 3's seven columns, then table 4's fifteen): a row of three or more values
    starts a new table when most of its values do not sit on the current table's columns. A table's columns are
    its rows' values clustered by x; a row of fewer values takes the columns of the table it lies in."""
    tables: list[list[list[Span]]] = []
    owner: list[int | None] = []
    for line in lines:
        values = [s for s in line if s.value]
        if len(values) >= 3:
            current = clusters(tables[-1], height) if tables else []
            on = sum(nearest(current, (s.x0 + s.x1) / 2, height) is not None for s in values)
            if not tables or on < OPTIONS["same_table_share"] * len(values):
                tables.append([])
            tables[-1].append(line)
        owner.append(len(tables) - 1 if tables and values else None)
    columns = [clusters(t, height) for t in tables]
    return [columns[i] if i is not None else [] for i in owner]


def clusters(lines: list[list[Span]], height: float) -> list[float]:
    centres = sorted((s.x0 + s.x1) / 2 for line in lines for s in line if s.value)
    groups: list[list[float]] = []
    for x in centres:
        if groups and x - groups[-1][-1] <= OPTIONS["column_tolerance"] * height:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [statistics.fmean(g) for g in groups]


def with_gaps(line: list[Span], columns: list[float], height: float) -> list[Cell]:
    """A line's cells; a table row's values placed in the columns between its first and last, gaps left empty.

    A single cell is prose; so is a line without a value (a heading printed in two parts). Values that do not sit
    in the columns (another table on the page, with other columns) are kept as they are, gaps unknown."""
    if len(line) < 2 or not any(s.value for s in line):
        return [(" ".join(s.text for s in line), None)]
    first = next(i for i, s in enumerate(line) if s.value)
    labels: list[Cell] = [(s.text, None) for s in line[:first]]
    values = [s for s in line[first:] if s.value]
    if tail := "".join(s.text for s in line[first:] if not s.value):  # a label's second line beside the values
        labels = labels[:-1] + [(labels[-1][0] + tail if labels else tail, None)]
    placed = [nearest(columns, (s.x0 + s.x1) / 2, height) for s in values]
    if not columns or None in placed or len(set(placed)) != len(placed):
        return labels + [(s.text, s.confidence) for s in values]
    by_column = dict(zip(placed, values, strict=True))
    return labels + [
        (s.text, s.confidence) if (s := by_column.get(c)) else ("", None)
        for c in range(min(by_column), max(by_column) + 1)
    ]


def nearest(columns: list[float], x: float, height: float) -> int | None:
    index = min(range(len(columns)), key=lambda i: abs(columns[i] - x), default=None)
    if index is None or abs(columns[index] - x) > OPTIONS["column_tolerance"] * height:
        return None
    return index


def line_texts(cells: list[Cell], ocr: OcrText) -> tuple[str | None, str | None]:
    """The line as text, and as the tagged text: each value's number replaced by its tag (`OcrText`)."""
    if len(cells) == 1 and cells[0][1] is None:
        text = prose_line(cells[0][0])
        return text or None, text or None
    tagged = []
    for text, confidence in cells:
        if confidence is not None and NUMBER.search(text):
            tagged.append(NUMBER.sub(str(ocr.tag(confidence)), text, count=1))
        else:
            tagged.append(text)
    return row_line(t for t, _ in cells), row_line(tagged)


class Reader:
    """OCR of the pages of one request, within its time budget (GONGKAI_OCR_SECONDS)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.ocr = OcrText(min_confidence=settings.ocr_min_confidence)
        self.deadline = time.monotonic() + settings.ocr_seconds
        self.problems: list[tuple[int, str]] = []

    def page(self, number: int, image: Any, remaining: int) -> tuple[list[str], list[str]]:
        """Page `number`'s lines and tagged lines; [] for a page OCR could not read (named in `notices`)."""
        if time.monotonic() > self.deadline:
            raise ReadError(
                "ocr_timeout",
                f"OCR took longer than {self.settings.ocr_seconds:g} s (GONGKAI_OCR_SECONDS) with {remaining} "
                "scanned pages still unread: send a shorter file, or give the service more time.",
            )
        start = time.perf_counter()
        lines, problem = read_page(image, self.settings.ocr_threads)
        self.ocr.seconds += time.perf_counter() - start
        self.ocr.pages.append(number)
        if problem:
            self.problems.append((number, problem))
        texts, tagged = [], []
        for cells in lines:
            text, tag = line_texts(cells, self.ocr)
            if text is not None and tag is not None:
                texts.append(text)
                tagged.append(tag)
        return texts, tagged

    def notices(self, pages: str) -> list[Notice]:
        """`pages` names the pages OCR read (`page_ranges` of `ocr.pages`)."""
        read = Notice("ocr.pages", f"Read by OCR, {pages}: numbers read by OCR, check them against the original.")
        return [read] + [
            Notice("ocr.unread_page", f"Page {n}: OCR could not read it ({why}).") for n, why in self.problems
        ]


def images_of(data: bytes) -> Iterator[Any]:
    """Every frame of an image file (a multi-page TIFF has several), as grayscale PIL images."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        for frame in ImageSequence.Iterator(image):
            yield frame.convert("L")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ReadError(
            "truncated", f"The image cannot be decoded ({exc}); export it again from the original."
        ) from exc


def read_image(data: bytes, settings: Settings) -> Extracted:
    """A photographed or scanned report: every frame OCRed as one page."""
    from nlp.ingest.pdf import page_ranges

    reader = Reader(settings)
    texts: list[str] = []
    tagged: list[str] = []
    count = 0
    for number, image in enumerate(images_of(data), 1):
        if number > settings.max_pages:
            raise ReadError(
                "too_long",
                f"The image has more than {settings.max_pages} pages (GONGKAI_MAX_PAGES): send each report on its own.",
            )
        page_texts, page_tagged = reader.page(number, image, 1)
        texts += page_texts
        tagged += page_tagged
        count = number
    if not texts:
        why = "; ".join(f"page {n}: {problem}" for n, problem in reader.problems)
        raise ReadError("unreadable", f"OCR found no text in the image ({why}): send a clearer scan or the original.")
    reader.ocr.tagged = "\n".join(tagged)
    return Extracted(
        text="\n".join(texts),
        medium="image",
        pages=count,
        warnings=reader.notices(page_ranges(reader.ocr.pages)),
        ocr=reader.ocr,
    )


def read_pdf_pages(
    data: bytes, numbers: list[int], settings: Settings
) -> tuple[Reader, dict[int, tuple[list[str], list[str]]]]:
    """The scanned pages of a PDF by OCR: each page's lines and tagged lines, by page number."""
    reader = Reader(settings)
    read = {}
    for done, (number, image) in enumerate(page_images(data, numbers, settings.ocr_dpi)):
        read[number] = reader.page(number, image, len(numbers) - done)
    return reader, read


def page_images(data: bytes, numbers: Iterable[int], dpi: int) -> Iterator[tuple[int, Any]]:
    """PDF pages (1-based numbers) rendered in grayscale by pdfium, one at a time."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        for number in numbers:
            page = document[number - 1]
            yield number, page.render(scale=dpi / 72, grayscale=True).to_pil()
            page.close()
    finally:
        document.close()
