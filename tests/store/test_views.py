"""The corpus views of the service on a store of real reports: every figure is checked against the documents
themselves, counted here in Python, on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow.parquet as pq
import pytest
from conftest import REPORTS
from fastapi.testclient import TestClient
from stores import NO_POSTGRES, POSTGRES, empty_postgres

from nlp.pipeline import analyze_path
from nlp.settings import Settings
from nlp.store import Store
from service.app import create_app

pytestmark = pytest.mark.shared
FILES = [
    "hongze-district-2023.pdf",
    "hongze-district-2024.pdf",
    "pingtan/pingtan-2012.txt",
    "pingtan/pingtan-2022.txt",
    "pingtan/pingtan-2023.txt",
    "wild/pingtan-police-2019.txt",
]


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    return json.loads(json.dumps({name: analyze_path(REPORTS / name).to_dict() for name in FILES}))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(
    request: pytest.FixtureRequest, documents: dict[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    if request.param == "postgresql":
        if not POSTGRES:
            pytest.skip(NO_POSTGRES)
        empty_postgres(POSTGRES)
        name = POSTGRES
    else:
        name = str(tmp_path_factory.mktemp("views") / "results.db")
    store = Store(name)
    for file, doc in documents.items():
        store.put(file, doc["source"]["sha256"], {"file": file, "result": doc}, "test")
    store.put("cut.pdf", "0" * 64, {"file": "cut.pdf", "error": "truncated", "message": "cut short"}, "test")
    store.close()
    with TestClient(create_app(Settings(store=name, workers=1))) as started:
        yield started


def errors(doc: dict[str, Any]) -> int:
    return sum(f["severity"] == "error" for f in doc["findings"])


def test_the_reports_page_lists_every_stored_file(client: TestClient, documents: dict[str, dict[str, Any]]) -> None:
    page = client.get("/v1/reports", params={"per_page": 100}).json()
    assert page["total"] == len(FILES) + 1
    rows = {row["file"]: row for row in page["items"]}
    assert rows["cut.pdf"]["error"] == "truncated"
    for file, doc in documents.items():
        row = rows[file]
        assert (row["agency"], row["year"], row["format"]) == tuple(
            doc["report"][k] for k in ("agency", "year", "format")
        )
        assert row["errors"] == errors(doc) and row["sha256"] == doc["source"]["sha256"]
    ordered = [row["errors"] for row in page["items"]]
    assert ordered == sorted(ordered, reverse=True)  # most errors first, by default


@pytest.mark.parametrize(
    "params",
    [
        {"year": 2023},
        {"agency": "洪泽"},
        {"rule": "table.sum"},
        {"rule": "prose.rate", "severity": "warning"},
        {"format": "pre2019"},
        {"medium": "pdf", "sort": "year"},
        {"failed": "true"},
    ],
)
def test_filters_match_the_documents(
    client: TestClient, documents: dict[str, dict[str, Any]], params: dict[str, Any]
) -> None:
    def passes(doc: dict[str, Any]) -> bool:
        report, findings = doc["report"], doc["findings"]
        return (
            params.get("year") in (None, report["year"])
            and params.get("agency", "") in (report["agency"] or "")
            and params.get("format") in (None, report["format"])
            and params.get("medium") in (None, doc["source"]["format"])
            and params.get("failed") is None
            and (
                "rule" not in params
                or any(
                    f["rule"] == params["rule"] and params.get("severity") in (None, f["severity"]) for f in findings
                )
            )
        )

    expected = {file for file, doc in documents.items() if passes(doc)} | ({"cut.pdf"} if "failed" in params else set())
    page = client.get("/v1/reports", params=params).json()
    assert {row["file"] for row in page["items"]} == expected and page["total"] == len(expected)
    if params.get("sort") == "year":
        years = [row["year"] for row in page["items"]]
        assert years == sorted(years)


def test_pages_and_a_bad_query(client: TestClient) -> None:
    first = client.get("/v1/reports", params={"per_page": 4, "sort": "file"}).json()
    second = client.get("/v1/reports", params={"per_page": 4, "page": 2, "sort": "file"}).json()
    files = [row["file"] for row in first["items"] + second["items"]]
    assert files == sorted(FILES + ["cut.pdf"]) and len(first["items"]) == 4
    bad = client.get("/v1/reports", params={"sort": "message"})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid"


def test_a_stored_report_is_its_document(client: TestClient, documents: dict[str, dict[str, Any]]) -> None:
    doc = documents["hongze-district-2023.pdf"]
    assert client.get(f"/v1/reports/{doc['source']['sha256']}").json() == doc
    missing = client.get("/v1/reports/" + "f" * 64)
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_the_summary_counts_what_the_documents_hold(client: TestClient, documents: dict[str, dict[str, Any]]) -> None:
    summary = client.get("/v1/corpus/summary").json()
    assert (summary["reports"], summary["read"], summary["failed"]) == (len(FILES) + 1, len(FILES), 1)
    years = Counter(doc["report"]["year"] for doc in documents.values())
    assert {row["year"]: row["reports"] for row in summary["by_year"]} == years
    rules = Counter((f["rule"], f["severity"]) for doc in documents.values() for f in doc["findings"])
    assert {(row["rule"], row["severity"]): row["findings"] for row in summary["by_rule"]} == rules
    by_year = Counter(
        (d["report"]["year"], f["rule"], f["severity"]) for d in documents.values() for f in d["findings"]
    )
    assert {(r["year"], r["rule"], r["severity"]): r["findings"] for r in summary["rule_by_year"]} == by_year
    themes = Counter((t, s["kind"]) for d in documents.values() for s in d["statements"] for t in set(s["themes"]))
    assert {(row["theme"], row["kind"]): row["statements"] for row in summary["themes"]} == themes
    agencies: Counter[str] = Counter()
    for doc in documents.values():
        agencies[doc["report"]["agency"]] += errors(doc)
    assert [row["errors"] for row in summary["agencies"]] == sorted(agencies.values(), reverse=True)
    assert {row["agency"]: row["errors"] for row in summary["agencies"]} == agencies


def test_the_exports_download(client: TestClient, documents: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    parquet = client.get("/v1/export", params={"format": "parquet"})
    assert parquet.status_code == 200
    (tmp_path / "cells.parquet").write_bytes(parquet.content)
    cells = pq.read_table(tmp_path / "cells.parquet").to_pylist()
    assert len(cells) == sum(len(doc["tables"]) for doc in documents.values())
    pingtan = documents["pingtan/pingtan-2023.txt"]
    mine = {c["key"]: c["value"] for c in cells if c["sha256"] == pingtan["source"]["sha256"]}
    assert mine == pingtan["tables"] and mine["t3.new.total"] == 81
    book = openpyxl.load_workbook(io.BytesIO(client.get("/v1/export", params={"format": "xlsx"}).content))
    assert book["reports"].max_row == len(FILES) + 2  # a header, the reports, cut.pdf
    findings = sum(len(doc["findings"]) for doc in documents.values())
    assert book["findings"].max_row == findings + 1
    t4 = list(book["t4"].iter_rows(values_only=True))
    row = next(r for r in t4 if r[0] == documents["hongze-district-2023.pdf"]["source"]["sha256"])
    assert dict(zip(t4[0], row, strict=True))["t4.review.upheld"] == 10
    csv = client.get("/v1/export", params={"format": "csv"})
    assert (
        csv.headers["content-type"].startswith("text/csv")
        and "hongze-district-2023.pdf,洪泽区人民政府,2023" in csv.text
    )


def test_without_a_store_the_views_say_so() -> None:
    with TestClient(create_app(Settings(store=None, workers=1))) as bare:
        for path in ("/v1/reports", "/v1/corpus/summary", "/v1/reports/" + "0" * 64, "/v1/export?format=csv"):
            response = bare.get(path)
            assert response.status_code == 503 and response.json()["error"] == "no_store"
            assert "--store" in response.json()["message"]
