"""`--engine dask` on a LocalCluster of 2 worker processes: the same rows as the local pool, and a worker that
dies on a file is retried once, then the file is stored as `crashed` and read again by the next run. The engine
does not depend on the database, so these run on SQLite alone (tests/store/test_store.py covers both)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cloudpickle
import pytest
from conftest import REPORTS
from sqlalchemy import select

from nlp.dask_engine import analyze_task, dask_engine
from nlp.pipeline import analyze_path
from nlp.settings import Settings, get_settings
from nlp.store import Store
from nlp.store.load import load_folder
from nlp.store.models import ReportRow
from service.cli import main

pytestmark = pytest.mark.shared
cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the dying tasks below travel to the workers whole
TWO = get_settings().model_copy(update={"workers": 2})


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    root.mkdir()
    shutil.copy(REPORTS / "hongze-district-2023.pdf", root)
    shutil.copy(REPORTS / "pingtan" / "pingtan-2023.txt", root)
    (root / "cut.pdf").write_bytes((REPORTS / "hongze-district-2023.pdf").read_bytes()[:5000])
    return root


@pytest.fixture()
def store_name(tmp_path: Path) -> str:
    return str(tmp_path / "results.db")


@pytest.fixture()
def store(store_name: str) -> Iterator[Store]:
    opened = Store(store_name)
    yield opened
    opened.close()


def rows(store: Store) -> dict[str, ReportRow]:
    with store.engine.connect() as conn:
        return {row.file: row for row in conn.execute(select(ReportRow))}


def test_a_local_cluster_stores_what_the_pipeline_reads(
    folder: Path, store: Store, store_name: str, capsys: pytest.CaptureFixture
) -> None:
    assert main(["batch", str(folder), "--store", store_name, "--engine", "dask", "--workers", "2"]) == 0
    assert "3 report files: 0 already in the store, 0 copies of another, 2 read, 1 could not" in capsys.readouterr().out
    stored = rows(store)
    assert stored["cut.pdf"].error == "truncated"
    for name in ("hongze-district-2023.pdf", "pingtan-2023.txt"):
        doc = json.loads(json.dumps(analyze_path(folder / name).to_dict()))
        assert store.document(stored[name].sha256) == doc


def dies_once(payload: str | bytes, name: str, settings: Settings) -> dict[str, Any]:
    """Kills its worker process the first time it meets the PDF (a marker file beside it remembers)."""
    marker = Path(os.environ["GONGKAI_TEST_MARKERS"]) / f"{Path(name).name}.died"
    if name.endswith(".pdf") and not marker.exists():
        marker.touch()
        os._exit(1)
    return analyze_task(payload, name, settings)


def always_dies_on_pdfs(payload: str | bytes, name: str, settings: Settings) -> dict[str, Any]:
    if name == "hongze-district-2023.pdf":
        os._exit(1)
    return analyze_task(payload, name, settings)


def test_a_worker_that_dies_is_retried_once_then_the_file_is_crashed(
    folder: Path, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GONGKAI_TEST_MARKERS", str(tmp_path))  # the LocalCluster's workers inherit it
    run = load_folder(folder, store, TWO, engine=dask_engine(task=dies_once), progress=False)
    assert (run.read, run.failed) == (2, 1)  # the PDF read on its retry; cut.pdf is truncated
    assert (tmp_path / "cut.pdf.died").exists() and (tmp_path / "hongze-district-2023.pdf.died").exists()
    stored = rows(store)
    assert stored["hongze-district-2023.pdf"].errors == 2 and stored["cut.pdf"].error == "truncated"
    assert stored["pingtan-2023.txt"].error is None  # a file beside the one that killed the worker is not blamed

    hongze = stored["hongze-district-2023.pdf"]  # stored again by an older analysis, to be read again
    store.put(
        hongze.file, hongze.sha256, {"file": hongze.file, "result": store.document(hongze.sha256)}, "an older analysis"
    )
    run = load_folder(folder, store, TWO, engine=dask_engine(task=always_dies_on_pdfs), progress=False)
    assert (run.skipped, run.read, run.failed) == (2, 0, 1)
    hongze = rows(store)["hongze-district-2023.pdf"]
    assert hongze.error == "crashed" and "2 times" in (hongze.message or "")
    run = load_folder(folder, store, TWO, progress=False)  # a crash is not a result: the next run reads it
    assert run.read == 1 and rows(store)["hongze-district-2023.pdf"].errors == 2
