"""`gongkai batch` over a folder: one line per report, bad files as error lines, resumable, a CSV beside it;
and `gongkai analyze --html`, the page's view as one file."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPORTS

from nlp.pipeline import analyze_path
from service.cli import main

pytestmark = pytest.mark.shared


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    (root / "pingtan").mkdir(parents=True)
    shutil.copy(REPORTS / "hongze-district-2023.pdf", root)
    shutil.copy(REPORTS / "pingtan" / "pingtan-2023.txt", root / "pingtan")
    (root / "cut.pdf").write_bytes((REPORTS / "hongze-district-2023.pdf").read_bytes()[:5000])
    (root / "notes.json").write_text("{}")  # not a report suffix: not read
    return root


def lines_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_a_folder_becomes_json_lines_and_a_csv(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.jsonl"
    assert main(["batch", str(folder), "--out", str(out), "--workers", "2"]) == 0
    by_file = {line["file"]: line for line in lines_of(out)}
    assert set(by_file) == {"hongze-district-2023.pdf", "pingtan/pingtan-2023.txt", "cut.pdf"}
    assert by_file["cut.pdf"]["error"] == "truncated" and by_file["cut.pdf"]["message"]
    hongze = by_file["hongze-district-2023.pdf"]["result"]
    assert hongze == json.loads(json.dumps(analyze_path(REPORTS / "hongze-district-2023.pdf").to_dict()))
    assert "3 report files: 0 already" in capsys.readouterr().out

    with (tmp_path / "results.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(by_file)
    assert rows["hongze-district-2023.pdf"]["agency"] == "洪泽区人民政府"
    assert rows["hongze-district-2023.pdf"]["year"] == "2023" and rows["hongze-district-2023.pdf"]["format"] == "2021"
    assert rows["cut.pdf"]["error"] == "truncated"
    for name, row in rows.items():  # every count in the CSV is the count in that report's line
        doc = by_file[name].get("result")
        if doc is None:
            continue
        counts = Counter(f"finding:{f['rule']}:{f['severity']}" for f in doc["findings"])
        counts.update(f"theme:{t}" for s in doc["statements"] for t in s["themes"])
        assert {k: int(v) for k, v in row.items() if k.startswith(("finding:", "theme:")) and v != "0"} == counts
        assert int(row["findings"]) == len(doc["findings"])


def test_a_second_run_reads_only_new_files(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.jsonl"
    main(["batch", str(folder), "--out", str(out), "--workers", "1"])
    first = out.read_text(encoding="utf-8")
    shutil.copy(REPORTS / "pingtan" / "pingtan-2022.txt", folder / "pingtan")
    capsys.readouterr()
    assert main(["batch", str(folder), "--out", str(out), "--workers", "1"]) == 0
    assert "4 report files: 3 already" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert text.startswith(first) and [line["file"] for line in lines_of(out)][3:] == ["pingtan/pingtan-2022.txt"]
    with (tmp_path / "results.csv").open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 4


def test_a_line_cut_short_or_a_crash_is_read_again(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    crashed = {"file": "cut.pdf", "error": "crashed", "message": "the worker process stopped"}
    out.write_text(json.dumps(crashed) + "\n" + '{"file": "hongze-district-2023.pdf", "resu', encoding="utf-8")
    assert main(["batch", str(folder), "--out", str(out), "--workers", "1"]) == 0
    files = [line["file"] for line in lines_of(out)]
    assert files[0] == "cut.pdf" and sorted(files[1:]) == [
        "cut.pdf",
        "hongze-district-2023.pdf",
        "pingtan/pingtan-2023.txt",
    ]
    with (tmp_path / "results.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    assert rows["cut.pdf"]["error"] == "truncated"  # the retry's line wins


def test_batch_of_a_missing_folder_is_exit_2(tmp_path: Path) -> None:
    assert main(["batch", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r.jsonl")]) == 2


def test_analyze_html_writes_one_standalone_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = REPORTS / "hongze-district-2023.pdf"
    assert main(["analyze", str(pdf), "--html", "--out-dir", str(tmp_path)]) == 0
    written = tmp_path / "hongze-district-2023.gongkai.html"
    assert capsys.readouterr().out.strip() == str(written)
    page = written.read_text(encoding="utf-8")
    assert "/static/" not in page and "<style>" in page and "window.gongkai" in page
    embedded = page.split('<script type="application/json" id="gongkai-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(embedded) == json.loads(json.dumps(analyze_path(pdf).to_dict()))


def test_report_text_cannot_close_the_embedded_script(tmp_path: Path) -> None:
    from service.page import render_html

    page = render_html({"sections": [{"key": "overview", "title": "t", "text": "</script><script>alert(1)"}]})
    embedded = page.split('id="gongkai-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(embedded)["sections"][0]["text"] == "</script><script>alert(1)"
