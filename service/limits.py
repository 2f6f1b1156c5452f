"""Refuse an upload over the size limit before or while it arrives, never after reading it whole; and one that
arrives too slowly, so that a body sent at a trickle, or never finished, does not hold its connection for ever.

Bodies are read here, in the event loop, before any worker is involved: a slow client costs a connection, never
a worker.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyRefused(Exception):
    """Raised from `receive` once the body passes a limit, to stop whoever is reading it."""


def error_body(code: str, message: str) -> bytes:
    return json.dumps({"error": code, "message": message}).encode()


class BodyLimit:
    """ASGI middleware: a declared Content-Length over the limit is answered 413 at once; a chunked body is
    counted as it streams and answered 413 as soon as it passes the limit. A body whose next piece does not come
    within `idle` seconds, or that is not complete within `deadline`, is answered 408 (`slow_upload`).

    Whatever the app answers after a limit was hit (a parser may turn our exception into its own 400) is
    replaced by our answer, so the client always learns the real reason.
    """

    def __init__(self, app: ASGIApp, limit: int, idle: float = 30.0, deadline: float = 300.0) -> None:
        self.app = app
        self.limit, self.idle, self.deadline = limit, idle, deadline

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self.refuse(send, *self.too_large())
            return
        loop = asyncio.get_running_loop()
        ends = loop.time() + self.deadline
        received = 0
        complete = False
        refusal: tuple[int, bytes] | None = None

        async def bounded_receive() -> Message:
            nonlocal received, complete, refusal
            if complete:  # after the body: waiting for the client to go away, which may take as long as it likes
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), min(self.idle, max(ends - loop.time(), 0)))
            except TimeoutError:
                refusal = self.too_slow()
                raise BodyRefused from None
            received += len(message.get("body", b""))
            if received > self.limit:
                refusal = self.too_large()
                raise BodyRefused
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        async def guarded_send(message: Message) -> None:
            if refusal is None:
                await send(message)

        try:
            await self.app(scope, bounded_receive, guarded_send)
        except Exception:
            if refusal is None:
                raise
        if refusal is not None:
            await self.refuse(send, *refusal)

    def too_large(self) -> tuple[int, bytes]:
        return 413, error_body(
            "too_large",
            f"The upload is over the limit of {self.limit / 2**20:g} MB (set GONGKAI_MAX_UPLOAD_MB to change it).",
        )

    def too_slow(self) -> tuple[int, bytes]:
        return 408, error_body(
            "slow_upload",
            f"The request body stopped arriving (nothing for {self.idle:g} s, GONGKAI_REQUEST_IDLE_S) or took "
            f"longer than {self.deadline:g} s (GONGKAI_BODY_DEADLINE_S): send it again in one go.",
        )

    async def refuse(self, send: Send, status: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
