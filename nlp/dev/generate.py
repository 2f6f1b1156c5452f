"""`gongkai generate OUT -n N`: a corpus for scale tests, made from the real reports in ../shared.

A seed is the text of a real report whose tables read as tab-separated rows (the PDFs, the Word files, the
saved pages with real tables). A generated report is a seed with every table cell and every count or amount
its prose states multiplied by one whole factor: each sum, balance and block total of the tables holds as it
did, each percentage and 同比 change is a ratio and stays true, and a prose figure that restates a cell still
restates it. So a generated report has the findings its seed has, no more: a seed is used only after its
copies at two factors were read again and found so. With `--plant N`, every N-th report also has table 3's
printed total of new requests raised by one, a known mistake: the manifest names the cell and the findings it
must raise (the row's sum and the column's balance; a prose figure that restates the cell may add a warning).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.dev import SHARED
from nlp.document import ReadError

# A number the prose gives as a count or an amount (not 第3条, not 15个工作日, not a percentage or a date).
COUNTED = re.compile(r"(?<![\d.第])(\d+(?:\.\d+)?)(?=\s*(?:件|条|次|家|份|项|场|篇|名|人次|人|万元|元|个(?!工作日)))")
NUMBER_CELL = re.compile(r"\s*(\d+(?:\.\d+)?)\s*")
NEW_REQUESTS = "一、本年新收政府信息公开申请数量"
PLANTED_FINDINGS = [["table.balance", "error"], ["table.sum.t3", "error"]]
CHECK_FACTORS = (2, 3)
MIN_TABLE_ROWS = 20


@dataclass
class Seed:
    name: str
    text: str
    findings: Counter[tuple[str, str]]  # (check, severity) of the seed's own findings


def times(number: str, factor: int) -> str:
    if "." not in number:
        return str(int(number) * factor)
    places = len(number.split(".")[1])
    return f"{float(number) * factor:.{places}f}"


def scale(text: str, factor: int) -> str:
    """The report with its table cells and the counts and amounts of its prose multiplied by `factor`."""
    lines = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            line = "\t".join(times(c.strip(), factor) if NUMBER_CELL.fullmatch(c) else c for c in cells)
        else:
            line = COUNTED.sub(lambda m: times(m.group(1), factor), line)
        lines.append(line)
    return "\n".join(lines)


def plant(text: str) -> str | None:
    """Table 3's printed total of new requests, one more than its parts: the cell `t3.new.total`."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        cells = line.rstrip("\t").split("\t")
        if cells[0].strip() == NEW_REQUESTS and len(cells) == 8 and NUMBER_CELL.fullmatch(cells[-1]):
            cells[-1] = str(int(cells[-1]) + 1)
            lines[i] = "\t".join(cells)
            return "\n".join(lines)
    return None


def analysed(text: str) -> Any:
    from nlp.pipeline import analyze

    return analyze(text.encode("utf-8"), "generated.txt")


def findings_of(report: Any) -> Counter[tuple[str, str]]:
    return Counter((f.check or f.rule, f.severity) for f in report.findings)


def seeds(folder: Path = SHARED / "reports") -> Iterator[Seed]:
    """The real reports that scale faithfully: their copies at CHECK_FACTORS read to the scaled cells, with the
    same findings as the seed."""
    from nlp.batch import report_files
    from nlp.ingest import read
    from nlp.ingest.normalize import normalize
    from nlp.settings import get_settings

    for name in report_files(folder):
        try:
            text = normalize(read((folder / name).read_bytes(), name, get_settings()).text)
            seed = analysed(text)
        except ReadError:
            continue
        if text.count("\t") < MIN_TABLE_ROWS or not any(v for v in seed.tables.values()):
            continue
        faithful = True
        for factor in CHECK_FACTORS:
            copy = analysed(scale(text, factor))
            scaled = {k: None if v is None else v * factor for k, v in seed.tables.items()}
            same_cells = all(
                copy.tables.get(k) == v or abs((copy.tables.get(k) or 0) - (v or 0)) < 1e-6 for k, v in scaled.items()
            )
            faithful &= same_cells and findings_of(copy) == findings_of(seed)
        if faithful:
            yield Seed(name, text, findings_of(seed))


def generate(out: Path, count: int, plant_every: int = 0) -> list[dict[str, Any]]:
    """`count` reports into `out` (as .txt) and a manifest.jsonl beside them: seed, factor, the findings
    (check, severity) of the seed, which a report without a planted mistake has exactly, and the planted cell
    with the findings it must add."""
    chosen = list(seeds())
    if not chosen:
        raise SystemExit(f"no real report in {SHARED / 'reports'} scales faithfully: nothing to generate from")
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for i in range(count):
        seed, factor = chosen[i % len(chosen)], 2 + i // len(chosen)
        text, planted = scale(seed.text, factor), None
        if plant_every and i % plant_every == plant_every - 1 and (wrong := plant(text)) is not None:
            text, planted = wrong, "t3.new.total"
        name = f"{Path(seed.name).stem}-x{factor}{'-planted' if planted else ''}.txt"
        (out / name).write_text(text, encoding="utf-8")
        manifest.append(
            {
                "file": name,
                "seed": seed.name,
                "factor": factor,
                "findings": sorted([list(k) for k in seed.findings.elements()]),
                "planted": planted,
                "planted_findings": PLANTED_FINDINGS if planted else [],
            }
        )
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as sink:
        for line in manifest:
            sink.write(json.dumps(line, ensure_ascii=False) + "\n")
    return manifest
