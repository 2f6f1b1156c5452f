"""Load on a running service, loopback only: throughput and p50/p99 latency of POST /v1/analyze on the real PDFs
with N concurrent clients, and the service's memory (its process and its workers) before and after.

    python benchmarks/load.py                        # starts `gongkai serve` on a free loopback port itself
    python benchmarks/load.py --url http://127.0.0.1:8000 --pid 1234   # a server you started (pid for memory)

Bounded twice: it stops after --requests requests or --max-seconds seconds, whichever comes first.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import httpx

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "reports"
PDFS = ["hongze-district-2023.pdf", "hongze-district-2024.pdf", "huaian-city-2024.pdf"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WARM_UP = 16


def process_rss_mb(pid: int) -> dict[int, float]:
    """Resident memory of a process and of each of its descendants (the worker pool), in MB, by process id."""
    sizes, stack = {}, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            sizes[current] = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return {process: kb / 1024 for process, kb in sizes.items()}


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    return sum(process_rss_mb(pid).values())


@contextmanager
def own_server(workers: int | None) -> Iterator[tuple[str, int]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "service.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        command + (["--workers", str(workers)] if workers else []), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise SystemExit("the service did not start within 60 s") from None
                time.sleep(0.2)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def run(url: str, requests: int, concurrency: int, max_seconds: float) -> dict[str, float]:
    """`requests` uploads spread over `concurrency` client threads, each with its own connection."""
    files = [(name, (REPORTS / name).read_bytes()) for name in PDFS]
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    next_index = iter(range(requests))
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            while time.monotonic() < deadline:
                with lock:
                    i = next(next_index, None)
                if i is None:
                    return
                name, data = files[i % len(files)]
                start = time.perf_counter()
                status = http.post("/v1/analyze", files={"file": (name, data, "application/pdf")}).status_code
                elapsed = time.perf_counter() - start
                with lock:
                    (latencies if status == 200 else failures).append(elapsed if status == 200 else status)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    return {
        "requests_ok": len(latencies),
        "requests_failed": len(failures),
        "seconds": round(wall, 1),
        "requests_per_second": round(len(latencies) / wall, 2),
        "p50_ms": round(cuts[49] * 1000),
        "p99_ms": round(cuts[98] * 1000),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running service on loopback; default: start one")
    parser.add_argument("--pid", type=int, help="the running service's process id, to measure its memory")
    parser.add_argument("--workers", type=int, help="worker processes of the service this script starts")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=1200)
    args = parser.parse_args(argv)
    if args.url and urlparse(args.url).hostname not in LOOPBACK:
        parser.error("load goes to loopback only (127.0.0.1, localhost, ::1)")

    with own_server(args.workers) if not args.url else nullserver(args.url, args.pid) as (url, pid):
        run(url, WARM_UP, args.concurrency, args.max_seconds)  # every worker has read a PDF once
        before = rss_mb(pid) if pid else None
        figures = run(url, args.requests, args.concurrency, args.max_seconds)
        sizes = process_rss_mb(pid) if pid else {}
    figures.update(concurrency=args.concurrency, cpus=os.cpu_count() or 0)
    if before is not None and sizes:
        after = sum(sizes.values())
        figures.update(rss_before_mb=round(before), rss_after_mb=round(after), rss_growth_mb=round(after - before))
        figures.update(
            rss_server_mb=round(sizes[pid]), rss_per_child_mb=[round(mb) for p, mb in sizes.items() if p != pid]
        )
    print(json.dumps(figures, indent=2))
    return 0 if figures["requests_failed"] == 0 else 1


@contextmanager
def nullserver(url: str, pid: int | None) -> Iterator[tuple[str, int | None]]:
    yield url, pid


if __name__ == "__main__":
    sys.exit(main())
