"""`gongkai batch DIR --store`: every report in SQL on SQLite and PostgreSQL, skipped when stored by the same
analysis version, replaced whole when stored by another, and nothing lost or doubled by an interrupted run."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPORTS
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from nlp.batch import analyze_all
from nlp.pipeline import analyze_path
from nlp.settings import Settings, get_settings
from nlp.store import Store, StoreError
from nlp.store.load import load_folder
from nlp.store.models import CellRow, ClaimRow, FindingRow, Meta, ReportRow, StatementRow, ThemeRow, WarningRow
from nlp.store.version import analysis_version
from service.cli import main

pytestmark = pytest.mark.shared
pytest_plugins = ["stores"]  # the fixtures backend, store_name, store
HONGZE, PINGTAN = "hongze-district-2023.pdf", "pingtan/pingtan-2023.txt"


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    """What `gongkai analyze --json` says of each real report of the folder."""
    docs = {HONGZE: analyze_path(REPORTS / HONGZE).to_dict(), PINGTAN: analyze_path(REPORTS / PINGTAN).to_dict()}
    return json.loads(json.dumps(docs))


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    (root / "pingtan").mkdir(parents=True)
    shutil.copy(REPORTS / HONGZE, root)
    shutil.copy(REPORTS / PINGTAN, root / "pingtan")
    shutil.copy(REPORTS / PINGTAN, root / "pingtan" / "z-copy.txt")  # the same bytes: stored once, as the first
    (root / "cut.pdf").write_bytes((REPORTS / HONGZE).read_bytes()[:5000])
    return root


def count(store: Store, table: type, **where: Any) -> int:
    query = select(func.count()).select_from(table).filter_by(**where)
    with store.engine.connect() as conn:
        return conn.scalar(query) or 0


def report(store: Store, file: str) -> ReportRow:
    with store.engine.connect() as conn:
        return conn.execute(select(ReportRow).where(ReportRow.file == file)).one()


def test_a_folder_becomes_rows_of_every_table(
    folder: Path, store: Store, store_name: str, documents: dict[str, dict[str, Any]], capsys: pytest.CaptureFixture
) -> None:
    assert main(["batch", str(folder), "--store", store_name, "--workers", "2"]) == 0
    assert "4 report files: 0 already in the store, 1 copies of another, 2 read, 1 could not" in capsys.readouterr().out
    assert count(store, ReportRow) == 3
    cut = report(store, "cut.pdf")
    assert cut.error == "truncated" and cut.message and store.document(cut.sha256) is None
    hongze, doc = report(store, HONGZE), documents[HONGZE]
    assert (hongze.agency, hongze.year, hongze.format, hongze.medium, hongze.pages) == (
        "洪泽区人民政府",
        2023,
        "2021",
        "pdf",
        5,
    )
    assert (hongze.errors, hongze.warnings, hongze.error) == (2, 0, None)  # table 4's two printed totals
    assert hongze.sha256 == doc["source"]["sha256"] and hongze.analysis_version == analysis_version()
    assert store.document(hongze.sha256) == doc
    for file in (HONGZE, PINGTAN):
        doc, rid = documents[file], report(store, file).id
        assert count(store, CellRow, report_id=rid) == len(doc["tables"])
        assert count(store, ClaimRow, report_id=rid) == len(doc["claims"])
        assert count(store, FindingRow, report_id=rid) == len(doc["findings"])
        assert count(store, StatementRow, report_id=rid) == len(doc["statements"])
        assert count(store, ThemeRow, report_id=rid) == sum(len(set(s["themes"])) for s in doc["statements"])
        assert count(store, WarningRow, report_id=rid) == len(doc["warnings"])
    with store.engine.connect() as conn:
        value = conn.scalar(
            select(CellRow.value).where(CellRow.report_id == report(store, PINGTAN).id, CellRow.key == "t3.new.total")
        )
        rules = conn.execute(
            select(FindingRow.rule, FindingRow.severity, FindingRow.expected, FindingRow.actual)
            .where(FindingRow.report_id == report(store, HONGZE).id)
            .order_by(FindingRow.position)
        ).all()
    assert value == 81
    assert [tuple(r) for r in rules] == [
        (f["rule"], f["severity"], f["expected"], f["actual"]) for f in documents[HONGZE]["findings"]
    ]


def test_a_second_run_reads_nothing_again(
    folder: Path, store: Store, store_name: str, capsys: pytest.CaptureFixture
) -> None:
    main(["batch", str(folder), "--store", store_name, "--workers", "1"])
    before = count(store, CellRow)
    shutil.copy(REPORTS / "pingtan" / "pingtan-2022.txt", folder / "pingtan")
    capsys.readouterr()
    assert main(["batch", str(folder), "--store", store_name, "--workers", "1"]) == 0
    assert "5 report files: 4 already in the store, 0 copies of another, 1 read, 0 could not" in capsys.readouterr().out
    assert count(store, ReportRow) == 4
    assert count(store, CellRow) == before + len(analyze_path(REPORTS / "pingtan" / "pingtan-2022.txt").tables)


def test_a_result_of_another_analysis_version_is_replaced_whole(folder: Path, store: Store) -> None:
    old = {"file": PINGTAN, "result": analyze_path(REPORTS / HONGZE).to_dict()}  # anything: another version's rows
    sha = analyze_path(REPORTS / PINGTAN).sha256
    store.put(PINGTAN, sha, old, "0.0.1+old")
    assert count(store, FindingRow) == len(old["result"]["findings"])
    run = load_folder(folder, store, get_settings().model_copy(update={"workers": 1}), progress=False)
    assert (run.skipped, run.read) == (0, 2)
    assert count(store, ReportRow) == 3 and count(store, ReportRow, analysis_version="0.0.1+old") == 0
    pingtan = report(store, PINGTAN)
    assert (pingtan.agency, pingtan.year) == ("平潭综合实验区", 2023)
    # the old rows went with the old report: what is left is the new analysis's own findings
    assert count(store, FindingRow, report_id=pingtan.id) == len(analyze_path(REPORTS / PINGTAN).findings)
    assert count(store, FindingRow) == len(analyze_path(REPORTS / PINGTAN).findings) + len(old["result"]["findings"])


def test_a_write_that_fails_leaves_the_stored_result(store: Store) -> None:
    doc = analyze_path(REPORTS / HONGZE).to_dict()
    store.put(HONGZE, doc["source"]["sha256"], {"file": HONGZE, "result": doc}, "v1")
    broken = json.loads(json.dumps(doc))
    broken["findings"][1]["message"] = None  # a NOT NULL column: the insert fails after the delete
    with pytest.raises(IntegrityError):
        store.put(HONGZE, doc["source"]["sha256"], {"file": HONGZE, "result": broken}, "v2")
    assert store.document(doc["source"]["sha256"]) == json.loads(json.dumps(doc))
    assert count(store, FindingRow) == len(doc["findings"]) and count(store, ReportRow, analysis_version="v1") == 1


def test_an_interrupted_run_keeps_what_it_stored_and_doubles_nothing(folder: Path, store: Store) -> None:
    settings = get_settings().model_copy(update={"workers": 1})

    def interrupted(root: Path, todo: list[str], settings: Settings) -> Iterator[dict[str, Any]]:
        lines = analyze_all(root, todo, settings)
        yield next(lines)
        lines.close()
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_folder(folder, store, settings, engine=interrupted, progress=False)
    assert count(store, ReportRow) == 1
    run = load_folder(folder, store, settings, progress=False)
    assert (run.skipped, run.read + run.failed) == (1, 2)
    assert count(store, ReportRow) == 3


def test_a_store_of_another_schema_version_is_refused(store: Store, store_name: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(Meta.__table__.update().values(value="0"))
    with pytest.raises(StoreError, match="schema version 0"):
        Store(store_name)


@pytest.mark.parametrize("name", ["foo://nowhere", "postgresql://nobody@127.0.0.1:1/none"])
def test_a_store_that_cannot_be_opened_is_one_line(
    folder: Path, name: str, capsys: pytest.CaptureFixture, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("the URL is the test's own")
    assert main(["batch", str(folder), "--store", name]) == 2
    assert capsys.readouterr().err.startswith("gongkai: ")


def test_publication_level_and_score_are_stored_where_the_document_has_them(store: Store) -> None:
    """Newer fields of the result (issue 13): read when present, empty when not."""
    doc = analyze_path(REPORTS / PINGTAN).to_dict()
    older = {k: v for k, v in doc.items() if k not in ("publication", "assessment", "level")}
    older["report"] = {k: v for k, v in doc["report"].items() if k != "level"}  # a result from before them
    store.put("old.txt", "a" * 64, {"file": "old.txt", "result": older}, "v")
    newer = {
        **doc,
        "report": {**doc["report"], "level": "county"},
        "publication": {"date": "2024-01-31", "source": "page"},
        "assessment": {"total": 87.5, "max": 100, "indicators": []},
    }
    store.put("new.txt", "b" * 64, {"file": "new.txt", "result": newer}, "v")
    old, new = report(store, "old.txt"), report(store, "new.txt")
    assert (old.level, old.publication_date, old.score) == (None, None, None)
    assert (new.level, new.publication_date.isoformat(), new.score) == ("county", "2024-01-31", 87.5)


def test_export_and_serve_say_what_is_wrong_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    name = str(tmp_path / "empty.db")
    assert main(["export", "--store", name, "--format", "csv", "--out", str(tmp_path / "out.csv")]) == 0
    assert "0 reports exported" in capsys.readouterr().out
    (tmp_path / "file").write_text("")
    assert main(["export", "--store", name, "--format", "xlsx", "--out", str(tmp_path / "file" / "x.xlsx")]) == 2
    assert main(["serve", "--store", "postgresql://nobody@127.0.0.1:1/none"]) == 2
    assert all(line.startswith("gongkai: ") for line in capsys.readouterr().err.splitlines()[:1])
