"""/corpus in a real headless Chromium, on a store made as the README says (`gongkai batch ../shared/reports
--store`): every real report is listed, and every figure the page shows equals the count in the store."""

from __future__ import annotations

import csv
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPORTS
from headless import chromium, serving  # skips this module where chromium is absent
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import func, select

from nlp.store import Store
from nlp.store.models import FindingRow, ReportRow
from service.cli import main

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("corpus") / "r.db"
    assert main(["batch", str(REPORTS), "--store", str(db), "--workers", "2"]) == 0
    return db


@pytest.fixture(scope="module")
def store(store_file: Path) -> Iterator[Store]:
    opened = Store(str(store_file))
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def server(store_file: Path) -> Iterator[str]:
    with serving("--workers", "1", "--store", str(store_file)) as url:
        yield url


@pytest.fixture(scope="module")
def downloads() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[WebDriver]:
    with chromium(downloads) as driver:
        yield driver


def scalar(store: Store, query: object) -> object:
    with store.engine.connect() as conn:
        return conn.scalar(query)


def open_corpus(browser: WebDriver, server: str) -> None:
    browser.get(server + "/corpus")
    shown(browser, "sort=-errors")


def shown(browser: WebDriver, part: str) -> list[dict[str, str]]:
    """The rows, once the table shows a query with `part` in it."""
    body = browser.find_element(By.CSS_SELECTOR, "#reports tbody")
    WebDriverWait(browser, 20).until(lambda _: part in (body.get_attribute("data-query") or ""))
    rows = []
    for tr in body.find_elements(By.TAG_NAME, "tr"):
        cells = [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        rows.append({"sha256": tr.get_attribute("data-sha256"), "year": cells[1], "errors": cells[3], "file": cells[7]})
    return rows


def test_every_stored_report_is_listed_and_the_figures_are_the_stores(
    browser: WebDriver, server: str, store: Store, tmp_path: Path
) -> None:
    open_corpus(browser, server)
    browser.save_screenshot(str(tmp_path / "corpus.png"))
    rows = shown(browser, "sort=-errors")
    with store.engine.connect() as conn:
        stored = set(conn.scalars(select(ReportRow.sha256)))
    assert len(stored) >= 35 and {row["sha256"] for row in rows} == stored
    count = {b.get_attribute("data-count"): int(b.text) for b in browser.find_elements(By.CSS_SELECTOR, "#counts b")}
    assert count["reports"] == len(stored)
    assert count["failed"] == scalar(store, select(func.count()).where(ReportRow.error.is_not(None)))
    assert count["errors"] == scalar(store, select(func.count()).where(FindingRow.severity == "error")) > 0
    assert count["warnings"] == scalar(store, select(func.count()).where(FindingRow.severity == "warning"))
    bars = browser.find_elements(By.CSS_SELECTOR, 'svg[data-chart="rules"] rect')
    assert sum(int(bar.get_attribute("data-value")) for bar in bars) == count["errors"] + count["warnings"]
    agencies = browser.find_elements(By.CSS_SELECTOR, 'svg[data-chart="agencies"] rect')
    hongze = next(bar for bar in agencies if bar.get_attribute("data-key") == "洪泽区人民政府")
    with store.engine.connect() as conn:
        errors = conn.scalar(select(func.sum(ReportRow.errors)).where(ReportRow.agency == "洪泽区人民政府"))
    assert int(hongze.get_attribute("data-value")) == errors


def test_sort_and_filter(browser: WebDriver, server: str, store: Store) -> None:
    open_corpus(browser, server)
    browser.find_element(By.CSS_SELECTOR, 'th[data-sort="year"]').click()
    rows = shown(browser, "sort=-year")
    years = [int(row["year"]) for row in rows if row["year"]]
    assert years == sorted(years, reverse=True) and all(row["year"] for row in rows[: len(years)])
    browser.find_element(By.ID, "f-agency").send_keys("洪泽")
    rows = shown(browser, "agency=")
    assert sorted(row["file"] for row in rows) == ["hongze-district-2023.pdf", "hongze-district-2024.pdf"]
    Select(browser.find_element(By.ID, "f-rule")).select_by_value("table.sum")
    rows = shown(browser, "rule=table.sum")
    with store.engine.connect() as conn:
        expected = set(
            conn.scalars(
                select(ReportRow.file)
                .join(FindingRow, FindingRow.report_id == ReportRow.id)
                .where(FindingRow.rule == "table.sum", ReportRow.agency.like("%洪泽%"))
            )
        )
    assert {row["file"] for row in rows} == expected == {"hongze-district-2023.pdf"}


def test_a_click_opens_the_report_on_the_page(browser: WebDriver, server: str) -> None:
    open_corpus(browser, server)
    row = browser.find_element(By.XPATH, '//tr[td[.="hongze-district-2023.pdf"]]')
    sha = row.get_attribute("data-sha256")
    row.click()
    status = browser.find_element(By.ID, "status")
    WebDriverWait(browser, 20).until(lambda _: status.get_attribute("data-done"))
    assert browser.current_url.endswith(f"/?report={sha}")
    assert browser.find_element(By.CSS_SELECTOR, 'td[data-cell="t4.review.upheld"]').text == "10"
    assert "error" in (browser.find_element(By.CSS_SELECTOR, 'td[data-cell="t4.review.total"]').get_attribute("class"))


def test_the_csv_button_downloads_the_summary(browser: WebDriver, server: str, store: Store, downloads: Path) -> None:
    open_corpus(browser, server)
    browser.find_element(By.ID, "export-csv").click()
    target = downloads / "gongkai-corpus.csv"
    WebDriverWait(browser, 30).until(lambda _: target.exists() and target.stat().st_size > 0)
    with target.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == scalar(store, select(func.count()).select_from(ReportRow))
    hongze = next(row for row in rows if row["file"] == "hongze-district-2023.pdf")
    assert hongze["finding:table.sum:error"] == "2"


def test_a_zip_uploaded_on_the_page_goes_into_the_store(
    browser: WebDriver, server: str, store: Store, tmp_path: Path
) -> None:
    before = scalar(store, select(func.count()).select_from(ReportRow))
    archive = tmp_path / "more.zip"
    with zipfile.ZipFile(archive, "w") as sink:  # new bytes (a line added), so not a file already stored
        sink.writestr("more/pingtan-2023.txt", (REPORTS / "pingtan" / "pingtan-2023.txt").read_bytes() + b"\n")
        sink.writestr("more/hongze-district-2023.pdf", (REPORTS / "hongze-district-2023.pdf").read_bytes())
    open_corpus(browser, server)
    browser.find_element(By.ID, "zip").send_keys(str(archive))
    browser.find_element(By.ID, "zip-send").click()
    status = browser.find_element(By.ID, "zip-status")
    WebDriverWait(browser, 120).until(lambda _: status.get_attribute("data-done"))
    assert "1 已读 read" in status.text and "1 已有 already stored" in status.text
    progress = browser.find_element(By.ID, "zip-progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == "2"
    counts = browser.find_element(By.CSS_SELECTOR, '#counts b[data-count="reports"]')
    WebDriverWait(browser, 20).until(lambda _: counts.text == str(before + 1))
    assert scalar(store, select(func.count()).select_from(ReportRow)) == before + 1
    assert "more/pingtan-2023.txt" in [row["file"] for row in shown(browser, "sort=-errors")]
