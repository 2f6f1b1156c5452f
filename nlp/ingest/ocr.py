"""OCR of page images: scanned PDF pages and image files read into the lines every other reader emits.

rapidocr-onnxruntime (PP-OCRv4 detection and recognition, models inside its wheel, onnxruntime on the CPU) gives
boxes of text with a confidence each. A ruled table is read by its rulings: the areas they enclose are its cells,
each box goes to the cell it lies in, and each row of cells is written as tab-separated cells like a ruled PDF
table, an empty cell kept empty. Boxes outside ruled tables are clustered into lines by their vertical centres,
then into cells; a line with a number among several cells is a row of an unruled table, its gaps found from its
table's columns. So the table reader and the checks after it are unchanged. Each table cell's confidence is kept
(`OcrText`).

The engine loads once per process, on the first page that needs it: a service that never sees a scan never pays.
"""

from __future__ import annotations

import copy
import io
import itertools
import json
import re
import statistics
import time
from collections.abc import Callable, Iterable, Iterator
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
    cell: int | None = None  # the ruled table cell it lies in, an index into `Page.cells`

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Ruled:
    """A cell of a ruled table: the area its rulings enclose on the scan, in pixels."""

    table: int
    x0: int
    top: int
    x1: int
    bottom: int


@dataclass(frozen=True)
class Page:
    """What OCR found on one page image: its boxes of text, and the cells of its ruled tables (table by table)."""

    boxes: list[Box]
    cells: list[Ruled]


Rect = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels


@cache
def engine(threads: int) -> Any:
    """The OCR engine of this process, loaded on first use (about 1 s and 100 MB)."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=threads, **OPTIONS["engine"])


@cache
def line_recogniser(threads: int) -> Any:
    """The engine's recogniser (the same model and session) reading at `line_rec_img_shape`'s height."""
    recogniser = copy.copy(engine(threads).text_rec)
    recogniser.rec_image_shape = OPTIONS["line_rec_img_shape"]
    return recogniser


def recognise(image: Any, threads: int) -> Page:
    """The boxes of text on one page image (PIL) and the cells of its ruled tables.

    Detection and recognition run once, on the page with its rulings wiped: a ruling inside a box is read as `1`
    (`0|0` as `0l0`). The rulings give the tables' cells (`ruled_cells`): a box lies in the cell of its centre, a
    box running over several inked cells is cut at their rulings, and a cell with ink but no box (the lone `0` in
    a wide cell the detector passes over) is recognised on its own. Outside ruled tables a box of digits spanning
    several columns is cut at the ink gaps (`split_digits`) and the gaps between values are looked at again.
    A page the angle classifier finds upside down is turned first."""
    import numpy as np

    ocr = engine(threads)
    scale = image.info.get("scale", 1.0)
    gray = upright(np.asarray(image.convert("L")))
    rulings, cleaned, found = wiped_and_detected(ocr, gray)
    if upside_down(ocr, cleaned, found):
        rulings, cleaned, found = wiped_and_detected(ocr, np.ascontiguousarray(gray[::-1, ::-1]))
    labels, cells = ruled_cells(rulings)
    placed: list[tuple[Rect, int | None]] = []
    for rect in found:
        placed += in_cells(rect, labels, cells, cleaned)
    placed += inked_cells(cleaned, cells, {cell for _, cell in placed})
    boxes = []
    for (rect, cell), (text, score) in zip(placed, read_rects(threads, cleaned, placed), strict=True):
        box = Box(*rect, normalize(text.strip()), unsure_if_small(cleaned, rect, text, score, scale), cell)
        if box.text and cell is not None:
            boxes.append(box)
        elif box.text and box.x1 - box.x0 >= OPTIONS["min_box_width"] * box.height:  # not a stray stroke read as "1"
            boxes += split_digits(box, cleaned)
    loose = [b for b in boxes if b.cell is None]
    return Page(boxes + (missed_cells(loose, cleaned, threads) if loose else []), cells)


def wiped_and_detected(ocr: Any, gray: Any) -> tuple[Any, Any, list[Rect]]:
    """The page's rulings, the page with them wiped, and the boxes the detector finds on it."""
    import numpy as np

    rulings = ruling_mask(gray)
    cleaned = np.where(rulings > 0, 255, gray).astype(np.uint8)
    return rulings, cleaned, [bounds(quad, cleaned.shape) for quad in detect(ocr, cleaned)]


