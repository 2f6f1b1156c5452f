"""The service's side of the worker pool (nlp/workers.py): awaitable calls that fail with the request's error.

One pool per app, sized by the settings (`GONGKAI_WORKERS`, default the CPU count), started at start-up with the
models loaded in every worker. A task past the time budget or the memory cap ends its worker and fails with
`too_slow` / `too_large`; a worker that dies fails only its own request (`worker_crashed`); either way the pool
starts a new worker and every other request goes on. A request whose client goes away drops its task if no worker
has taken it yet; one already running is left to finish, since ending it would cost a worker's start-up.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

from nlp.settings import Settings
from nlp.workers import failure, make_pool, submit

T = TypeVar("T")


class WorkerFailed(Exception):
    """The worker reading a request was ended (too slow, out of memory) or died; `code` is the API's error."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


CRASHED = (
    "worker_crashed",
    "The process reading this request stopped (killed from outside?); it has been restarted: send the request again.",
)


class Workers:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.size = settings.worker_count
        self._pool: ProcessPool | None = None

    @property
    def pool(self) -> ProcessPool:
        """Started on first use too, so an ASGI host that skips the lifespan still works; a pool that broke
        (every worker gone at once) is replaced."""
        if self._pool is None or not self._pool.active:
            if self._pool is not None:
                self._pool.stop()
            self._pool = make_pool(self.settings)
        return self._pool

    async def start(self) -> None:
        """Start every worker now, so models are loaded before the first request rather than during it."""
        await asyncio.gather(*(self.run(os.getpid) for _ in range(self.size)))

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        future = submit(self.pool, self.settings, fn, *args)
        try:
            return await asyncio.shield(asyncio.wrap_future(future))
        except asyncio.CancelledError:
            if not future.running():
                future.cancel()
            raise
        except (TimeoutError, ProcessExpired, BrokenProcessPool) as exc:
            error = failure(exc, self.settings)
            if error is not None:
                raise WorkerFailed(error.code, error.message) from exc
            raise WorkerFailed(*CRASHED) from exc

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=10)
            self._pool = None
