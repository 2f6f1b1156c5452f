"""Word (.docx): paragraphs and tables in document order, tables as tab rows (python-docx's lxml tree).

The body is walked element by element rather than through `Document.paragraphs` and `Document.tables`, which
would lose the order of prose and tables.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

import docx
from docx.oxml.ns import qn
from lxml import etree

from nlp.document import Extracted, ReadError
from nlp.ingest.cells import cell_text, prose_line, row_line
from nlp.ingest.zipguard import check_package
from nlp.settings import Settings, get_settings

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old binary .doc (or .xls) file
W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_TXBX = qn("w:txbxContent")
# Content controls and custom XML only wrap content: look through them.
WRAPPERS = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")})
# Not descended into for run text: text boxes are read as blocks of their own, mc:Fallback repeats mc:Choice,
# w:pPr holds tab-stop definitions (w:tab) that are not text, and tracked deletions and moves-away are gone.
NOT_RUN_TEXT = frozenset(
    {
        W_TXBX,
        qn("w:pPr"),
        qn("w:del"),
        qn("w:moveFrom"),
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
    }
)


def read_docx(data: bytes, settings: Settings | None = None) -> Extracted:
    settings = settings or get_settings()
    if data.startswith(OLE_MAGIC):
        raise ReadError(
            "unsupported",
            "This is an old binary Word .doc file; open it in Word or WPS, save it as .docx and upload that.",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_package(archive, settings.max_unzipped_bytes, settings.max_zip_ratio)
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, etree.XMLSyntaxError) as exc:
        raise ReadError(
            "truncated", "The .docx file is truncated or damaged; save it again from Word and upload the complete file."
        ) from exc
    except (KeyError, ValueError) as exc:
        raise ReadError(
            "unsupported", "This zip file is not a Word document; give a .docx, PDF, HTML or text file."
        ) from exc
    return Extracted(text="\n".join(_block_lines(document.element.body)), medium="docx")


def _content(parent: etree._Element, tags: tuple[str, ...]) -> Iterator[etree._Element]:
    """The children of `parent` with one of `tags`, in order, seen through wrapper elements."""
    for child in parent.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in WRAPPERS:
            yield from _content(child, tags)


def _block_lines(parent: etree._Element) -> Iterator[str]:
    for block in _content(parent, (W_P, W_TBL)):
        yield from _table_lines(block) if block.tag == W_TBL else _paragraph_lines(block)


def _paragraph_lines(paragraph: etree._Element) -> Iterator[str]:
    """The paragraph's text (a line break in it starts a new line), then the text of its text boxes."""
    parts: list[str] = []
    boxes: list[etree._Element] = []
    for node in _walk(paragraph):
        if node.tag == W_T:
            parts.append(node.text or "")
        elif node.tag == W_TAB:
            parts.append(" ")
        elif node.tag in (W_BR, W_CR):
            parts.append("\n")
        elif node.tag == W_TXBX:
            boxes.append(node)
    yield from (line for raw in "".join(parts).split("\n") if (line := prose_line(raw)))
    for box in boxes:
        yield from _block_lines(box)


def _walk(element: etree._Element) -> Iterator[etree._Element]:
    """Element and descendants in document order, not entering NOT_RUN_TEXT elements."""
    stack = [element]
    while stack:
        node = stack.pop()
        yield node
        if node is element or node.tag not in NOT_RUN_TEXT:
            stack.extend(reversed(node))


def _table_lines(table: etree._Element) -> Iterator[str]:
    """One line per row: a cell spanning columns (gridSpan) is one cell, a vertically merged continuation none."""
    for row in _content(table, (W_TR,)):
        cells = [None if _continues_merge(cell) else _cell_text(cell) for cell in _content(row, (W_TC,))]
        if (line := row_line(cells)) is not None:
            yield line


def _continues_merge(cell: etree._Element) -> bool:
    """A w:vMerge (or legacy w:hMerge) without val="restart" continues the merged cell before it."""
    properties = cell.find(qn("w:tcPr"))
    if properties is None:
        return False
    merges = (properties.find(qn("w:vMerge")), properties.find(qn("w:hMerge")))
    return any(merge is not None and merge.get(qn("w:val"), "continue") == "continue" for merge in merges)


def _cell_text(cell: etree._Element) -> str:
    """A cell's paragraphs are one label; a nested table is flattened with spaces between its cells and rows."""
    pieces = []
    for block in _content(cell, (W_P, W_TBL)):
        if block.tag == W_TBL:
            pieces.append(" " + " ".join(line.replace("\t", " ") for line in _table_lines(block)) + " ")
        else:
            pieces.extend(_paragraph_lines(block))
    return cell_text("".join(pieces))
