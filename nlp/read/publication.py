"""When the report was published or signed, and where that was read: the signature at its end, the dates the
medium's metadata carries (nlp/ingest: a crawler's header, a page's meta tags, a PDF's CreationDate). Which source
wins is data (publication.json)."""

from __future__ import annotations

import json
import re
from datetime import date
from importlib import resources

from nlp.document import Dated, Report

_DATA = json.loads(resources.files(__package__).joinpath("publication.json").read_text(encoding="utf-8"))
ORDER: list[str] = _DATA["order"]
SOURCE_NAMES: dict[str, list[str]] = _DATA["names"]

DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
COMPACT = re.compile(r"^\s*(?:D:)?(\d{4})(\d{2})(\d{2})")  # PDF dates (D:20240226144123+08'00') and 20240226
# A signature: a date standing after the body's name (or alone on its line), followed by nothing but the end, an
# imprint (印发), the attachments (附件…) or the 此件主动公开 note. A date inside a sentence is never followed by those.
SIGNATURE = re.compile(
    r"(?:^|(?<=[\s。；]))(?P<name>[^\s。；，,:：]{0,40}?)[ \t\n]*"
    r"(?P<date>(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日)"
    r"(?=\s*(?:印发)?\s*(?:\Z|附件|附表|附：|（此件|\(此件))",
    re.MULTILINE,
)
TAIL_SHARE = 0.5  # the signature is in the second half of the text: attached tables follow it, a title precedes


def parse_date(printed: str) -> date | None:
    """2013-02-25 00:00, 2024/1/20, 2024年1月20日, D:20240226144123+08'00' → a date; anything else → None."""
    match = DATE.search(printed) or COMPACT.search(printed)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def find_signature(text: str) -> Dated | None:
    """The last signature-like date in the second half of the text."""
    start = int(len(text) * TAIL_SHARE)
    found = None
    for match in SIGNATURE.finditer(text, start):
        try:
            signed = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        found = Dated(signed, "signature", " ".join(match.group(0).split()))
    return found


def find_publication(report: Report) -> None:
    report.signature = find_signature(report.text)
    candidates = {
        source: Dated(parsed, source, printed)
        for source, printed in report.dates.items()
        if (parsed := parse_date(printed))
    }
    if report.signature:
        candidates["signature"] = report.signature
    report.publication = next((candidates[s] for s in ORDER if s in candidates), None)
