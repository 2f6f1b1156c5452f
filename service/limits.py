"""Refuse an upload over the size limit before or while it arrives, never after reading it whole."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    """Raised from `receive` once the body passes the limit, to stop whoever is reading it."""


def too_large_body(limit: int) -> bytes:
    return json.dumps(
        {
            "error": "too_large",
            "message": f"The upload is over the limit of {limit / 2**20:g} MB "
            "(set GONGKAI_MAX_UPLOAD_MB to change it).",
        }
    ).encode()


class BodyLimit:
    """ASGI middleware: a declared Content-Length over the limit is answered 413 at once; a chunked body is
    counted as it streams and answered 413 as soon as it passes the limit.

    Whatever the app answers after the limit was hit (a parser may turn our exception into its own 400) is
    replaced by the 413, so the client always learns the real reason.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self.refuse(send)
            return
        received = 0
        over = False

        async def counting_receive() -> Message:
            nonlocal received, over
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                over = True
                raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if not over:
                await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over:
            await self.refuse(send)

    async def refuse(self, send: Send) -> None:
        body = too_large_body(self.limit)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
