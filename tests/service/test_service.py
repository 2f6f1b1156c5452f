"""The HTTP API: real reports in, the contract document out; every error is JSON with a code and a reason."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPORTS
from fastapi.testclient import TestClient

from nlp.pipeline import analyze
from nlp.settings import Settings
from service.app import app, create_app
from service.workers import WorkerFailed, Workers

pytestmark = pytest.mark.shared

HONGZE = (REPORTS / "hongze-district-2023.pdf").read_bytes()
HONGZE_2024 = (REPORTS / "hongze-district-2024.pdf").read_bytes()
PINGTAN = (REPORTS / "pingtan" / "pingtan-2023.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The real app, its worker pool started by the lifespan as `gongkai serve` starts it."""
    with TestClient(app) as started:
        yield started


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_analyze_real_pdf_is_the_pipelines_document(client: TestClient) -> None:
    response = client.post("/v1/analyze", files={"file": ("hongze-district-2023.pdf", HONGZE, "application/pdf")})
    assert response.status_code == 200
    doc = response.json()
    assert doc == json.loads(json.dumps(analyze(HONGZE, "hongze-district-2023.pdf").to_dict()))
    assert doc["schema_version"] == "1" and doc["source"]["format"] == "pdf" and doc["source"]["pages"] == 5
    assert doc["report"] == {"agency": "洪泽区人民政府", "year": 2023, "format": "2021"}
    assert doc["tables"]["t4.review.upheld"] == 10 and doc["tables"]["t2.fees.amount"] == 7730.28


def test_analyze_json_text(client: TestClient) -> None:
    doc = client.post("/v1/analyze", json={"text": PINGTAN}).json()
    assert doc["report"]["year"] == 2023 and doc["tables"]["t3.new.total"] == 81


def test_text_sent_as_a_plain_form_field(client: TestClient) -> None:
    """curl -F 'file=<report.txt' sends the text as a field without a filename."""
    doc = client.post("/v1/analyze", data={"file": PINGTAN}).json()
    assert doc["tables"]["t3.new.total"] == 81


def test_previous_year_file_is_accepted(client: TestClient) -> None:
    response = client.post("/v1/analyze", files={"file": ("2024.pdf", HONGZE_2024), "previous": ("2023.pdf", HONGZE)})
    assert response.status_code == 200 and response.json()["report"]["year"] == 2024


def test_unreadable_previous_year_file_says_which_file(client: TestClient) -> None:
    files = {"file": ("2024.pdf", HONGZE_2024), "previous": ("2023.pdf", b"%PDF-1")}
    response = client.post("/v1/analyze", files=files)
    assert response.status_code == 422 and "previous-year" in response.json()["message"]


