"""The publication date a page prints near its top (发布时间：2024-01-20), for the readers of web pages and text.

Readers only find the words; nlp/read/publication.py parses them and decides which date the report goes by.
"""

from __future__ import annotations

import re

PAGE_DATE = re.compile(
    r"(?:发布时间|发布日期|发布于|发文日期|公开日期)\s*[:：]?\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)"
)
PAGE_HEAD = 2000  # a page's header sits above the report; a date further down is the report's own text


def page_date(text: str) -> str | None:
    match = PAGE_DATE.search(text[:PAGE_HEAD])
    return match.group(1).strip() if match else None
