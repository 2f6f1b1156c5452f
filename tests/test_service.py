"""The HTTP API: a real PDF in, the contract document out; every error is JSON with a code."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import app

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "reports"
client = TestClient(app)


def test_healthz() -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_analyze_real_pdf() -> None:
    pdf = (REPORTS / "hongze-district-2023.pdf").read_bytes()
    response = client.post("/v1/analyze", files={"file": ("hongze.pdf", pdf, "application/pdf")})
    assert response.status_code == 200
    doc = response.json()
    assert doc["schema_version"] == "1"
    assert doc["source"]["format"] == "pdf" and doc["source"]["pages"] == 5
    assert doc["report"] == {"agency": "洪泽区人民政府", "year": 2023, "format": "2021"}
    assert doc["tables"]["t4.review.upheld"] == 10 and doc["tables"]["t2.fees.amount"] == 7730.28
    assert [s["key"] for s in doc["sections"]][0] == "overview"
    assert doc["claims"] == [] and doc["statements"] == [] and isinstance(doc["warnings"], list)


def test_analyze_json_text() -> None:
    text = (REPORTS / "pingtan" / "pingtan-2023.txt").read_text(encoding="utf-8")
    doc = client.post("/v1/analyze", json={"text": text}).json()
    assert doc["report"]["year"] == 2023 and doc["tables"]["t3.new.total"] == 81


@pytest.mark.parametrize(("kwargs", "status", "code"), [
    ({"files": {"file": ("a.txt", b"", "text/plain")}}, 422, "empty"),
    ({"files": {"file": ("a.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")}}, 415, "unsupported"),
    ({"json": {"text": 5}}, 422, "empty"),
    ({"json": [1, 2]}, 422, "empty"),
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "unreadable"),
    ({"data": {"other": "x"}}, 422, "empty"),
])
def test_errors_are_json(kwargs: dict, status: int, code: str) -> None:
    response = client.post("/v1/analyze", **kwargs)
    assert response.status_code == status
    assert response.json()["error"] == code and response.json()["message"]


def test_upload_over_the_limit_is_413_without_reading_it() -> None:
    response = client.post("/v1/analyze", content=b"x" * 10,
                           headers={"content-length": str(200 * 2**20), "content-type": "text/plain"})
    assert response.status_code == 413 and response.json()["error"] == "too_large"