def test_previous_left_empty_by_a_browser_form_is_ignored(client: TestClient) -> None:
    response = client.post("/v1/analyze", files={"file": ("2024.pdf", HONGZE_2024), "previous": ("", b"")})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"files": {"file": ("a.txt", b"", "text/plain")}}, 422, "empty"),
        ({"files": {"file": ("a.gif", b"GIF89a" + bytes(64), "image/gif")}}, 415, "unsupported"),
        ({"json": {"text": 5}}, 422, "empty"),
        ({"json": [1, 2]}, 422, "empty"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "unreadable"),
        ({"content": b"\xff\xfe{", "headers": {"content-type": "application/json"}}, 422, "unreadable"),
        ({"data": {"other": "x"}}, 422, "empty"),
        ({"content": b"just text", "headers": {"content-type": "text/plain"}}, 415, "unsupported"),
        ({"content": b"--x\r\nbroken", "headers": {"content-type": "multipart/form-data; boundary=x"}}, 422, "empty"),
        ({"content": b"x", "headers": {"content-type": "multipart/form-data"}}, 422, "unreadable"),
        (
            {"files": [("file", ("a.txt", b"a")), ("file", ("b.txt", b"b")), ("file", ("c.txt", b"c"))]},
            422,
            "unreadable",
        ),
    ],
)
def test_errors_are_json(client: TestClient, kwargs: dict, status: int, code: str) -> None:
    response = client.post("/v1/analyze", **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["error"] == code and response.json()["message"]


def test_not_found_and_wrong_method_are_json(client: TestClient) -> None:
    assert client.get("/v2/nothing").json()["error"] == "not_found"
    response = client.get("/v1/analyze")
    assert response.status_code == 405 and response.json()["error"] == "method_not_allowed"


def test_declared_upload_over_the_limit_is_413_without_reading_it(client: TestClient) -> None:
    response = client.post(
        "/v1/analyze", content=b"x" * 10, headers={"content-length": str(200 * 2**20), "content-type": "text/plain"}
    )
    assert response.status_code == 413 and response.json()["error"] == "too_large"


def test_streamed_upload_is_cut_off_at_the_limit() -> None:
    """No Content-Length (chunked): the body is counted as it arrives and refused once past the limit."""
    small = TestClient(create_app(Settings(max_upload_mb=1, workers=1)))  # no lifespan: the pool is never needed
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        for _ in range(40):
            sent += 2**16
            yield b"x" * 2**16

    response = small.post("/v1/analyze", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413 and response.json()["error"] == "too_large"
    assert "1 MB" in response.json()["message"]


def test_batch_streams_one_line_per_report(client: TestClient) -> None:
    files = [
        ("files", ("hongze-2023.pdf", HONGZE)),
        ("files", ("pingtan-2023.txt", PINGTAN.encode())),
        ("files", ("cut.pdf", HONGZE[:4000])),
    ]
    with client.stream("POST", "/v1/batch", files=files) as response:
        assert response.status_code == 200 and response.headers["content-type"] == "application/x-ndjson"
        lines = [json.loads(line) for line in response.iter_lines() if line]
    by_file = {line["file"]: line for line in lines}
    assert set(by_file) == {"hongze-2023.pdf", "pingtan-2023.txt", "cut.pdf"}
    assert by_file["hongze-2023.pdf"]["result"]["report"]["year"] == 2023
    assert by_file["pingtan-2023.txt"]["result"]["tables"]["t3.new.total"] == 81
    assert by_file["cut.pdf"]["error"] == "truncated" and by_file["cut.pdf"]["message"]


def test_batch_without_files_is_422(client: TestClient) -> None:
    response = client.post("/v1/batch", data={"other": "x"})
    assert response.status_code == 422 and response.json()["error"] == "empty"


def test_themes_for_each_statement(client: TestClient) -> None:
    statements = ["政务公开队伍建设有待加强", "进一步规范依申请公开答复文书，提升答复质量"]
    response = client.post("/v1/themes", json=statements)
    assert response.status_code == 200
    tagged = response.json()
    assert [t["text"] for t in tagged] == statements
    assert all(t["kind"] in ("problem", "measure") and t["themes"] and t["scores"] for t in tagged)
    assert client.post("/v1/themes", json=[]).json() == []


def test_themes_without_the_model_is_503_json(tmp_path: Path) -> None:
    """The settings name a model file that is not there: its workers say so, and the reader keeps working."""
    with TestClient(create_app(Settings(workers=1, theme_model=tmp_path / "missing.joblib"))) as without:
        response = without.post("/v1/themes", json=["政务公开队伍建设有待加强"])
        assert response.status_code == 503 and response.json()["error"] == "themes_unavailable"
        assert "missing.joblib" in response.json()["message"]


def test_themes_refuses_more_than_ten_thousand_statements(client: TestClient) -> None:
    response = client.post("/v1/themes", json=["加强培训"] * 10_001)
    assert response.status_code == 422 and response.json()["error"] == "too_many"
    assert client.post("/v1/themes", json={"text": "x"}).json()["error"] == "invalid"


def test_openapi_documents_every_endpoint_with_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/v1/analyze", "/v1/themes", "/v1/batch", "/healthz"} <= set(spec["paths"])
    analyze_body = spec["paths"]["/v1/analyze"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "application/json"} <= set(analyze_body)
    assert analyze_body["application/json"]["examples"]
    assert "examples" in json.dumps(spec["paths"]["/v1/themes"])
    assert spec["components"]["schemas"]["AnalysisDocument"]["examples"]
    assert client.get("/docs").status_code == 200


def test_the_page_and_its_files_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'id="upload"' in page.text
    assert client.get("/static/app.js").status_code == 200 and client.get("/static/app.css").status_code == 200


def test_a_worker_that_dies_is_replaced() -> None:
    """A worker killed mid-request (as the OOM killer would) gives WorkerCrashed (503), and the next request runs."""
    workers = Workers(Settings(workers=1))

    async def crash_then_run() -> int:
        with pytest.raises(WorkerFailed) as failed:
            await workers.run(os._exit, 1)
        assert failed.value.code == "worker_crashed"
        return await workers.run(os.getpid)

    try:
        assert asyncio.run(crash_then_run()) != os.getpid()
    finally:
        workers.stop()
