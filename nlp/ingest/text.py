"""Plain text and Markdown: decode, drop a crawler's header, drop Markdown's heading and bold marks, turn pipe
tables into tab rows."""

from __future__ import annotations

import re

from nlp.document import Extracted, ReadError
from nlp.ingest.dates import page_date

CRAWLER_KEYS = ("标题", "发布时间", "文号", "发布机构", "栏目", "原文链接", "本地目录", "页面链接与图片详见")
PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ReadError(
            "unreadable", "The text is neither UTF-8 nor GB18030/GBK; save it as UTF-8 and try again."
        ) from exc


def split_crawler_header(text: str) -> tuple[dict[str, str], str]:
    """A crawler saves `标题: …` lines and a `==== 正文 ====` rule before the page text; keep them apart."""
    header: dict[str, str] = {}
    lines = text.split("\n")
    if not lines[0].lstrip().startswith(("标题:", "标题：")):
        return header, text
    body_start = 0
    for i, line in enumerate(lines[:20]):
        key, sep, value = line.partition(":")
        if sep and key.strip() in CRAWLER_KEYS:
            header[key.strip()] = value.strip()
            body_start = i + 1
        elif line.strip().startswith(CRAWLER_KEYS):  # a key line without a colon (页面链接与图片详见 links.tsv)
            body_start = i + 1
        elif "正文" in line and line.strip().startswith("="):
            body_start = i + 1
            break
        elif line.strip():
            break
    return header, "\n".join(lines[body_start:])


def pipe_rows(text: str) -> str:
    """Markdown pipe tables become tab-separated rows; their `|---|` rules are dropped."""
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if PIPE_SEPARATOR.match(stripped):
                continue
            out.append("\t".join(cell.strip() for cell in stripped.strip("|").split("|")))
        else:
            out.append(line)
    return "\n".join(out)


MARKUP = re.compile(r"^#{1,6}[ \t]+|(?<!\*)\*\*(?!\*)|(?<!_)__(?!_)", re.M)


def plain_markdown(text: str) -> str:
    """Heading marks (`## 表二`) and bold (`**…统计表**`) are layout, not words of the report."""
    return MARKUP.sub("", text)


def read_text(data: bytes) -> Extracted:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    header, body = split_crawler_header(text)
    body = pipe_rows(plain_markdown(body))
    dates = {"crawler_header": header["发布时间"]} if header.get("发布时间") else {}
    if printed := page_date(body):
        dates["page_header"] = printed
    if header.get("标题"):
        body = header["标题"] + "\n" + body
    return Extracted(text=body, medium="text", dates=dates)
