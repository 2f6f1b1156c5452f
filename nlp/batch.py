"""Whole folders of reports: one JSON line per file, resumable, with a CSV summary beside the output.

The same line is what `POST /v1/batch` streams, so a folder run and an API run can be read by the same code:
`{"file": name, "result": <contract document>}` for a report read, `{"file": name, "error": code,
"message": ...}` for one we could not read. Work runs in worker processes (pdf parsing is pure Python and
holds the GIL), each file read inside its worker so the parent's memory stays flat however big the folder. A file
past the time budget or the memory cap is an error line (`too_slow`, `too_large`) and the run goes on; Ctrl-C
ends the workers, stuck or not, within seconds.

A file name that is not UTF-8 is named in the output as `nlp.names.path_name` reads it, so that the JSON and
the CSV can be written and the next run still knows the file.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from nlp.checks.near_duplicates import near_duplicates
from nlp.ingest import SUFFIXES
from nlp.names import path_name
from nlp.settings import Settings, get_settings
from nlp.workers import analyze_file, failure, make_pool, submit

CRASHED = "crashed"  # a worker process died: retried on the next run rather than taken as done


def report_files(folder: Path) -> list[str]:
    """Every file in the folder tree with a report suffix, as sorted paths relative to the folder."""
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
    )


def read_lines(out: Path) -> list[dict[str, Any]]:
    """The lines already written. A last line cut short by an interrupted run is dropped from the file."""
    if not out.exists():
        return []
    raw = out.read_bytes()
    if raw and not raw.endswith(b"\n"):
        raw = raw[: raw.rfind(b"\n") + 1]
        out.write_bytes(raw)
    lines = []
    for text in raw.decode("utf-8").splitlines():
        try:
            line = json.loads(text)
        except json.JSONDecodeError:
            continue
        if isinstance(line, dict) and isinstance(line.get("file"), str):
            lines.append(line)
    return lines


@dataclass
class BatchRun:
    """What one run did, for the closing line the command prints."""

    total: int
    skipped: int
    read: int
    failed: int
    csv: Path
    pairs: int  # near-duplicate pairs written to <out>.pairs.json


def run_batch(folder: Path, out: Path, settings: Settings | None = None, progress: bool = True) -> BatchRun:
    """Analyse every report under `folder` into `out`, skipping files already there, then write the CSV summary."""
    from tqdm import tqdm

    files = report_files(folder)
    done = {line["file"] for line in read_lines(out) if line.get("error") != CRASHED}
    todo = [f for f in files if path_name(f) not in done]
    read = failed = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with (
        out.open("a", encoding="utf-8") as sink,
        tqdm(total=len(todo), unit="file", disable=not progress or None, desc="gongkai batch") as bar,
    ):

        def ocr_page(name: str, done: int, pages: int) -> None:
            bar.set_postfix_str(f"{name}: OCR page {done}/{pages}")

        for line in analyze_all(folder, todo, settings or get_settings(), None if bar.disable else ocr_page):
            sink.write(json.dumps(line, ensure_ascii=False) + "\n")
            sink.flush()
            failed += "error" in line
            read += "result" in line
            bar.update(1)
    summary, lines = out.with_suffix(".csv"), read_lines(out)
    pairs = near_duplicates(list({line["file"]: line for line in lines}.values()))
    out.with_suffix(".pairs.json").write_text(json.dumps(pairs, ensure_ascii=False, indent=1), encoding="utf-8")
    write_summary(lines, summary, pairs)
    return BatchRun(
        total=len(files), skipped=len(files) - len(todo), read=read, failed=failed, csv=summary, pairs=len(pairs)
    )


def analyze_all(
    folder: Path, todo: list[str], settings: Settings, ocr_page: Callable[[str, int, int], None] | None = None
) -> Iterator[dict[str, Any]]:
    """Lines in the order files finish, with at most two files per worker in flight to keep memory flat.

    A worker that dies (killed from outside, a crash in a C library) fails only its own file, recorded as
    `crashed` and retried on the next run; the pool starts a new worker and the run goes on. `ocr_page` is told
    each page OCR reads, (file, pages read, pages to read): a scan of 40 pages takes minutes, and a bar that
    counts files stands still meanwhile.
    """
    queue = deque(todo)
    pool, workers = make_pool(settings), settings.worker_count
    pending: dict[Future[dict[str, Any]], str] = {}
    manager = get_context("spawn").Manager() if ocr_page else None
    pages = manager.Queue() if manager else None
    try:
        while queue or pending:
            if not pool.active:  # every worker gone at once (killed from outside): the tasks in flight failed
                pool.stop()
                pool = make_pool(settings)
            while queue and len(pending) < 2 * workers:
                path = queue.popleft()
                name = path_name(path)
                task = (analyze_file,) if pages is None else (analyze_file_telling, pages)
                pending[submit(pool, settings, *task, str(folder / path), name)] = name
            finished, _ = wait(pending, timeout=None if pages is None else 0.5, return_when=FIRST_COMPLETED)
            while ocr_page and pages is not None and not pages.empty():
                ocr_page(*pages.get())
            for future in finished:
                name = pending.pop(future)
                if (exc := future.exception()) is None:
                    yield future.result()
                elif (error := failure(exc, settings)) is not None:
                    yield {"file": name, "error": error.code, "message": error.message}
                else:
                    yield {
                        "file": name,
                        "error": CRASHED,
                        "message": f"The worker process stopped while reading this file ({exc}); "
                        "it is retried on the next run.",
                    }
    finally:
        pool.stop()
        pool.join(timeout=10)
        if manager:
            manager.shutdown()


def analyze_file_telling(pages: Any, path: str, name: str) -> dict[str, Any]:
    """`analyze_file`, putting (file, pages read, pages to read) on the `pages` queue as OCR reads each page."""
    from nlp.ingest import ocr

    ocr.page_done = lambda done, total: pages.put((name, done, total))
    try:
        return analyze_file(path, name)
    finally:
        ocr.page_done = None


SUMMARY_FIELDS = [
    "file",
    "agency",
    "year",
    "format",
    "medium",
    "level",
    "published",
    "published_by",
    "score",
    "near_duplicates",
    "error",
    "findings",
    "statements",
]


def summary_row(line: dict[str, Any]) -> dict[str, Any]:
    """One CSV row: who and what the report is, then finding counts by rule and severity, statements by theme."""
    row: dict[str, Any] = {"file": line["file"], "error": line.get("error", "")}
    doc = line.get("result")
    if not isinstance(doc, dict):
        return row
    report, findings, statements = doc.get("report", {}), doc.get("findings", []), doc.get("statements", [])
    publication, assessment = doc.get("publication") or {}, doc.get("assessment") or {}
    row.update(
        agency=report.get("agency"),
        year=report.get("year"),
        format=report.get("format"),
        medium=doc.get("source", {}).get("format"),
        level=doc.get("level"),
        published=publication.get("date"),
        published_by=publication.get("source"),
        score=assessment.get("total"),
        findings=len(findings),
        statements=len(statements),
    )
    row.update(Counter(f"finding:{f.get('rule')}:{f.get('severity')}" for f in findings))
    row.update(Counter(f"theme:{theme}" for s in statements for theme in s.get("themes", [])))
    return row


def write_summary(lines: list[dict[str, Any]], path: Path, pairs: list[dict[str, Any]] | None = None) -> None:
    """The CSV is rebuilt from every line of the output, so a resumed run summarises the whole folder; a file's
    `near_duplicates` counts the pairs of `<out>.pairs.json` it is in.

    A file met twice (a `crashed` line, then its retry) keeps its last line.
    """
    paired = Counter(side["file"] for pair in pairs or [] for side in (pair["a"], pair["b"]))
    rows = list(
        {line["file"]: summary_row(line) | {"near_duplicates": paired[line["file"]]} for line in lines}.values()
    )
    counted = sorted({key for row in rows for key in row if key not in SUMMARY_FIELDS})
    with path.open("w", encoding="utf-8-sig", newline="") as sink:  # the BOM lets Excel read the Chinese
        writer = csv.DictWriter(sink, fieldnames=SUMMARY_FIELDS + counted, restval="")
        writer.writeheader()
        for row in sorted(rows, key=lambda r: r["file"]):
            writer.writerow({**row, **{k: row.get(k, 0) for k in counted if not row.get("error")}})
