"""`gongkai bench-corpus`: how fast reports go into a results store, and how fast the corpus views answer.

1. reports/s into a fresh SQLite store on `--sample` generated reports: the local pool at 1 and 2 workers and a
   2-worker dask LocalCluster; the whole run (start-up included) and from its first result to its last.
2. a store of `--reports` generated reports (`gongkai generate`, a planted mistake in every tenth), filled by
   the local pool at 2 workers; its size per report.
3. p50 and p95 of `/v1/corpus/summary` and of filtered `/v1/reports` pages, from a `gongkai serve --store` on
   loopback (target: p95 ≤ 200 ms on 10,000 reports).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from nlp.dev.generate import generate
from nlp.settings import Settings, get_settings
from nlp.store import Store
from nlp.store.load import load_folder

ROUNDS, WARM_UP = 100, 5
VIEWS = [
    "/v1/corpus/summary",
    "/v1/reports?year=2023&rule=table.sum&sort=-errors",
    "/v1/reports?agency=洪泽&severity=error&sort=year&page=3",
    "/v1/reports?format=2021&sort=-warnings&per_page=100",
]


def timed(engine: Callable[..., Iterator[dict[str, Any]]], stamps: list[float]) -> Callable[..., Iterator[Any]]:
    """The engine, noting when each line arrives."""

    def run(folder: Path, todo: list[str], settings: Settings) -> Iterator[dict[str, Any]]:
        for line in engine(folder, todo, settings):
            stamps.append(time.perf_counter())
            yield line

    return run


def into_store(label: str, folder: Path, store: Store, workers: int, engine: Callable[..., Any]) -> None:
    stamps: list[float] = []
    settings = get_settings().model_copy(update={"workers": workers})
    start = time.perf_counter()
    run = load_folder(folder, store, settings, engine=timed(engine, stamps), progress=False)
    wall = time.perf_counter() - start
    steady = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else float("nan")
    print(
        f"{label:32} {run.read:6} reports  {wall:7.1f} s  {run.read / wall:6.1f} reports/s with start-up, "
        f"{steady:6.1f} from the first result on"
    )


def store_bytes(store: Store, name: str) -> int:
    if store.engine.dialect.name == "sqlite":
        path = Path(store.engine.url.database or name)
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with store.engine.connect() as conn:
        return int(conn.exec_driver_sql("select pg_database_size(current_database())").scalar() or 0)


def latency(name: str) -> None:
    from service.cli import main as _  # noqa: F401 - fail here, not in the child, if the service cannot import

    with socket_port() as port:
        process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--workers", "1", "--store", name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.3)
            for view in VIEWS:
                for _ in range(WARM_UP):
                    client.get(view).raise_for_status()
                times = []
                for _ in range(ROUNDS):
                    start = time.perf_counter()
                    response = client.get(view)
                    times.append((time.perf_counter() - start) * 1000)
                    response.raise_for_status()
                times.sort()
                p95 = times[int(0.95 * len(times)) - 1]
                print(f"{view:58} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  ({ROUNDS} requests)")
    finally:
        process.terminate()
        process.wait(timeout=30)


class socket_port:
    """A free loopback port, released before the server binds it."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *_: object) -> None:
        self.sock.close()


def main(reports: int, sample: int, store_name: str | None) -> int:
    from nlp.batch import analyze_all
    from nlp.dask_engine import dask_engine

    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        generate(root / "corpus", max(reports, sample), plant_every=10)
        print(f"generated {max(reports, sample):,} reports in {time.perf_counter() - start:.1f} s")
        (root / "sample").mkdir()
        for path in sorted((root / "corpus").glob("*.txt"))[:sample]:
            os.link(path, root / "sample" / path.name)
        for label, workers, engine in [
            ("local pool, 1 worker", 1, analyze_all),
            ("local pool, 2 workers", 2, analyze_all),
            ("dask LocalCluster, 2 workers", 2, dask_engine()),
        ]:
            store = Store(str(root / f"{workers}-{label.split()[0]}.db"))
            into_store(label, root / "sample", store, workers, engine)
            store.close()
        name = store_name or str(root / "corpus.db")
        store = Store(name)
        into_store(f"{reports:,} reports, local, 2 workers", root / "corpus", store, 2, analyze_all)
        with store.engine.connect() as conn:
            count = conn.exec_driver_sql("select count(*) from reports").scalar() or 1
        size = store_bytes(store, name)
        print(f"store: {count:,} reports, {size / 2**20:.1f} MB, {size / count / 1024:.1f} KB per report")
        store.close()
        latency(name)
    return 0
