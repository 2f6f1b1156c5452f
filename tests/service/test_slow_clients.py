"""Slow and idle clients: a connection that sends nothing, headers at a trickle, or a body that stops, is closed
or answered 408 within the settings' timeouts, while other clients are served; nothing is logged as a traceback."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from nlp.settings import Settings
from service.app import create_app


def test_a_body_that_stops_arriving_is_408_and_holds_no_worker() -> None:
    app = create_app(Settings(workers=1, request_idle_s=1))

    async def trickle() -> AsyncIterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="r.txt"\r\n\r\n'
        await asyncio.sleep(30)  # never finished
        yield b"--b--\r\n"

    async def scenario() -> tuple[httpx.Response, float, int]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=60) as client:
                start = time.monotonic()
                stalled = asyncio.ensure_future(
                    client.post(
                        "/v1/analyze", content=trickle(), headers={"content-type": "multipart/form-data; boundary=b"}
                    )
                )
                served = await client.post(
                    "/v1/analyze", json={"text": "某区2023年政府信息公开工作年度报告\n一、总体情况"}
                )
                response = await stalled
                return response, time.monotonic() - start, served.status_code

    response, seconds, served = asyncio.run(scenario())
    assert response.status_code == 408 and response.json()["error"] == "slow_upload" and seconds < 10
    assert served == 200


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[int, subprocess.Popen[str]]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "GONGKAI_KEEP_ALIVE_S": "1", "GONGKAI_REQUEST_IDLE_S": "2", "GONGKAI_WORKERS": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    yield port, process
    process.terminate()
    process.wait(timeout=30)


def closed_by_server(sock: socket.socket, within: float) -> bool:
    """The server closed the connection (recv gives b"", or an answer before closing) within `within` seconds."""
    sock.settimeout(within)
    try:
        sock.recv(1024)
        return True
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_idle_and_trickling_connections_are_closed_while_others_are_served(
    server: tuple[int, subprocess.Popen[str]],
) -> None:
    port, process = server
    silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(100)]
    trickling = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]
    for sock in trickling:
        sock.sendall(b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\n")  # headers never finished
    assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json() == {"status": "ok"}
    start = time.monotonic()
    assert all(closed_by_server(sock, 6) for sock in silent + trickling)
    assert time.monotonic() - start < 8
    for sock in silent + trickling:
        sock.close()
    text = {"text": "某区2023年政府信息公开工作年度报告\n一、总体情况"}
    assert httpx.post(f"http://127.0.0.1:{port}/v1/analyze", json=text, timeout=60).status_code == 200
    process.terminate()
    process.wait(timeout=30)
    assert "Traceback" not in process.stderr.read()