def upside_down(ocr: Any, gray: Any, rects: list[Rect]) -> bool:
    """Whether most of the page's longest lines (`flip_votes` of them) are upside down to the angle classifier,
    shown a piece of each four line heights wide (what its 48×192 input holds). The recogniser's confidence
    cannot tell: a table page's digits read upside down about as surely as upright."""
    import cv2

    lines = sorted((r for r in rects if r[2] - r[0] >= 4 * (r[3] - r[1])), key=lambda r: r[0] - r[2])
    crops = []
    for x0, top, x1, bottom in lines[: OPTIONS["flip_votes"]]:
        middle, half = (x0 + x1) // 2, 2 * (bottom - top)
        crops.append(cv2.cvtColor(gray[top:bottom, middle - half : middle + half], cv2.COLOR_GRAY2RGB))
    if not crops:
        return False
    _, votes, _ = ocr.text_cls(crops)
    return sum(label == "180" for label, _ in votes) > len(votes) / 2


def detect(ocr: Any, gray: Any) -> list[Any]:
    import cv2

    found, _ = ocr.text_det(cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB))
    return list(found) if found is not None else []


def bounds(quad: Any, shape: tuple[int, int]) -> Rect:
    """A detected quadrilateral's bounding rectangle, within the page."""
    height, width = shape
    xs, ys = quad[:, 0], quad[:, 1]
    return max(0, int(xs.min())), max(0, int(ys.min())), min(width, int(xs.max()) + 1), min(height, int(ys.max()) + 1)


def read_rects(threads: int, gray: Any, placed: list[tuple[Rect, int | None]]) -> list[tuple[str, float]]:
    """Each rectangle of the page recognised, as (text, confidence).

    Text outside ruled tables (prose lines, most of the cost) is read at the height of `line_rec_img_shape`
    (32 px: a line at 150 dpi is about that tall, and it reads 2.6 times as fast as at 48 px, as well); a table
    cell at the engine's 48 px, which its small digits need (`1288` read as `128` at 32 px). A crop narrower than
    it is tall is padded with white to a square: the engine would turn it by 90° and a lone `1` not be read."""
    import cv2
    import numpy as np

    crops = []
    for x0, top, x1, bottom in (rect for rect, _ in placed):
        side = max(0, (bottom - top) - (x1 - x0)) // 2
        crop = np.pad(gray[top:bottom, x0:x1], ((0, 0), (side, side)), constant_values=255)
        crops.append(cv2.cvtColor(crop, cv2.COLOR_GRAY2RGB))
    read = [("", 0.0)] * len(placed)
    tabled = [i for i, (_, cell) in enumerate(placed) if cell is not None]
    loose = [i for i, (_, cell) in enumerate(placed) if cell is None]
    for recogniser, chosen in ((engine(threads).text_rec, tabled), (line_recogniser(threads), loose)):
        if chosen:
            results, _ = recogniser([crops[i] for i in chosen])
            for i, (text, score, *_) in zip(chosen, results, strict=True):
                read[i] = (text, float(score))
    return read


def around_ink(gray: Any, rect: Rect, cell: Ruled) -> Rect:
    """The ink of `rect` with the margin the detector gives a box it finds (its `unclip_ratio` times area over
    perimeter), within the cell: the recogniser reads a lone `0` in a loose crop at 0.4, in this one at 0.99."""
    import numpy as np

    x0, top, x1, bottom = rect
    ys, xs = np.nonzero(gray[top:bottom, x0:x1] < OPTIONS["ink_below"])
    x0, top, x1, bottom = x0 + int(xs.min()), top + int(ys.min()), x0 + int(xs.max()) + 1, top + int(ys.max()) + 1
    w, h = x1 - x0, bottom - top
    margin = round(OPTIONS["engine"]["det_unclip_ratio"] * w * h / (2 * (w + h)))
    return (
        max(cell.x0, x0 - margin),
        max(cell.top, top - margin),
        min(cell.x1, x1 + margin),
        min(cell.bottom, bottom + margin),
    )


