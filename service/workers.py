"""The service's side of the worker pool (nlp/workers.py): awaitable calls, and a new pool when one dies.

One pool per app, sized by the settings (`GONGKAI_WORKERS`, default the CPU count), started at start-up with the
models loaded in every worker. A worker that dies breaks the whole pool; the next request gets a new one.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from nlp.settings import Settings
from nlp.workers import make_pool

T = TypeVar("T")


class WorkerCrashed(Exception):
    """The process reading a request died (out of memory or a crash in a C library)."""


class Workers:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.size = settings.worker_count
        self._pool: ProcessPoolExecutor | None = None

    @property
    def pool(self) -> ProcessPoolExecutor:
        """Started on first use too, so an ASGI host that skips the lifespan still works."""
        if self._pool is None:
            self._pool = make_pool(self.settings)
        return self._pool

    async def start(self) -> None:
        """Start every worker now, so models are loaded before the first request rather than during it."""
        await asyncio.gather(*(self.run(os.getpid) for _ in range(self.size)))

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        pool = self.pool
        try:
            return await asyncio.wrap_future(pool.submit(fn, *args))
        except BrokenProcessPool as exc:
            if self._pool is pool:
                self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
            raise WorkerCrashed from exc

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
