"""`gongkai bench`: our full read next to a bare pdfplumber pass, a text report after warm-up, a batch.

Targets: the full analysis of a PDF ≤ 0.5× the bare `extract_text` + `extract_tables` pass (issue 15; pdfium
reads the text layer); a text report ≤ 20 ms; batch reports/s with the old reader and with pdfium.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from nlp.dev import SHARED, STATEMENTS_CORPUS
from nlp.pipeline import analyze, read_report
from nlp.prose.themes import model, tag

SHARED_REPORTS = SHARED / "reports"
THEME_BENCH_SIZE = 10_000
ROUNDS = 5


def bare_pass(data: bytes) -> int:
    import io

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
        return len(pdf.pages)


def best_ms(run: Callable[[], object], rounds: int = ROUNDS) -> float:
    """Median of several runs, after one warm-up run."""
    run()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


CLAIM_STEPS = ("claims", "settle splits", "checks")
LATER_STEPS = CLAIM_STEPS + ("statements",)  # reading is what comes before these


def print_step_costs(files: list[Path]) -> None:
    """What claims and checks add on top of reading, per report (target: ≤ 50 ms)."""
    texts = sorted((SHARED_REPORTS / "pingtan").glob("*.txt")) + sorted((SHARED_REPORTS.parent / "seeds").glob("*"))
    documents = [(p.name, p.read_bytes()) for p in files + texts]
    read_report(documents[0][1], documents[0][0])  # warm-up: jieba's dictionary and spaCy load once per process
    timings: dict[str, float] = {}
    for _ in range(ROUNDS):
        for name, data in documents:
            read_report(data, name, timings=timings)
    runs = ROUNDS * len(documents)
    added = sum(timings.get(step, 0.0) for step in CLAIM_STEPS) / runs * 1000
    steps = ", ".join(f"{step} {timings[step] / runs * 1000:.1f}" for step in timings)
    print(f"per report, mean ms over {len(documents)} reports: {steps}")
    print(f"claims and checks add {added:.1f} ms per report on top of reading")


def main(paths: list[str]) -> int:
    files = [Path(p) for p in paths] or sorted(p for p in SHARED_REPORTS.glob("*.pdf") if "garbled" not in p.name)
    print(f"{'file':32} {'pages':>5} {'bare ms':>9} {'ours ms':>9} {'ratio':>6} {'pages/s':>8}")
    total_bare = total_ours = 0.0
    for path in files:
        data = path.read_bytes()
        pages = bare_pass(data)
        bare = best_ms(lambda data=data: bare_pass(data))
        ours = best_ms(lambda data=data, name=path.name: analyze(data, name))
        total_bare, total_ours = total_bare + bare, total_ours + ours
        print(f"{path.name:32} {pages:5d} {bare:9.1f} {ours:9.1f} {ours / bare:6.2f} {pages / ours * 1000:8.1f}")
    if files:
        print(f"{'all PDFs':32} {'':5} {total_bare:9.1f} {total_ours:9.1f} {total_ours / total_bare:6.2f}")
    print_step_costs(files)
    texts = sorted((SHARED_REPORTS / "pingtan").glob("*.txt"))
    if texts:
        reading, full = [], []
        for path in texts:
            data = path.read_bytes()
            for _ in range(20):
                timings: dict[str, float] = {}
                read_report(data, path.name, timings=timings)
                reading.append(sum(v for k, v in timings.items() if k not in LATER_STEPS) * 1000)
                full.append(sum(v for k, v in timings.items() if k != "statements") * 1000)
        p95 = statistics.quantiles(reading, n=20)[-1]
        print(
            f"text reports ({len(texts)} Pingtan pages, 20 runs each): reading median "
            f"{statistics.median(reading):.1f} ms, p95 {p95:.1f} ms; with claims and checks median "
            f"{statistics.median(full):.1f} ms (statements and themes not counted)"
        )
    bench_batch()
    bench_themes()
    from nlp.dev.bench_ocr import main as bench_ocr

    bench_ocr([])
    return 0


def bench_batch() -> None:
    """A batch of ../shared/reports, a worker per CPU, with each PDF reader, twice over (the first result waits
    for the workers to load the pipeline): reports/s over the whole run, and from the first result to the last."""
    from nlp.batch import analyze_all, report_files
    from nlp.settings import Settings

    files = report_files(SHARED_REPORTS) * 2
    for reader in ("pdfplumber", "pdfium"):
        start = time.perf_counter()
        finished = [time.perf_counter() for _ in analyze_all(SHARED_REPORTS, files, Settings(pdf_reader=reader))]
        whole, steady = finished[-1] - start, finished[-1] - finished[0]
        print(
            f"batch of ../shared/reports twice ({len(files)} files), {reader} reader: {whole:.1f} s, "
            f"{len(files) / whole:.2f} reports/s; after the first result {(len(files) - 1) / steady:.2f} reports/s"
        )


def bench_themes() -> None:
    """Time tagging of 10,000 statements (the corpus repeated), after the model is loaded."""
    corpus = [json.loads(line)["text"] for line in STATEMENTS_CORPUS.read_text(encoding="utf-8").splitlines()]
    texts = (corpus * (THEME_BENCH_SIZE // len(corpus) + 1))[:THEME_BENCH_SIZE]
    start = time.perf_counter()
    model()
    tag(texts[:1])
    loaded = time.perf_counter()
    tag(texts)
    done = time.perf_counter()
    print(
        f"themes: model load {loaded - start:.2f} s; tagged {len(texts)} statements in {done - loaded:.2f} s "
        f"({len(texts) / (done - loaded):,.0f} statements/s)"
    )
