"""Inputs bounded at the edge of the API: JSON nested too deeply, statements too long or too many characters for
/v1/themes, file names whose bytes are not UTF-8."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from nlp.settings import Settings
from service.app import create_app

DEEP = "[" * 100_000 + "]" * 100_000
REPORT = "某区人民政府2023年政府信息公开工作年度报告\n一、总体情况\n".encode()


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(workers=1, max_themes_chars=5_000)), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("body", [DEEP, '{"text": ' + DEEP + "}"])
@pytest.mark.parametrize("path", ["/v1/analyze", "/v1/themes"])
def test_json_nested_100000_deep_is_422_not_500(client: TestClient, path: str, body: str) -> None:
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["error"] == "unreadable"


def test_a_statement_longer_than_a_statement_is_refused_before_the_model(client: TestClient) -> None:
    response = client.post("/v1/themes", json=["政务公开" * 600])  # 2,400 characters
    assert response.status_code == 422 and response.json()["error"] == "too_long"
    assert "GONGKAI_MAX_STATEMENT_CHARS" in response.json()["message"]


def test_too_much_text_in_one_themes_request_is_refused(client: TestClient) -> None:
    response = client.post("/v1/themes", json=["进一步规范依申请公开答复文书"] * 400)  # 14 × 400 = 5,600 characters
    assert response.status_code == 422 and "GONGKAI_MAX_THEMES_CHARS" in response.json()["message"]


def multipart(field: str, filename: bytes) -> bytes:
    return (
        b'--b\r\nContent-Disposition: form-data; name="' + field.encode() + b'"; filename="' + filename + b'"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + REPORT + b"\r\n--b--\r\n"
    )


@pytest.mark.parametrize(
    ("raw", "name"), [("报告.txt".encode("gbk"), "报告.txt"), ("报告.txt".encode(), "报告.txt"), (b"\xff.txt", "ÿ.txt")]
)
def test_upload_names_that_are_not_utf8(client: TestClient, raw: bytes, name: str) -> None:
    headers = {"content-type": "multipart/form-data; boundary=b"}
    one = client.post("/v1/analyze", content=multipart("file", raw), headers=headers)
    assert one.status_code == 200 and one.json()["source"]["filename"] == name
    batch = client.post("/v1/batch", content=multipart("files", raw), headers=headers)
    assert batch.status_code == 200 and batch.json()["file"] == name
