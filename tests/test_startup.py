"""A cold `gongkai analyze` loads only what its file needs (issue 15): no PDF, Word or web-page reader for a text
file, no web framework for the command line, no spaCy or jieba before claims are read; and jieba's dictionary
cache goes to the user's cache folder, or silently to jieba's default where that cannot be written.

Each case runs in a fresh interpreter and reads `sys.modules` there: this process has imported everything.
Not timed: benchmarks/startup.py prints the times.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPORTS, ROOT

READERS = ["pdfplumber", "pdfminer", "pypdfium2", "docx", "lxml", "bs4"]
SERVICE = ["fastapi", "starlette", "uvicorn"]
MODELS = ["spacy", "jieba", "cn2an", "sklearn", "joblib"]

LOADED = """
import contextlib, io, json, sys
from service.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    status = main(sys.argv[1:])
print(json.dumps({"status": status, "modules": sorted({name.split(".")[0] for name in sys.modules})}))
"""


def run(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def analyze(path: Path) -> tuple[int, set[str]]:
    """Exit status of `gongkai analyze PATH` and the top-level packages it had imported."""
    out = json.loads(run(LOADED, "analyze", str(path)).stdout.splitlines()[-1])
    return out["status"], set(out["modules"])


def test_importing_the_pipeline_loads_no_reader_framework_or_model() -> None:
    code = "import sys, nlp.pipeline; print(' '.join(sorted({n.split('.')[0] for n in sys.modules})))"
    loaded = set(run(code).stdout.split())
    assert "nlp" in loaded
    assert loaded.isdisjoint(READERS + SERVICE + MODELS)


def test_a_text_file_that_is_not_a_report_loads_no_model(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("今天下午三点开会，讨论食堂的菜单。\n请大家准时参加。\n", encoding="utf-8")
    status, loaded = analyze(path)
    assert status == 2  # not_report
    assert loaded.isdisjoint(READERS + SERVICE + MODELS)


@pytest.mark.shared
def test_a_text_report_loads_spacy_and_jieba_and_no_reader_framework_or_sklearn() -> None:
    status, loaded = analyze(REPORTS / "pingtan" / "pingtan-2023.txt")
    assert status == 0
    assert {"spacy", "jieba"} <= loaded  # its claims
    assert loaded.isdisjoint(READERS + SERVICE + ["sklearn", "scipy", "joblib"])  # themes from the model's arrays


CACHE = """
import jieba, json
from nlp.prose.claims import pipeline
pipeline()
print(json.dumps(jieba.dt.tmp_dir))
"""


SAME = """
import jieba, json
from nlp.prose.segmenter import configure
configure()
own = jieba.Tokenizer()
own.tmp_dir = jieba.dt.tmp_dir
own.initialize()  # jieba's own marshal cache, in the same folder
print(json.dumps({"same": own.FREQ == jieba.dt.FREQ and own.total == jieba.dt.total, "words": len(own.FREQ)}))
"""


def test_jiebas_cache_goes_to_the_user_cache_folder_and_loads_the_same_dictionary(tmp_path: Path) -> None:
    out = run(CACHE, env={"XDG_CACHE_HOME": str(tmp_path)})  # builds both caches
    assert json.loads(out.stdout) == str(tmp_path / "gongkai")
    assert out.stderr == ""
    pickled = next((tmp_path / "gongkai").glob("jieba-*.pickle"))
    assert (tmp_path / "gongkai" / "jieba.cache").stat().st_size > 1_000_000
    assert pickled.stat().st_size > 1_000_000
    loaded = json.loads(run(SAME, env={"XDG_CACHE_HOME": str(tmp_path)}).stdout)  # reads the pickled one
    assert loaded["same"] is True
    assert loaded["words"] > 300_000


def test_a_broken_pickled_dictionary_is_rebuilt(tmp_path: Path) -> None:
    from nlp.prose.segmenter import PICKLED

    (tmp_path / "gongkai").mkdir()
    (tmp_path / "gongkai" / PICKLED).write_bytes(b"\x80\x05truncated")
    loaded = json.loads(run(SAME, env={"XDG_CACHE_HOME": str(tmp_path)}).stdout)
    assert loaded["same"] is True
    assert (tmp_path / "gongkai" / PICKLED).stat().st_size > 1_000_000


def test_an_unusable_cache_folder_leaves_jieba_its_default_silently(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = run(CACHE, env={"XDG_CACHE_HOME": str(blocker / "cache")})
    assert json.loads(out.stdout) is None
    assert out.stderr == ""


WARM = """
import jieba, json, sys
from nlp.settings import get_settings
from nlp.workers import warm_up
warm_up(get_settings())
from nlp.prose.themes import model
loaded = {"jieba": jieba.dt.initialized, "themes": model.cache_info().currsize}
print(json.dumps(loaded | {"modules": sorted({n.split(".")[0] for n in sys.modules})}))
"""


def test_a_worker_still_loads_everything_at_start() -> None:
    """The service's and the batch's workers pay every load once, before their first report."""
    out = json.loads(run(WARM).stdout.splitlines()[-1])
    assert out["jieba"] is True
    assert out["themes"] == 1  # the theme model, loaded
    assert {"pdfplumber", "docx", "bs4", "spacy", "cn2an"} <= set(out["modules"])
