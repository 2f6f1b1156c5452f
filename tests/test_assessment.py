"""The score per report: the default rubric on real reports (points worked out by hand from their findings), a
user's rubric on the command line and through the API, and bad rubrics refused with what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPORTS
from fastapi.testclient import TestClient

from nlp.assessment import RubricError, load_rubric, parse_rubric
from nlp.pipeline import analyze_path
from service.app import create_app
from service.cli import main

pytestmark = pytest.mark.shared

PINGTAN = REPORTS / "pingtan"
ONE = {
    "name": "reuse only",
    "indicators": [
        {
            "id": "copied",
            "name": "copied",
            "points": 10,
            "requires": ["previous_given"],
            "deductions": [{"checks": ["reuse.report"], "severities": ["warning"], "points": 10}],
        },
        {"id": "sums", "name": "sums", "points": 10, "deductions": [{"checks": ["table.sum"], "points": 4}]},
    ],
}


def scores(doc: dict) -> dict[str, object]:
    return {i["id"]: i["points"] for i in doc["assessment"]["indicators"]}


def test_hongze_2023_loses_accuracy_points_for_its_two_table_errors() -> None:
    """Two table.sum.t4 errors (5 each) of 30; no previous report, so 不雷同 and 问题整改 are not assessed."""
    doc = analyze_path(REPORTS / "hongze-district-2023.pdf").to_dict()
    errors = [(i, f["check"]) for i, f in enumerate(doc["findings"]) if f["severity"] == "error"]
    assert [check for _, check in errors] == ["table.sum.t4", "table.sum.t4"]
    assert scores(doc) == {
        "timeliness": 15,
        "completeness": 20,
        "accuracy": 20,
        "originality": None,
        "follow_through": None,
    }
    accuracy = next(i for i in doc["assessment"]["indicators"] if i["id"] == "accuracy")
    assert [d["finding"] for d in accuracy["deductions"]] == [i for i, _ in errors]
    assert (doc["assessment"]["total"], doc["assessment"]["max"]) == (55, 65)
    assert doc["assessment"]["rubric"] == "gongkai-default"


def test_pingtan_2013_against_2012_loses_what_it_copied() -> None:
    """2013 given 2012: three sections and the whole above half (3+3+3+10 of 20 → 1); four problems (3 each) and
    five measures (2 each) restated (15 → 0); 历年累计 broken twice (cross_year errors, 5 each), the prose's one
    行政复议 against the 统计表's 0 (an error, 3) and its 4970 against the table's 72804 (a warning, 1): 30 → 16;
    its missing fee element (4 of 20 → 16)."""
    doc = analyze_path(PINGTAN / "pingtan-2013.txt", PINGTAN / "pingtan-2012.txt").to_dict()
    assert scores(doc) == {"timeliness": 15, "completeness": 16, "accuracy": 16, "originality": 1, "follow_through": 0}
    assert doc["assessment"]["total"] == 48 and doc["assessment"]["max"] == 100


def test_a_users_rubric_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rubric = tmp_path / "rubric.json"
    rubric.write_text(json.dumps(ONE), encoding="utf-8")
    args = ["analyze", str(PINGTAN / "pingtan-2013.txt"), "--previous", str(PINGTAN / "pingtan-2012.txt")]
    assert main([*args, "--json", "--rubric", str(rubric)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["assessment"]["rubric"] == "reuse only"
    assert scores(doc) == {"copied": 0, "sums": 10} and doc["assessment"]["total"] == 10


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{", "is not JSON"),
        (json.dumps({"name": "x", "indicators": []}), "indicators"),
        (json.dumps({**ONE, "indicators": [{**ONE["indicators"][1], "points": -1}]}), "points"),
        (
            json.dumps(
                {**ONE, "indicators": [{**ONE["indicators"][1], "deductions": [{"checks": ["tabel"], "points": 1}]}]}
            ),
            "no check is named tabel",
        ),
        (json.dumps({**ONE, "indicators": [{**ONE["indicators"][0], "requires": ["sunshine"]}]}), "requires"),
    ],
)
def test_a_bad_rubric_is_exit_2_saying_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, says: str
) -> None:
    rubric = tmp_path / "bad.json"
    rubric.write_text(content, encoding="utf-8")
    assert main(["analyze", str(PINGTAN / "pingtan-2023.txt"), "--rubric", str(rubric)]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_a_missing_rubric_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(PINGTAN), "--out", str(tmp_path / "r.jsonl"), "--rubric", str(tmp_path / "no")]) == 2
    assert "Cannot read the rubric" in capsys.readouterr().err


def test_the_default_rubric_is_valid_and_says_it_is_not_official() -> None:
    rubric = load_rubric()
    assert rubric.name == "gongkai-default" and "not any official" in rubric.description
    assert sum(i.points for i in rubric.indicators) == 100


def test_parse_rubric_names_the_field() -> None:
    with pytest.raises(RubricError, match="indicators.0.points"):
        parse_rubric({**ONE, "indicators": [{**ONE["indicators"][1], "points": "many"}]})


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as started:
        yield started


def test_the_api_takes_a_rubric_as_json(client: TestClient) -> None:
    text = (REPORTS / "wild" / "pingtan-econ-2016.txt").read_text(encoding="utf-8")
    doc = client.post("/v1/analyze", json={"text": text, "rubric": ONE}).json()
    assert doc["assessment"]["rubric"] == "reuse only"
    assert scores(doc) == {"copied": None, "sums": 10}  # no previous report; econ-2016's sums all hold


def test_the_api_takes_a_rubric_as_a_form_field(client: TestClient) -> None:
    files = {
        "file": ("2013.txt", (PINGTAN / "pingtan-2013.txt").read_bytes()),
        "previous": ("2012.txt", (PINGTAN / "pingtan-2012.txt").read_bytes()),
    }
    doc = client.post("/v1/analyze", files=files, data={"rubric": json.dumps(ONE)}).json()
    assert scores(doc) == {"copied": 0, "sums": 10}


def test_the_api_refuses_a_bad_rubric_with_422(client: TestClient) -> None:
    response = client.post("/v1/analyze", json={"text": "平潭", "rubric": {"name": "x"}})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_rubric" and "indicators" in response.json()["message"]
    files = {"file": ("2013.txt", (PINGTAN / "pingtan-2013.txt").read_bytes())}
    response = client.post("/v1/analyze", files=files, data={"rubric": "{not json"})
    assert response.status_code == 422 and response.json()["error"] == "invalid_rubric"
