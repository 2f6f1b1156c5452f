"""The worker processes that read reports, for both `gongkai batch` and the service, and what runs inside them.

Reading is CPU-bound pure Python (pdf parsing holds the GIL), so it runs in a process pool. Workers start by
`spawn`, take the parent's settings, and load the pipeline and the theme model once, so the first request is not
the slow one. What crosses between processes is bytes and JSON-ready dicts, never a live object.
"""

from __future__ import annotations

import logging
import traceback
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from nlp.document import ReadError
from nlp.settings import Settings, get_settings, use

log = logging.getLogger("gongkai")


def make_pool(settings: Settings | None = None) -> ProcessPoolExecutor:
    """Worker processes, started by `spawn` so that forking a parent with threads (uvicorn, tqdm) is never risked."""
    settings = settings or get_settings()
    return ProcessPoolExecutor(
        max_workers=settings.worker_count,
        mp_context=get_context("spawn"),
        initializer=warm_up,
        initargs=(settings,),
    )


def warm_up(settings: Settings) -> None:
    """A worker's start: the parent's settings in force, and what every request needs loaded once."""
    use(settings)
    import nlp.ingest.docx  # noqa: F401
    import nlp.ingest.html  # noqa: F401
    import nlp.ingest.pdf  # noqa: F401
    import nlp.pipeline  # noqa: F401
    from nlp.prose.claims import number_value, pipeline

    pipeline()  # spaCy and jieba's dictionary: nlp.pipeline imports them only when claims are first read
    number_value("三")  # and cn2an, which claims.py imports on the first 汉字 number
    themes_status()


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
    return analyze_line(data, Path(path).name, name=name)
