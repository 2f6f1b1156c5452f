"""A zip of reports uploaded to the service goes into its store through its own workers, as a job to poll."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPORTS
from fastapi.testclient import TestClient

from nlp.settings import Settings
from nlp.store import Store
from service.app import create_app
from service.corpus import zip_members
from service.upload import ApiError

pytestmark = pytest.mark.shared


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture()
def store_name(tmp_path: Path) -> str:
    return str(tmp_path / "results.db")


@pytest.fixture()
def client(store_name: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=store_name, workers=1))) as started:
        yield started


def finished(client: TestClient, job: dict) -> dict:
    deadline = time.monotonic() + 120
    while not job["finished"] and time.monotonic() < deadline:
        time.sleep(0.2)
        job = client.get(f"/v1/corpus/jobs/{job['id']}").json()
    return job


def test_a_zip_goes_into_the_store(client: TestClient, store_name: str) -> None:
    pingtan = (REPORTS / "pingtan" / "pingtan-2023.txt").read_bytes()
    data = zipped(
        {
            "2023/hongze.pdf": (REPORTS / "hongze-district-2023.pdf").read_bytes(),
            "2023/pingtan.txt": pingtan,
            "copy/pingtan.txt": pingtan,
            "notes.json": b"{}",
        }
    )
    response = client.post("/v1/corpus/upload", files={"file": ("reports.zip", data, "application/zip")})
    assert response.status_code == 202 and response.json()["total"] == 3
    job = finished(client, response.json())
    assert (job["done"], job["read"], job["failed"], job["skipped"]) == (3, 2, 0, 1)
    page = client.get("/v1/reports", params={"sort": "file"}).json()
    assert [row["file"] for row in page["items"]] == ["2023/hongze.pdf", "2023/pingtan.txt"]
    assert page["items"][0]["errors"] == 2
    again = finished(client, client.post("/v1/corpus/upload", files={"file": ("r.zip", data)}).json())
    assert (again["read"], again["skipped"]) == (0, 3)
    store = Store(store_name)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("select count(*) from reports").scalar() == 2
    finally:
        store.close()


def test_what_is_not_a_zip_is_refused(client: TestClient) -> None:
    response = client.post("/v1/corpus/upload", files={"file": ("r.zip", b"PK\x03\x04 not really")})
    assert response.status_code == 422 and response.json()["error"] == "unreadable"
    assert client.get("/v1/corpus/jobs/nope").status_code == 404


def test_too_many_files_or_a_bomb_are_refused() -> None:
    with pytest.raises(ApiError) as many:
        zip_members(zipped({f"{n}.txt": b"x" for n in range(3)}), max_files=2, max_bytes=100)
    assert (many.value.status, many.value.code) == (422, "too_many")
    with pytest.raises(ApiError) as bomb:
        zip_members(zipped({"big.txt": bytes(1000)}), max_files=2, max_bytes=100)
    assert (bomb.value.status, bomb.value.code) == (413, "too_large")