def upright(gray: Any) -> Any:
    """The page turned so that its long horizontal rulings are level: a scan fed in at 1° leaves a table's rows
    running across its cells. The skew is the median slope of the rulings (none: the page as it is)."""
    import cv2
    import numpy as np

    height, width = gray.shape
    dark = (gray < OPTIONS["ink_below"]).astype("uint8")
    lines = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (width // 60, 1)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    slopes = []
    for i, (x, y, w, h, _) in enumerate(stats.tolist()):
        if i and w >= width / 4:
            ys, xs = np.nonzero(labels[y : y + h, x : x + w] == i)
            slopes.append(np.polyfit(xs, ys, 1)[0])
    angle = float(np.degrees(np.arctan(np.median(slopes)))) if slopes else 0.0
    if abs(angle) < OPTIONS["skew_below_deg"]:
        return gray
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, turn, (width, height), flags=cv2.INTER_CUBIC, borderValue=255)


def ruling_mask(gray: Any) -> Any:
    """The page's long horizontal and vertical lines (a morphological opening finds them), a pixel thicker."""
    import cv2

    height, width = gray.shape
    dark = (gray < OPTIONS["ink_below"]).astype("uint8")
    rulings = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (width // 25, 1)))
    rulings |= cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, height // 35)))
    return cv2.dilate(rulings, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))


def ruled_cells(rulings: Any) -> tuple[Any, list[Ruled]]:
    """The cells of the page's ruled tables, and a map of the page giving each pixel's cell (-1: none).

    A table is rulings joined into one frame; its cells are the blank areas the frame encloses, those that do
    not reach the frame's edge (what lies around a frame that is not a rectangle) and are at least
    `min_cell_px` a side (not the sliver between a double ruling)."""
    import cv2
    import numpy as np

    labels = np.full(rulings.shape, -1, dtype=np.int32)
    cells: list[Ruled] = []
    count, _, frames, _ = cv2.connectedComponentsWithStats(rulings, connectivity=8)
    smallest = OPTIONS["min_cell_px"]
    for x, y, w, h, _ in sorted(frames[1:count].tolist(), key=lambda f: f[1]):
        if min(w, h) < 2 * smallest:
            continue
        n, areas, stats, _ = cv2.connectedComponentsWithStats((rulings[y : y + h, x : x + w] == 0).astype("uint8"), 4)
        table = 1 + max((c.table for c in cells), default=-1)
        lookup = np.full(n, -1, dtype=np.int32)
        for i, (cx, cy, cw, ch, _) in enumerate(stats.tolist()):
            if i and cx and cy and cx + cw < w and cy + ch < h and min(cw, ch) >= smallest:
                lookup[i] = len(cells)
                cells.append(Ruled(table, x + cx, y + cy, x + cx + cw, y + cy + ch))
        inside = lookup[areas]
        region = labels[y : y + h, x : x + w]
        region[inside >= 0] = inside[inside >= 0]
    return labels, cells


