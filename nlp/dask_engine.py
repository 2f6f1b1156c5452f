"""`gongkai batch DIR --store URL --engine dask`: the files of a batch analysed on a dask.distributed cluster.

The client (this process) hands out files with bounded work in flight, two per worker thread, and yields each
line as its task finishes, for the store to commit at once. A file up to `dask_inline_mb` travels to the worker
as bytes; a larger one by its path, which the workers must see at the same place (a shared file system).

A task cannot raise (nlp.workers.analyze_line turns every failure into an error line), so a failed task means its
worker died (out of memory, a crash in a C library): it is tried once more, then stored as `crashed`, which the
next run reads again. Without `--scheduler`, a LocalCluster of `--workers` single-threaded processes is started
and stopped with the run. Its scheduler gives a task up after one death, so that the retry is ours, and gives
each worker one task at a time, so that a death blames only the file being read, not one queued behind it.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

from nlp.settings import Settings, use
from nlp.store.store import CRASHED
from nlp.workers import analyze_file, analyze_line

Task = Callable[[str | bytes, str, Settings], dict[str, Any]]
ATTEMPTS = 2  # the first, and one retry


def analyze_task(payload: str | bytes, name: str, settings: Settings) -> dict[str, Any]:
    """What runs on a worker: the batch line of one file, sent as bytes or named by a path the worker can read."""
    use(settings)
    if isinstance(payload, bytes):
        return analyze_line(payload, Path(name).name, name=name)
    return analyze_file(payload, name)


def dask_engine(
    scheduler: str | None = None, task: Task = analyze_task
) -> Callable[[Path, list[str], Settings], Iterator[dict[str, Any]]]:
    """An engine for `nlp.store.load.load_folder`: lines in the order files finish on the cluster."""

    def run(folder: Path, todo: list[str], settings: Settings) -> Iterator[dict[str, Any]]:
        yield from analyze_on_dask(folder, todo, settings, scheduler, task)

    return run


def analyze_on_dask(
    folder: Path, todo: list[str], settings: Settings, scheduler: str | None, task: Task
) -> Iterator[dict[str, Any]]:
    import dask
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        one_at_a_time = {"distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0}
        with dask.config.set(one_at_a_time):
            cluster = LocalCluster(
                n_workers=settings.worker_count,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
    client = Client(cluster or scheduler)
    try:
        in_flight = 2 * max(1, sum(client.nthreads().values()))
        queue, tries, names = deque(todo), dict.fromkeys(todo, 0), {}
        running = as_completed()

        def submit(name: str) -> None:
            tries[name] += 1
            path = folder / name
            inline = path.stat().st_size <= settings.dask_inline_mb * 2**20
            payload = path.read_bytes() if inline else str(path.resolve())
            future = client.submit(task, payload, name, settings, key=f"gongkai-{uuid4().hex}", pure=False)
            names[future.key] = name
            running.add(future)

        while queue and len(names) < in_flight:
            submit(queue.popleft())
        for future in running:
            name = names.pop(future.key)
            try:
                line = future.result()
            except Exception:  # noqa: BLE001 - KilledWorker or a lost worker: the task itself never raises
                if tries[name] < ATTEMPTS:
                    submit(name)
                    continue
                line = {
                    "file": name,
                    "error": CRASHED,
                    "message": f"The worker reading this file stopped {ATTEMPTS} times (out of memory?); "
                    "it is read again on the next run.",
                }
            finally:
                future.release()
            yield line
            if queue:
                submit(queue.popleft())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
