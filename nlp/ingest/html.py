"""HTML pages: decode, drop site chrome, read blocks as lines and data tables as tab rows (BeautifulSoup, lxml).

Government sites lay pages out with tables and wrap reports in navigation; only the innermost tables that hold
values and labels are read as tables, everything else as lines of text. The tree is walked with an explicit
stack, so that a deeply nested page cannot exhaust Python's recursion limit; the number of tags is bounded before
the page is parsed (the count of '<' is an upper bound on it), so that the tree and the walk stay small.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PageElement, PreformattedString

from nlp.document import Extracted, ReadError
from nlp.ingest.cells import cell_text, prose_line, row_line
from nlp.ingest.dates import page_date
from nlp.settings import Settings, get_settings

# Elements that are never report text. header/footer inside an <article> belong to it and are kept.
CHROME_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "iframe",
    "object",
    "embed",
    "svg",
    "input",
    "select",
    "button",
    "textarea",
)
# <meta name=…> a government site's CMS writes the publication time into (lower case)
PUBLISHED_META = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "published_time")
# A short line holding one of these is site furniture (footer, breadcrumb, toolbar), not report text.
CHROME_MARKERS = (
    "网站标识码",
    "ICP备",
    "公网安备",
    "版权所有",
    "主办单位",
    "承办单位",
    "技术支持",
    "当前位置",
    "您现在的位置",
    "您所在的位置",
    "打印本页",
    "关闭窗口",
    "【打印】",
    "【关闭】",
    "字号",
    "大 中 小",
    "分享到",
    "扫一扫",
    "网站地图",
    "浏览次数",
)
CHROME_LINE_MAX = 100
FORM_TEXT_MAX = 50  # a form with less text than this is a search box; ASP.NET pages wrap the whole page in one
LONG_CELL = 100  # a cell with this much text holds prose, so its table lays out a page rather than holding data
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
DECLARED_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# A source line break between two CJK characters is not a space (CSS segment-break rule).
CJK_BREAK = re.compile(r"(?<=[\u2e80-\u9fff\uf900-\uffef])\s*\n\s*(?=[\u2e80-\u9fff\uf900-\uffef])")


def read_html(data: bytes, settings: Settings | None = None) -> Extracted:
    limit = (settings or get_settings()).max_html_tags
    if (tags := data.count(b"<")) > limit:
        raise ReadError(
            "too_large",
            f"The page holds up to {tags:,} tags, more than a report page ({limit:,} at most, GONGKAI_MAX_HTML_TAGS); "
            "save the report itself as PDF or plain text and upload that.",
        )
    try:
        soup = BeautifulSoup(decode_html(data), "lxml")
        dates = _dates(soup)
        _drop_chrome(soup)
        lines = _lines(soup.body or soup)
    except RecursionError as exc:
        raise ReadError(
            "unreadable", "The HTML is nested too deeply to read; save the page as PDF or plain text and upload that."
        ) from exc
    return Extracted(text="\n".join(lines), medium="html", dates=dates)


def _dates(soup: BeautifulSoup) -> dict[str, str]:
    """The publication time in the page's meta tags and in its visible header, read before the header (site
    chrome) is dropped."""
    dates = {}
    for meta in soup.find_all("meta"):
        name = str(meta.get("name") or meta.get("property") or "").lower()
        if name in PUBLISHED_META and meta.get("content"):
            dates["html_meta"] = str(meta["content"])
            break
    if printed := page_date(_squash(soup.get_text(" "))):
        dates["page_header"] = printed
    return dates


def decode_html(data: bytes) -> str:
    """BOM, else valid UTF-8, else the declared charset, else mostly-UTF-8 with a few bad bytes, else GB18030."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = DECLARED_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (UnicodeDecodeError, LookupError):
            pass
    text = data.decode("utf-8", errors="replace")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    if text.count("\ufffd") * 100 <= non_ascii:
        return text
    return data.decode("gb18030", errors="replace")  # a superset of GBK and GB2312, which government sites use


def _drop_chrome(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(CHROME_TAGS):
        if not tag.decomposed and not (tag.name in ("header", "footer") and tag.find_parent("article")):
            tag.decompose()
    for form in soup.find_all("form"):
        if not form.decomposed and len(form.get_text(strip=True)) < FORM_TEXT_MAX:
            form.decompose()


def _squash(text: str) -> str:
    """HTML whitespace: runs of it are one space; full-width spaces and &nbsp; are spaces too."""
    return " ".join(CJK_BREAK.sub("", text).split())


def _is_chrome(line: str) -> bool:
    return len(line) <= CHROME_LINE_MAX and any(marker in line for marker in CHROME_MARKERS)


def _lines(root: Tag) -> list[str]:
    """Block elements end a line, inline ones do not; a data table gives one line per row."""
    layout = _layout_tables(root)
    lines: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        line = prose_line(_squash("".join(pending)))
        if line and not _is_chrome(line):
            lines.append(line)
        pending.clear()

    stack: list[PageElement | None] = [root]  # None marks the end of a block
    while stack:
        node = stack.pop()
        if node is None:
            flush()
        elif isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctype, CDATA
                pending.append(str(node))
        elif isinstance(node, Tag):
            if node.name == "table" and id(node) not in layout:
                flush()
                lines.extend(_table_lines(node))
                continue
            if node.name in BLOCK_TAGS:
                flush()
                stack.append(None)
            stack.extend(reversed(node.contents))
    flush()
    return lines


def _layout_tables(root: Tag) -> set[int]:
    """ids of tables that lay out the page: those holding another table, one column at most, or prose in a cell."""
    tables = root.find_all("table")
    layout = {id(outer) for table in tables if (outer := table.find_parent("table")) is not None}
    for table in tables:
        if id(table) in layout:
            continue
        rows = [_cells(tr) for tr in table.find_all("tr")]
        if max(map(len, rows), default=0) <= 1 or any(
            len(_squash(cell.get_text())) >= LONG_CELL for row in rows for cell in row
        ):
            layout.add(id(table))
    return layout


def _cells(tr: Tag) -> list[Tag]:
    return tr.find_all(("td", "th"), recursive=False)


def _table_lines(table: Tag) -> Iterator[str]:
    """A row's own cells are its origin cells: rowspan/colspan copies are exactly the positions to leave out."""
    if table.caption and (caption := prose_line(_squash(table.caption.get_text()))):
        yield caption
    for tr in table.find_all("tr"):
        line = row_line(cell_text(_squash(cell.get_text())) for cell in _cells(tr))
        if line is not None:
            yield line
