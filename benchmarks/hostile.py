"""Seconds and peak memory of `gongkai analyze` on each hostile file of issue 11, built here (nlp/dev/hostile.py).

    python benchmarks/hostile.py                       # this checkout
    python benchmarks/hostile.py --source /tmp/before  # another checkout's code (e.g. `git archive` of main)

Each file is read in its own `gongkai analyze` process, under a safety address-space cap (--cap-gb, default 4)
and a wall-clock limit (--timeout, default 90 s), so that code without the bounds cannot take the machine down;
a run stopped by either says so. Peak memory is the child's maximum resident set (wait4's ru_maxrss, MB).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from nlp.dev import hostile

MB = 2**20
UNIT = "本年共收到申请100件，其中，当面申请40件，占40%，网络申请60件，占60%。"
SHARES = "某某区人民政府2023年政府信息公开工作年度报告\n一、总体情况\n" + UNIT * (290_000 // len(UNIT))

FILES: list[tuple[str, str, Callable[[], bytes]]] = [
    ("docx: document.xml inflating to 2 GB", "bomb.docx", lambda: hostile.docx_bomb(2048 * MB)),
    ("docx: zip directory declaring 1,000 bytes for 400 MB", "lying.docx", lambda: hostile.docx_lying(400 * MB)),
    ("docx: billion laughs", "laughs.docx", hostile.docx_billion_laughs),
    ("docx: external entity (/etc/passwd)", "xxe.docx", hostile.docx_external_entity),
    ("pdf: one content stream inflating to 1.4 GB", "stream.pdf", lambda: hostile.pdf_stream_bomb(1434 * MB)),
    ("pdf: 1 GB of `q Q`", "qq.pdf", lambda: hostile.pdf_stream_bomb(1024 * MB)),
    ("pdf: 10 MB of `(A) Tj`", "tj.pdf", lambda: hostile.pdf_text_flood(10 * MB)),
    ("pdf: 3.5 MB of `(A) Tj` (under the stream cap)", "tj-small.pdf", lambda: hostile.pdf_text_flood(3584 * 1024)),
    ("pdf: 3.5 MB of `q Q` (under the stream cap)", "qq-small.pdf", lambda: hostile.pdf_stream_bomb(3584 * 1024)),
    *[(f"pdf: reference cycle via {w}", f"cycle-{w}.pdf", lambda w=w: hostile.pdf_cycle(w)) for w in hostile.PLACES],
    ("html: 40 MB of nested <div>", "nested.html", lambda: hostile.html_nested(40 * MB)),
    ("html: billion laughs", "laughs.html", hostile.html_billion_laughs),
    ("html: external entity (/etc/passwd)", "xxe.html", hostile.html_external_entity),
    ("text: 290,000 characters of prose with shares", "shares.txt", lambda: SHARES.encode()),
]


def run(path: Path, source: str | None, cap: int, timeout: float) -> tuple[float, float, str]:
    """Seconds, peak MB and how it ended (exit code and the first words of its message, or why it was stopped)."""
    env = {**os.environ, **({"PYTHONPATH": source} if source else {})}

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    start = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "analyze", path.name],
        cwd=path.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=limit,
    )
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        process.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not the largest child's so far
    timer.cancel()
    seconds = time.monotonic() - start
    if killed.is_set():
        ended = f"still running after {timeout:g} s: killed"
    else:
        last = stderr.strip().splitlines()[-1][:80] if stderr.strip() else ""
        ended = f"exit {os.waitstatus_to_exitcode(status)}: {last}" + (" (traceback)" if "Traceback" in stderr else "")
    return seconds, usage.ru_maxrss / 1024, ended


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", help="run the code of this checkout (put first on PYTHONPATH)")
    parser.add_argument("--cap-gb", type=float, default=4, help="address-space cap of each run (safety), GB")
    parser.add_argument("--timeout", type=float, default=90, help="seconds before a run is killed")
    parser.add_argument("--only", help="run only the files whose name contains this")
    args = parser.parse_args(argv)
    print("| file | size | seconds | peak MB | how it ended |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="gongkai-hostile-") as folder:
        for label, name, build in FILES:
            if args.only and args.only not in name:
                continue
            path = Path(folder) / name
            path.write_bytes(build())
            size = path.stat().st_size
            seconds, peak, ended = run(path, args.source, int(args.cap_gb * 2**30), args.timeout)
            path.unlink()
            print(f"| {label} | {size / 1024:,.1f} KB | {seconds:.1f} | {peak:,.0f} | {ended} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
