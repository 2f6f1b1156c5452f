"""The worker pool under hostile work: a task past the time budget or the memory cap ends its worker and fails
alone (too_slow / too_large), a worker that dies fails only its own request, other clients are served meanwhile,
and a batch goes on past such files and stops on Ctrl-C within seconds even with a worker stuck."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import REPORTS

from nlp.batch import run_batch
from nlp.dev import hostile
from nlp.settings import Settings
from service.app import create_app
from service.workers import WorkerFailed, Workers

pytestmark = pytest.mark.shared

PINGTAN = (REPORTS / "pingtan" / "pingtan-2023.txt").read_text(encoding="utf-8")
# Slow work for the pool: 3 MB of `q Q`, under the stream cap, is about 17 s of pdfminer, the old PDF reader
# (pdfium reads it at once). The tests that need a slow file read it with the old reader.
SLOW_PDF = hostile.pdf_stream_bomb(3 * 2**20)
SLOW = Settings(pdf_reader="pdfplumber")


async def failure_of(workers: Workers, fn: object, *args: object) -> WorkerFailed:
    with pytest.raises(WorkerFailed) as failed:
        await workers.run(fn, *args)
    return failed.value


def test_a_task_past_the_time_budget_ends_its_worker_and_the_next_one_runs() -> None:
    workers = Workers(Settings(workers=1, time_budget_s=2))

    async def scenario() -> tuple[WorkerFailed, float, int, int]:
        first = await workers.run(os.getpid)
        start = time.monotonic()
        failed = await failure_of(workers, time.sleep, 60)
        return failed, time.monotonic() - start, first, await workers.run(os.getpid)

    try:
        failed, seconds, before, after = asyncio.run(scenario())
    finally:
        workers.stop()
    assert failed.code == "too_slow" and "2 s" in failed.message and seconds < 10
    assert after != before  # a new worker took its place


def test_a_task_past_the_memory_cap_ends_its_worker_with_too_large() -> None:
    workers = Workers(Settings(workers=1))

    async def scenario() -> tuple[WorkerFailed, int, int]:
        before = await workers.run(os.getpid)
        failed = await failure_of(workers, bytearray, 3 * 2**30)  # 3 GB under a 2 GB address space
        return failed, before, await workers.run(os.getpid)

    try:
        failed, before, after = asyncio.run(scenario())
    finally:
        workers.stop()
    assert failed.code == "too_large" and "2048 MB" in failed.message and after != before


def test_one_workers_death_fails_only_its_own_task() -> None:
    workers = Workers(Settings(workers=2))

    async def scenario() -> list[object]:
        await workers.start()
        return await asyncio.gather(
            workers.run(os._exit, 1), workers.run(time.sleep, 2), workers.run(sum, [1, 2]), return_exceptions=True
        )

    try:
        died, slept, added = asyncio.run(scenario())
    finally:
        workers.stop()
    assert isinstance(died, WorkerFailed) and died.code == "worker_crashed"
    assert slept is None and added == 3


def test_a_slow_file_and_eight_normal_requests() -> None:
    """One upload that would read for 17 s and eight reports at once on two workers: the slow one ends at the
    5 s budget with 422 too_slow; the eight are all answered, and so is the next request."""
    app = create_app(SLOW.model_copy(update={"workers": 2, "time_budget_s": 5}))

    async def scenario() -> tuple[httpx.Response, list[httpx.Response], list[float], httpx.Response]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=120) as client:
                start = time.monotonic()

                async def normal() -> tuple[httpx.Response, float]:
                    response = await client.post("/v1/analyze", json={"text": PINGTAN})
                    return response, time.monotonic() - start

                slow = asyncio.ensure_future(client.post("/v1/analyze", files={"file": ("slow.pdf", SLOW_PDF)}))
                await asyncio.sleep(0.5)
                answered = await asyncio.gather(*(normal() for _ in range(8)))
                slow_response = await slow
                after = await client.post("/v1/analyze", json={"text": PINGTAN})
                return slow_response, [r for r, _ in answered], [s for _, s in answered], after

    slow, normal, seconds, after = asyncio.run(scenario())
    assert slow.status_code == 422 and slow.json()["error"] == "too_slow"
    assert [r.status_code for r in normal] == [200] * 8
    assert {r.json()["report"]["agency"] for r in normal} == {after.json()["report"]["agency"]}
    assert after.status_code == 200
    assert max(seconds) < 30  # served by the other worker, not queued behind the slow one


def test_batch_records_a_slow_file_as_an_error_and_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "slow.pdf").write_bytes(SLOW_PDF)
    (folder / "pingtan.txt").write_text(PINGTAN, encoding="utf-8")
    out = tmp_path / "results.jsonl"
    run = run_batch(folder, out, SLOW.model_copy(update={"workers": 2, "time_budget_s": 4}), progress=False)
    lines = {line["file"]: line for line in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert lines["slow.pdf"]["error"] == "too_slow" and "result" in lines["pingtan.txt"]
    assert (run.read, run.failed) == (1, 1)


def test_file_names_that_are_not_utf8_are_named_and_skipped_next_run(tmp_path: Path) -> None:
    """报告.txt in GBK bytes is named by its GB18030 reading; bytes nothing decodes are escaped."""
    folder = tmp_path / "reports"
    folder.mkdir()
    gbk, junk = "报告".encode("gbk") + b".txt", b"\xff\xfe-report.txt"
    for raw in (gbk, junk):
        (Path(os.fsdecode(bytes(folder) + b"/" + raw))).write_text(PINGTAN, encoding="utf-8")
    out = tmp_path / "results.jsonl"
    run_batch(folder, out, Settings(workers=1), progress=False)
    names = sorted(json.loads(line)["file"] for line in out.read_text(encoding="utf-8").splitlines())
    assert names == ["\\xff\\xfe-report.txt", "报告.txt"]
    with out.with_suffix(".csv").open(encoding="utf-8-sig") as handle:
        assert sorted(row["file"] for row in csv.DictReader(handle)) == names
    again = run_batch(folder, out, Settings(workers=1), progress=False)
    assert (again.skipped, again.read) == (2, 0)


def test_ctrl_c_stops_a_batch_within_seconds_with_a_worker_stuck(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "stuck.pdf").write_bytes(hostile.pdf_stream_bomb(30 * 2**20))  # minutes of work
    env = {
        **os.environ,
        "GONGKAI_MAX_STREAM_MB": "64",
        "GONGKAI_TIME_BUDGET_S": "600",
        "GONGKAI_PDF_READER": "pdfplumber",
    }
    command = [sys.executable, "-m", "service.cli", "batch", str(folder), "--out", str(tmp_path / "r.jsonl")]
    process = subprocess.Popen(
        [*command, "--workers", "1"], env=env, start_new_session=True, stderr=subprocess.PIPE, text=True
    )
    time.sleep(15)  # the worker starts, loads its models and is deep in the file
    assert process.poll() is None
    start = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    assert process.wait(timeout=20) == 130
    assert time.monotonic() - start < 10
    assert living(process.pid) == []  # no worker left behind
    assert "Traceback" not in process.stderr.read()


def living(group: int) -> list[str]:
    """Processes of the group still running (a dead worker not yet reaped by init is no longer running)."""
    listed = subprocess.run(["ps", "-o", "stat=,cmd=", "-g", str(group)], capture_output=True, text=True).stdout
    return [line for line in listed.splitlines() if not line.strip().startswith("Z")]


def test_a_worker_killed_while_idle_leaves_a_pool_that_serves() -> None:
    """pebble gives up a pool whose worker dies with no task running (the OOM killer may pick an idle worker):
    the next request gets a new pool rather than an error."""
    workers = Workers(Settings(workers=1))

    async def scenario() -> tuple[int, int]:
        idle = await workers.run(os.getpid)
        os.kill(idle, signal.SIGKILL)
        await asyncio.sleep(2)
        return idle, await workers.run(os.getpid)

    try:
        idle, after = asyncio.run(scenario())
    finally:
        workers.stop()
    assert after != idle


def test_a_batch_of_slow_files_takes_turns_with_other_requests() -> None:
    """Six files that each run to the 3 s budget, on two workers: a report sent just after the batch is answered
    once a worker frees, not after the whole batch."""
    app = create_app(SLOW.model_copy(update={"workers": 2, "time_budget_s": 3}))

    async def scenario() -> tuple[float, float, list[str]]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=120) as client:
                start = time.monotonic()
                files = [("files", (f"slow{i}.pdf", SLOW_PDF)) for i in range(6)]
                batch = asyncio.ensure_future(client.post("/v1/batch", files=files))
                await asyncio.sleep(0.5)
                single = await client.post("/v1/analyze", json={"text": PINGTAN})
                assert single.status_code == 200
                answered = time.monotonic() - start
                lines = [json.loads(line)["error"] for line in (await batch).text.splitlines()]
                return answered, time.monotonic() - start, lines

    answered, finished, errors = asyncio.run(scenario())
    assert errors == ["too_slow"] * 6
    # Each slow file ends its worker, and a new one takes a while to start: the batch runs in three rounds of two.
    # The report is answered in the first new round, not after the third.
    assert answered < 0.6 * finished
