"""`gongkai bench --ocr`: OCR seconds per page of the real PDFs rendered as scans, and a worker's memory with the
OCR engine loaded. Target (issue 12): ≤ 6 s per A4 page at 150 dpi on a 2-core machine.

Wall and CPU seconds are both printed, with the load average: on a machine shared with other work the wall time
is the CPU time stretched by the queue for the cores, and the CPU time is what one page costs.
"""

from __future__ import annotations

import io
import os
import statistics
import time
from pathlib import Path

from nlp.dev import SHARED
from nlp.settings import get_settings
from nlp.workers import make_pool

REPORTS = SHARED / "reports"


def rss_mb() -> float:
    """This process's resident memory, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker_memory(page: bytes) -> tuple[float, float, float]:
    """Run inside a pool worker (after its warm-up): its memory before OCR, after the engine loads and one page
    is read; and the seconds the engine took to load."""
    from nlp.ingest import ocr

    before = rss_mb()
    start = time.perf_counter()
    ocr.engine(get_settings().ocr_threads)
    loaded = time.perf_counter() - start
    list(ocr.read_pdf_pages(page, [1], get_settings())[1])
    return before, rss_mb(), loaded


def main(paths: list[Path]) -> None:
    import pypdfium2

    from nlp.ingest.ocr import page_images, read_page

    settings = get_settings()
    files = paths or [
        REPORTS / n for n in ("hongze-district-2023.pdf", "hongze-district-2024.pdf", "huaian-city-2024.pdf")
    ]
    print(f"OCR at {settings.ocr_dpi} dpi, {settings.ocr_threads} onnxruntime thread(s), {os.cpu_count()} CPUs")
    walls, cpus = [], []
    for path in files:
        data = path.read_bytes()
        count = len(pypdfium2.PdfDocument(data))
        for number, image in page_images(data, range(1, count + 1), settings.ocr_dpi):
            load = os.getloadavg()[0]
            start, cpu = time.perf_counter(), time.process_time()
            lines, _ = read_page(image, settings.ocr_threads)
            wall, used = time.perf_counter() - start, time.process_time() - cpu
            first = not walls and number == 1  # it also loads the engine: not counted
            if not first:
                walls.append(wall)
                cpus.append(used)
            print(
                f"  {path.name} page {number}: {wall:5.2f} s wall, {used:5.2f} s CPU, {len(lines)} lines "
                f"(load average {load:.1f}){' (engine load included, not counted)' if first else ''}"
            )
    if walls:
        print(
            f"OCR per page: median {statistics.median(walls):.2f} s wall (max {max(walls):.2f}), "
            f"median {statistics.median(cpus):.2f} s CPU (max {max(cpus):.2f}); target ≤ 6 s"
        )
    _, image = next(page_images(files[0].read_bytes(), [1], settings.ocr_dpi))
    scan = io.BytesIO()
    image.save(scan, "PDF", resolution=settings.ocr_dpi)
    with make_pool(settings.model_copy(update={"workers": 1})) as pool:
        before, after, loaded = pool.schedule(worker_memory, args=(scan.getvalue(),)).result()
    print(
        f"worker memory (RSS): {before:.0f} MB after warm-up, {after:.0f} MB with the OCR engine loaded and a page "
        f"read (+{after - before:.0f} MB; engine load {loaded:.2f} s)"
    )
