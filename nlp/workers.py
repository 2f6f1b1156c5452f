"""The worker processes that read reports, for both `gongkai batch` and the service, and what runs inside them.

Reading is CPU-bound pure Python (pdf parsing holds the GIL), so it runs in a process pool. Workers start by
`spawn`, take the parent's settings, and load the pipeline and the theme model once, so the first request is not
the slow one. What crosses between processes is bytes and JSON-ready dicts, never a live object.

The pool is pebble's rather than concurrent.futures': one dead worker breaks a whole ProcessPoolExecutor (every
task in flight fails at once), while pebble fails only that worker's task, starts a new worker, and ends a worker
whose task runs past its timeout. Each task runs under the time budget (`GONGKAI_TIME_BUDGET_S`) and each worker
under the memory cap (`GONGKAI_WORKER_MEMORY_MB`, its address space): a task that runs out of memory ends its
worker with EXIT_OUT_OF_MEMORY, since a process that has just grown to its cap is not one to keep.
"""

from __future__ import annotations

import logging
import os
import signal
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from pebble import ProcessExpired, ProcessPool

from nlp.budget import cap_memory, one_math_thread, too_large, too_slow
from nlp.document import ReadError
from nlp.settings import Settings, get_settings, use

log = logging.getLogger("gongkai")
EXIT_OUT_OF_MEMORY = 86  # a worker's exit code after MemoryError, told apart from a crash


def make_pool(settings: Settings | None = None) -> ProcessPool:
    """Worker processes, started by `spawn` so that forking a parent with threads (uvicorn, tqdm) is never risked."""
    settings = settings or get_settings()
    return ProcessPool(
        max_workers=settings.worker_count, initializer=warm_up, initargs=(settings,), context=get_context("spawn")
    )


def submit(pool: ProcessPool, settings: Settings, fn: Callable[..., Any], *args: Any) -> Future[Any]:
    """Run `fn(*args)` in a worker under the time budget; the future fails as `failure` below explains."""
    return pool.schedule(bounded_call, args=(fn, *args), timeout=settings.time_budget_s)


def failure(exc: BaseException, settings: Settings) -> ReadError | None:
    """The error a task the pool ended stands for: too slow, out of memory; None for a worker that crashed
    (killed from outside, or a crash in a C library) or an exception that is not the pool's."""
    if isinstance(exc, TimeoutError):
        return too_slow(settings.time_budget_s)
    if isinstance(exc, ProcessExpired) and exc.exitcode == EXIT_OUT_OF_MEMORY:
        return too_large(settings.worker_memory_mb)
    return None


def warm_up(settings: Settings) -> None:
    """A worker's start: the parent's settings in force, what every request needs loaded once, then the memory
    cap. Ctrl-C is the parent's to handle: it ends the workers itself, stuck or not."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    one_math_thread()
    use(settings)
    import nlp.ingest.docx  # noqa: F401
    import nlp.ingest.html  # noqa: F401
    import nlp.ingest.pdf  # noqa: F401
    import nlp.pipeline  # noqa: F401
    from nlp.prose.claims import number_value, pipeline

    pipeline()  # spaCy and jieba's dictionary: nlp.pipeline imports them only when claims are first read
    number_value("三")  # and cn2an, which claims.py imports on the first 汉字 number
    themes_status()
    cap_memory(settings.worker_memory_bytes)


def bounded_call(fn: Callable[..., Any], *args: Any) -> Any:
    """What a worker runs for each task: out of memory, the worker ends (the parent sees EXIT_OUT_OF_MEMORY)."""
    try:
        return fn(*args)
    except MemoryError:
        os._exit(EXIT_OUT_OF_MEMORY)


def themes_status() -> str:
    """Empty when the theme model is loaded in this process, else why it is not. Never raises: it runs as a
    worker's initializer, and an initializer that raises breaks the whole pool."""
    try:
        tag_statements(["进一步加强政府信息公开工作"])
    except Exception as exc:  # noqa: BLE001 - a missing or broken model file must leave the reader working
        log.warning("theme model not loaded: %s", exc)
        return f"The theme model could not be loaded ({type(exc).__name__}: {exc})."
    return ""


def tag_statements(texts: list[str]) -> list[dict[str, Any]]:
    from nlp.prose.themes import tag

    return tag(texts)


def analyze_line(
    data: bytes,
    filename: str | None,
    previous: tuple[bytes, str | None] | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """The JSON line for one report. Never raises: a worker's exception would lose its code crossing processes.

    An unexpected exception is a bug, not bad input: it is logged with its traceback and reported as `internal`.
    """
    # Imported here: the service's parent process and the batch's never read a report themselves, and the
    # pipeline's language models are hundreds of MB they need not hold.
    from nlp.pipeline import analyze

    line: dict[str, Any] = {"file": name or filename}
    try:
        if previous is None:
            line["result"] = analyze(data, filename).to_dict()
        else:
            line["result"] = analyze(data, filename, previous=previous[0], previous_filename=previous[1]).to_dict()
    except ReadError as exc:
        line.update(error=exc.code, message=exc.message)
    except MemoryError:
        raise  # the worker ends (bounded_call); the parent answers too_large
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a batch; the log keeps the traceback
        log.error("internal error on %s:\n%s", name or filename, traceback.format_exc())
        line.update(error="internal", message=f"Internal error ({type(exc).__name__}); please report it with the file.")
    return line


def analyze_file(path: str, name: str) -> dict[str, Any]:
    """Read the file inside the worker, so only its path and its result cross between processes."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return {"file": name, "error": "unreadable", "message": f"Cannot open the file: {exc.strerror}."}
    return analyze_line(data, Path(name).name, name=name)  # `name` is the path made printable
