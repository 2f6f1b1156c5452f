"""OCR boxes into lines and table rows (nlp/ingest/ocr.py), on boxes placed by hand: no engine runs here."""

from __future__ import annotations

import numpy as np

from nlp.document import OCR_TAG, OcrText
from nlp.ingest.ocr import Box, Page, layout, line_texts, ruled_cells, ruling_mask, split_digits, unsure_if_small


def box(x0: float, top: float, text: str, confidence: float = 0.99, width: float | None = None) -> Box:
    return Box(x0, top, x0 + (width or 20 * len(text)), top + 30, text, confidence)


def texts(boxes: list[Box]) -> list[str]:
    ocr = OcrText()
    return [line_texts(cells, ocr)[0] for cells in layout(Page(boxes, []))]


# A table-3 slice as the detector boxes it: seven value columns 60 px apart, labels at the left.
COLUMNS = [660, 720, 780, 840, 900, 960, 1020]


def row(top: float, label: str, values: list[str | None]) -> list[Box]:
    boxes = [box(170, top, label)]
    return boxes + [box(x, top + 2, v) for x, v in zip(COLUMNS, values, strict=True) if v is not None]


def test_rows_become_tab_lines_and_a_missing_cell_stays_empty() -> None:
    boxes = [
        *row(100, "一、本年新收政府信息公开申请数量", ["21", "0", "0", "0", "0", "0", "21"]),
        *row(150, "（一）予以公开", ["4", "0", None, "0", "0", "0", "4"]),
        box(170, 200, "五、存在的主要问题及改进情况"),
    ]
    assert texts(boxes) == [
        "一、本年新收政府信息公开申请数量\t21\t0\t0\t0\t0\t0\t21",
        "（一）予以公开\t4\t0\t\t0\t0\t0\t4",
        "五、存在的主要问题及改进情况",
    ]


def test_a_label_over_two_lines_is_one_label_and_a_lone_page_number_goes() -> None:
    boxes = [
        *row(100, "一、本年新收政府信息公开申请数量", ["1", "0", "0", "0", "0", "0", "1"]),
        *row(150, "5.要求行政机关确认或重新出具", ["0"] * 7),
        box(200, 176, "已获取信息"),
        box(600, 400, "3"),  # "- 3 -" at the page's foot, its dashes lost
    ]
    assert texts(boxes)[1:] == ["5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0"]


def test_a_value_next_to_a_label_is_its_own_cell_and_lookalikes_are_digits() -> None:
    boxes = [
        box(170, 100, "（二）部分公开（不", width=300),
        box(500, 102, "4"),
        box(580, 102, "。"),
        box(660, 102, "o"),
    ]
    assert texts(boxes) == ["（二）部分公开（不\t4\t0\t0"]


def test_values_carry_their_confidence_as_tags() -> None:
    ocr = OcrText()
    (cells,) = layout(Page([box(170, 100, "行政处罚"), box(600, 100, "4119", 0.61)], []))
    assert line_texts(cells, ocr) == ("行政处罚\t4119", f"行政处罚\t{OCR_TAG}")
    assert ocr.confidence == [0.61]


def test_digits_of_narrow_columns_joined_in_one_box_are_cut_at_the_wide_gaps() -> None:
    image = np.full((60, 300), 255, dtype=np.uint8)
    for x in (10, 22, 80, 150):  # "10" (two digits close together), then "1", then "0"
        image[15:45, x : x + 8] = 0
    parts = split_digits(Box(5, 10, 165, 50, "1010", 0.9), image)
    assert [(p.text, p.x0) for p in parts] == [("10", 10), ("1", 80), ("0", 150)]


def test_rulings_are_wiped_and_text_stays() -> None:
    page = np.full((1754, 1240), 255, dtype=np.uint8)  # A4 at 150 dpi
    page[100, 20:1200] = 0  # a horizontal ruling
    page[50:1650, 250] = 0  # a vertical one
    page[300:330, 100:103] = 0  # the stroke of a "1", a character high
    rulings = ruling_mask(page)
    assert rulings[100, 300] and rulings[400, 250] and not rulings[310, 101]


def test_a_ruled_table_is_read_cell_by_cell_from_its_rulings() -> None:
    """Cells come from the scan's rulings: a label merged over two rows is in the first only, its two lines one
    label; an empty cell stays empty; a prose line above the table comes first."""
    page = np.full((700, 1000), 255, dtype=np.uint8)
    for y, x0 in ((100, 50), (150, 50), (200, 300), (250, 50)):  # the row under 150 has no ruling left of 300
        page[y, x0:951] = 0
    for x in (50, 300, 500, 700, 950):
        page[100:251, x] = 0
    labels, cells = ruled_cells(ruling_mask(page))
    assert len(cells) == 11

    def at(x: int, top: int, text: str) -> Box:
        return Box(x, top, x + 20 * len(text), top + 20, text, 0.9, int(labels[top + 10, x + 5]))

    boxes = [
        box(60, 40, "三、收到和处理政府信息公开申请情况"),
        *(at(x, 115, t) for x, t in ((60, "信息内容"), (310, "本年"), (510, "废止"), (710, "现行"))),
        at(60, 170, "（三）不"),
        at(60, 205, "予公开"),
        at(310, 165, "1"),
        at(710, 165, "3"),
        *(at(x, 215, t) for x, t in ((310, "2"), (510, "0"), (710, "5"))),
    ]
    assert [line_texts(cells, OcrText())[0] for cells in layout(Page(boxes, cells))] == [
        "三、收到和处理政府信息公开申请情况",
        "信息内容\t本年\t废止\t现行",
        "（三）不予公开\t1\t\t3",
        "2\t0\t5",
    ]


def test_digits_too_small_in_the_scan_are_unsure() -> None:
    """A number under 9 px high in the scan is at most 0.3 sure, whatever the recogniser says; so is one the page
    image shows 20 px high when the scan was blown up 2.5 times to render it. Words are left as read."""
    page = np.full((60, 120), 255, dtype=np.uint8)
    page[20:28, 10:14] = 0  # 8 px high
    page[20:40, 60:70] = 0  # 20 px high
    assert unsure_if_small(page, (0, 0, 40, 60), "1", 0.99, 1.0) == 0.3
    assert unsure_if_small(page, (40, 0, 120, 60), "1", 0.99, 1.0) == 0.99
    assert unsure_if_small(page, (40, 0, 120, 60), "1", 0.99, 0.4) == 0.3
    assert unsure_if_small(page, (0, 0, 40, 60), "规章", 0.99, 1.0) == 0.99
