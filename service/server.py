"""`gongkai serve`: the app under uvicorn, bounded against slow and idle clients.

uvicorn closes an idle keep-alive connection, but not a connection that never sends a request, nor one that
sends its headers a byte at a time; each holds a file descriptor for ever, and enough of them starve the server.
`BoundedH11` closes a connection that has sent no request within `keep_alive_s`, and one whose headers are not
complete within `request_idle_s` of their first byte. The body is bounded by the app's middleware
(service/limits.py): it is read before any worker is involved, so a slow body never holds a worker. uvicorn's own
limits do the rest: `limit_concurrency` answers 503 past `max_connections`, and h11 refuses headers over 16 KB.
"""

from __future__ import annotations

import asyncio
import resource

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

from nlp.settings import Settings

MAX_HEADER_BYTES = 16 * 1024  # h11's default, set here so that it is a stated limit


class BoundedH11(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with deadlines before a request's headers are complete."""

    headers_timeout: float = 30.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._headers_deadline: asyncio.TimerHandle | None = None
        # Until the first byte, uvicorn's keep-alive timer closes the connection; data_received cancels it.
        self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self.timeout_keep_alive_handler)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        waiting = self.conn.their_state is h11.IDLE  # headers begun but not complete
        if waiting and self._headers_deadline is None:
            self._headers_deadline = self.loop.call_later(self.headers_timeout, self._headers_too_slow)
        elif not waiting and self._headers_deadline is not None:
            self._headers_deadline.cancel()
            self._headers_deadline = None

    def _headers_too_slow(self) -> None:
        self._headers_deadline = None
        if self.conn.their_state is h11.IDLE:
            self.timeout_keep_alive_handler()  # closes the connection, as an idle keep-alive one

    def connection_lost(self, exc: Exception | None) -> None:
        if self._headers_deadline is not None:
            self._headers_deadline.cancel()
        super().connection_lost(exc)


def raise_file_limit() -> None:
    """As many open files as the hard limit allows: connections are bounded by the settings, not by accident."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def serve(app: FastAPI, settings: Settings, host: str, port: int) -> None:
    protocol = type("BoundedH11", (BoundedH11,), {"headers_timeout": settings.request_idle_s})
    raise_file_limit()
    uvicorn.run(
        app,
        host=host,
        port=port,
        http=protocol,
        timeout_keep_alive=settings.keep_alive_s,
        limit_concurrency=settings.max_connections,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
    )
