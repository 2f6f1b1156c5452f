"""Soak: 2,000 mixed requests to a `gongkai serve` it starts on loopback — real PDFs, report text, broken files
and hostile ones (nlp/dev/hostile.py) — from 8 clients, with the resident memory of the server and of each worker
every 200 requests. Every answer must be the expected status (never a 5xx); memory must level off.

    python benchmarks/soak.py [--requests 2000] [--concurrency 8] [--workers 2] [--time-budget 10]

The server runs with a time budget of --time-budget seconds, so that the slow file in the mix (3 MB of `q Q`,
about 17 s of reading) ends as `too_slow` without holding a worker for a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from nlp.dev import hostile

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "reports"
MB = 2**20


def requests_mix() -> list[tuple[str, int, dict]]:
    """(kind, expected status, httpx keyword arguments) for one round of the mix: 20 requests."""
    pdfs = [(p.name, p.read_bytes()) for p in sorted(REPORTS.glob("*-20*.pdf"))]
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPORTS / "pingtan").glob("*.txt"))[:4]]
    hongze = pdfs[0][1]

    def upload(name: str, data: bytes) -> dict:
        return {"files": {"file": (name, data)}}

    return [
        *[("real pdf", 200, upload(name, data)) for name, data in pdfs],
        *[("text", 200, {"json": {"text": text}}) for text in texts],
        *[("text", 200, upload(f"report-{i}.txt", text.encode())) for i, text in enumerate(texts[:2])],
        ("truncated pdf", 422, upload("cut.pdf", hongze[:5000])),
        ("empty", 422, upload("empty.txt", b"")),
        ("renamed png", 422, upload("scan.pdf", b"\x89PNG\r\n\x1a\n" + bytes(2000))),
        ("pdf cycle", 422, upload("cycle.pdf", hostile.pdf_cycle("length"))),
        ("pdf stream bomb", 413, upload("bomb.pdf", hostile.pdf_stream_bomb(1024 * MB))),
        ("docx bomb", 413, upload("bomb.docx", hostile.docx_bomb(300 * MB))),
        ("docx entities", 422, upload("laughs.docx", hostile.docx_billion_laughs())),
        ("nested html", 413, upload("nested.html", hostile.html_nested(8 * MB))),
        ("deep json", 422, {"content": "[" * 100_000, "headers": {"content-type": "application/json"}}),
    ]


SLOW = ("slow pdf", 422, {"files": {"file": ("slow.pdf", hostile.pdf_stream_bomb(3 * MB))}})


def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0.0)


def workers_of(pid: int) -> list[int]:
    """The server's worker processes (its children started by multiprocessing's spawn)."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(child) for child in (task / "children").read_text().split()]
    return [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-budget", type=float, default=10)
    args = parser.parse_args(argv)
    mix = requests_mix()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "GONGKAI_TIME_BUDGET_S": str(args.time_budget)}
    command = [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--workers", str(args.workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise SystemExit("the service did not start within 90 s") from None
                time.sleep(0.5)
        statuses: Counter[str] = Counter()
        wrong: list[str] = []
        lock = threading.Lock()
        counter = iter(range(args.requests))
        done = 0
        print("| requests | server MB | workers MB (each) | 5xx so far | seconds |\n|---|---|---|---|---|")
        start = time.monotonic()

        def report() -> None:
            workers = [rss_mb(w) for w in workers_of(server.pid)]
            each = ", ".join(f"{w:.0f}" for w in workers)
            fives = sum(n for key, n in statuses.items() if key.startswith("5"))
            print(
                f"| {done:,} | {rss_mb(server.pid):.0f} | {sum(workers):.0f} ({each}) | {fives} "
                f"| {time.monotonic() - start:.0f} |",
                flush=True,
            )

        report()

        def client() -> None:
            nonlocal done
            with httpx.Client(base_url=url, timeout=300) as http:
                while (i := next(counter, None)) is not None:
                    kind, expected, kwargs = SLOW if i % 200 == 199 else mix[i % len(mix)]
                    path = "/v1/analyze"
                    status = http.post(path, **kwargs).status_code
                    with lock:
                        statuses[str(status)] += 1
                        if status != expected:
                            wrong.append(f"{kind}: {status} (expected {expected})")
                        done += 1
                        if done % 200 == 0:
                            report()

        threads = [threading.Thread(target=client) for _ in range(args.concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(json.dumps({"statuses": dict(sorted(statuses.items())), "unexpected": Counter(wrong)}, indent=2))
        return 1 if wrong or any(key.startswith("5") for key in statuses) else 0
    finally:
        server.terminate()
        server.wait(timeout=30)
        tracebacks = server.stderr.read().count("Traceback") if server.stderr else 0
        print(f"tracebacks in the server's log: {tracebacks}")


if __name__ == "__main__":
    sys.exit(main())
