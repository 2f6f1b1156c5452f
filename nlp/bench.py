"""`gongkai bench`: our full read next to a bare pdfplumber pass, and a text report after warm-up.

Targets (issue 2): full read ≤ 1.5× the bare `extract_text` + `extract_tables` pass; a text report ≤ 20 ms.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from nlp.pipeline import analyze

SHARED_REPORTS = Path(__file__).resolve().parents[2] / "shared" / "reports"
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
    texts = sorted((SHARED_REPORTS / "pingtan").glob("*.txt"))
    if texts:
        blobs = [(p.name, p.read_bytes()) for p in texts]
        per_text = [best_ms(lambda b=b, n=n: analyze(b, n), rounds=20) for n, b in blobs]
        print(f"text reports ({len(texts)} Pingtan pages): median {statistics.median(per_text):.1f} ms, "
              f"max {max(per_text):.1f} ms per report after warm-up")
    return 0
