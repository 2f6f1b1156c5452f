"""A text layer of `(cid:…)` runs is junk (fonts without a Unicode map): say so instead of reading junk sections."""

from __future__ import annotations

import re

from nlp.checks.registry import finding
from nlp.document import Notice, Report

CID = re.compile(r"\(cid:\d+\)")
GARBLED_SHARE = 0.2


def check_text_layer(report: Report) -> None:
    junk = sum(len(m) for m in CID.findall(report.text))
    if report.text and junk / len(report.text) > GARBLED_SHARE:
        report.readable = False
        share = round(100 * junk / len(report.text))
        report.findings.append(finding("text", severity="error", share=share))
        report.warnings.append(
            Notice(
                "text.garbled",
                f"text layer garbled: {share}% of it is (cid:…) codes; sections and tables were not read",
            )
        )