def in_cells(rect: Rect, labels: Any, cells: list[Ruled], cleaned: Any) -> list[tuple[Rect, int | None]]:
    """A detected box in the cell of its centre, clipped to it; a box over several cells with ink in each (digits
    of two cells read as one) cut into one part per cell. A box in no cell is kept whole, with no cell."""
    x0, top, x1, bottom = rect
    crossed = sorted({int(i) for i in labels[(top + bottom) // 2, x0:x1] if i >= 0})
    parts = []
    for i in crossed:
        c = cells[i]
        part = (max(x0, c.x0), max(top, c.top), min(x1, c.x1), min(bottom, c.bottom))
        if inked(cleaned, part) >= OPTIONS["cell_ink_px"]:
            parts.append((around_ink(cleaned, part, c), i))
    if len(parts) > 1:
        return parts
    centre = int(labels[(top + bottom) // 2, (x0 + x1) // 2])
    if centre < 0:
        return parts or [(rect, None)]
    c = cells[centre]
    return [((max(x0, c.x0), max(top, c.top), min(x1, c.x1), min(bottom, c.bottom)), centre)]


def unsure_if_small(gray: Any, rect: Rect, text: str, score: float, scale: float) -> float:
    """The confidence of a number whose ink is under `sure_digit_px` high in the scan (its height on the page
    image times `scale`, see `page_images`) is at most `small_digit_confidence`:
    the recogniser reads such digits wrong as surely as right (Huaian's `447`, 11 px high, read `147` at 0.98 when
    cut two pixels closer; at 100 dpi its 7 px `3119` read `311`), so an error resting on one is a warning."""
    import numpy as np

    if not re.fullmatch(r"[\d,.]+", text.strip()):
        return score
    x0, top, x1, bottom = rect
    rows = np.nonzero((gray[top:bottom, x0:x1] < OPTIONS["ink_below"]).any(axis=1))[0]
    if len(rows) and (rows[-1] - rows[0] + 1) * scale < OPTIONS["sure_digit_px"]:
        return min(score, OPTIONS["small_digit_confidence"])
    return score


def inked(gray: Any, rect: Rect) -> int:
    x0, top, x1, bottom = rect
    return int((gray[top:bottom, x0:x1] < OPTIONS["ink_below"]).sum())


def inked_cells(cleaned: Any, cells: list[Ruled], filled: set[int | None]) -> list[tuple[Rect, int | None]]:
    """Each ruled cell no box lies in but with ink (a lone `0` the detector passed over), to be read on its own.
    Ink within `edge_px` of the rulings is not looked at."""
    edge = OPTIONS["edge_px"]
    inner = [(i, (c.x0 + edge, c.top + edge, c.x1 - edge, c.bottom - edge)) for i, c in enumerate(cells)]
    return [
        (around_ink(cleaned, rect, cells[i]), i)
        for i, rect in inner
        if i not in filled and inked(cleaned, rect) >= OPTIONS["cell_ink_px"]
    ]


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


def quality(boxes: list[Box]) -> float:
    """Mean confidence per character: a page read upside down or of noise scores low."""
    chars = sum(len(b.text) for b in boxes)
    return sum(b.confidence * len(b.text) for b in boxes) / chars if chars else 0.0


def read_page(image: Any, threads: int) -> tuple[list[list[Cell]], str | None]:
    """One page's lines of cells, and why the page could not be read (None when it could)."""
    if min(image.size) < OPTIONS["min_side_px"]:
        return [], f"too small ({image.size[0]}×{image.size[1]} pixels)"
    page = recognise(image, threads)
    if page.boxes and quality(page.boxes) < OPTIONS["flip_below"]:
        turned = recognise(image.rotate(180), threads)
        page = turned if quality(turned.boxes) > quality(page.boxes) else page
    if not page.boxes:
        return [], "blank: no text found"
    if quality(page.boxes) < OPTIONS["unread_below"]:
        return [], f"unreadable (OCR confidence {quality(page.boxes):.2f})"
    return layout(page), None


def layout(page: Page) -> list[list[Cell]]:
    """The page's lines of cells in reading order: the rows of its ruled tables and the lines of the boxes
    outside them, by their tops; table values carry their confidence. A page number alone on the last line goes,
    as normalize drops a `- 3 -` footer (OCR loses the dashes)."""
    if not page.boxes:
        return []
    height = statistics.median(b.height for b in page.boxes)
    placed = grid_rows(page, height) + loose_lines([b for b in page.boxes if b.cell is None], height)
    lines = [cells for _, cells in sorted(placed, key=lambda p: p[0])]
    if lines and len(lines[-1]) == 1 and re.fullmatch(r"\d{1,3}", lines[-1][0][0]):
        lines.pop()
    return lines


def grid_rows(page: Page, height: float) -> list[tuple[float, list[Cell]]]:
    """Each ruled table's rows, by their tops: a row holds the cells whose tops lie within `row_tolerance` line
    heights of its first, left to right, an empty cell as an empty string. A cell merged over several rows is in
    the first of them only, as a text layer's table prints it."""
    inside: dict[int, list[Box]] = {}
    for box in page.boxes:
        if box.cell is not None:
            inside.setdefault(box.cell, []).append(box)
    rows: list[tuple[float, list[Cell]]] = []
    for _, numbered in itertools.groupby(enumerate(page.cells), key=lambda c: c[1].table):
        groups: list[list[tuple[int, Ruled]]] = []
        for i, cell in sorted(numbered, key=lambda c: c[1].top):
            if groups and cell.top - groups[-1][0][1].top <= OPTIONS["row_tolerance"] * height:
                groups[-1].append((i, cell))
            else:
                groups.append([(i, cell)])
        for group in groups:
            ordered = sorted(group, key=lambda c: c[1].x0)
            rows.append((group[0][1].top, [cell_text_of(inside.get(i, []), height) for i, _ in ordered]))
    return rows


def cell_text_of(boxes: list[Box], height: float) -> Cell:
    """A ruled cell's text, its lines joined (a label printed over three lines is one label); a value carries the
    lowest confidence of its boxes."""
    text = "".join(b.text for line in lines_of(boxes, height) for b in line)
    if DIGITLIKE.fullmatch(text):
        text = text.translate(LOOKALIKES)
    value = CELL_VALUE.fullmatch(text) is not None
    return text, min(b.confidence for b in boxes) if value else None


def loose_lines(boxes: list[Box], height: float) -> list[tuple[float, list[Cell]]]:
    """Boxes outside ruled tables into lines of cells, by their tops; a line of an unruled table gets its gaps
    from its table's columns."""
    lines = continued_labels([cells_of(line, height) for line in lines_of(boxes, height)], height)
    columns = table_columns(lines, height)
    return [
        (min(s.top for s in line), with_gaps(line, found, height)) for line, found in zip(lines, columns, strict=True)
    ]


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


# Told after each page OCR reads: the pages of the file read so far and all it will read. `gongkai batch` shows
# it (nlp/batch.py); a worker reads one file at a time, so one hook a process is enough.
page_done: Callable[[int, int], None] | None = None


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
        if page_done is not None:
            page_done(len(self.ocr.pages), len(self.ocr.pages) + remaining - 1)
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


def images_of(data: bytes) -> Iterator[tuple[int, Any]]:
    """Every frame of an image file (a multi-page TIFF has several) as a grayscale PIL image, after the number of
    frames."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        for frame in ImageSequence.Iterator(image):
            yield getattr(image, "n_frames", 1), frame.convert("L")
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
    for number, (frames, image) in enumerate(images_of(data), 1):
        if number > settings.max_pages:
            raise ReadError(
                "too_long",
                f"The image has more than {settings.max_pages} pages (GONGKAI_MAX_PAGES): send each report on its own.",
            )
        page_texts, page_tagged = reader.page(number, image, frames - number + 1)
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
    """PDF pages (1-based numbers) rendered in grayscale by pdfium, one at a time. Each image's `info["scale"]` is
    the resolution of the scan on the page over the one it is rendered at (at most 1): a scan made at 100 dpi is
    rendered at 150 blown up, and its digits are only as sure as their size in the scan (`unsure_if_small`)."""
    import pypdfium2
    import pypdfium2.raw

    from nlp.ingest.pdfium_page import LOCK  # pdfium is not thread-safe: held while it works, not while OCR does

    with LOCK:
        document = pypdfium2.PdfDocument(data)
    try:
        for number in numbers:
            with LOCK:
                page = document[number - 1]
                image = page.render(scale=dpi / 72, grayscale=True).to_pil()
                scans = [
                    (o.get_px_size()[0] / (o.get_bounds()[2] - o.get_bounds()[0]) * 72)
                    for o in page.get_objects(filter=(pypdfium2.raw.FPDF_PAGEOBJ_IMAGE,), max_depth=1)
                ]
                page.close()
            image.info["scale"] = min(1.0, max(scans, default=dpi) / dpi)
            yield number, image
    finally:
        with LOCK:
            document.close()
