"""The page at / in a real headless Chromium (tests/service/headless.py): upload a real report, see its
findings, its table cells highlighted, and click through."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPORTS
from headless import chromium, serving  # skips this module where chromium is absent
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The real service on loopback, started as the README starts it."""
    with serving("--workers", "2") as url:
        yield url


@pytest.fixture(scope="module")
def downloads() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[WebDriver]:
    with chromium(downloads) as driver:
        yield driver


def upload(browser: WebDriver, server: str, path: Path) -> None:
    browser.get(server + "/")
    browser.find_element(By.ID, "file").send_keys(str(path))
    browser.find_element(By.ID, "analyze").click()
    status = browser.find_element(By.ID, "status")
    WebDriverWait(browser, 60).until(
        lambda _: status.get_attribute("data-done") or "error" in (status.get_attribute("class") or "")
    )


def cell(browser: WebDriver, key: str) -> WebElement:
    return browser.find_element(By.CSS_SELECTOR, f'td[data-cell="{key}"]')


def in_view(browser: WebDriver, element: WebElement) -> bool:
    """Inside the window and inside the scrolling pane that holds it."""
    return browser.execute_script(
        """
        const r = arguments[0].getBoundingClientRect();
        const pane = arguments[0].closest('.pane').getBoundingClientRect();
        return r.top >= Math.max(0, pane.top) && r.bottom <= Math.min(innerHeight, pane.bottom);""",
        element,
    )


def classes(element: WebElement) -> set[str]:
    return set((element.get_attribute("class") or "").split())


def test_hongze_2023_table4_mistakes_are_highlighted(browser: WebDriver, server: str, tmp_path: Path) -> None:
    upload(browser, server, REPORTS / "hongze-district-2023.pdf")
    browser.save_screenshot(str(tmp_path / "hongze-2023.png"))
    assert cell(browser, "t4.review.upheld").text == "10" and cell(browser, "t4.review.total").text == "0"
    for block in ("review", "litigation_after_review"):
        assert "error" in classes(cell(browser, f"t4.{block}.total"))
    assert "error" not in classes(cell(browser, "t4.litigation_direct.total"))
    finding = browser.find_element(By.XPATH, '//ol[@id="findings"]/li[contains(., "t4.review.total")]')
    assert "table.sum" in finding.text and "11" in finding.text
    finding.click()
    total = cell(browser, "t4.review.total")
    assert "active" in classes(total) and in_view(browser, total)


def test_clicking_a_finding_brings_its_cells_and_quote_into_view(browser: WebDriver, server: str) -> None:
    """The page's own mechanism, with a finding added to the real document the upload returned."""
    upload(browser, server, REPORTS / "hongze-district-2023.pdf")
    browser.execute_script("""
        const doc = structuredClone(window.gongkai.doc);
        doc.findings.push({rule: "prose.table", severity: "error", message: "injected", cells: ["t3.new.total"],
                           quotes: ["全区受理政府信息公开申请 21 件"], expected: 22, actual: 21});
        window.gongkai.render(doc);""")
    total = cell(browser, "t3.new.total")
    assert "error" in classes(total)
    size = browser.get_window_size()
    browser.set_window_size(1600, 600)  # panes short enough that scrolling to the end hides table 3
    try:
        browser.execute_script("document.querySelectorAll('.pane').forEach(p => p.scrollTop = p.scrollHeight)")
        assert not in_view(browser, total)
        browser.find_element(By.XPATH, '//ol[@id="findings"]/li[contains(., "injected")]').click()
        quote = browser.find_element(By.CSS_SELECTOR, "mark.finding.active")
        assert "active" in classes(total) and in_view(browser, total)
        assert "".join(quote.text.split()) == "全区受理政府信息公开申请21件" and in_view(browser, quote)
    finally:
        browser.set_window_size(size["width"], size["height"])


def test_pasted_text_shows_its_tables_sections_and_claims(browser: WebDriver, server: str) -> None:
    browser.get(server + "/")
    text = (REPORTS / "pingtan" / "pingtan-2023.txt").read_text(encoding="utf-8")
    browser.execute_script("document.getElementById('text').value = arguments[0]", text)
    browser.find_element(By.ID, "analyze").click()
    status = browser.find_element(By.ID, "status")
    WebDriverWait(browser, 60).until(lambda _: status.get_attribute("data-done"))
    assert cell(browser, "t3.new.total").text == "81"
    assert browser.find_elements(By.CSS_SELECTOR, "#sections .section")
    assert "平潭综合实验区" in browser.find_element(By.ID, "summary").text


def test_an_unreadable_file_shows_the_reason(browser: WebDriver, server: str, tmp_path: Path) -> None:
    cut = tmp_path / "cut.pdf"
    cut.write_bytes((REPORTS / "hongze-district-2023.pdf").read_bytes()[:5000])
    upload(browser, server, cut)
    status = browser.find_element(By.ID, "status")
    assert "error" in classes(status) and "truncated" in status.text


def test_download_json_is_the_document(browser: WebDriver, server: str, downloads: Path) -> None:
    upload(browser, server, REPORTS / "hongze-district-2023.pdf")
    browser.find_element(By.ID, "download").click()
    target = downloads / "hongze-district-2023.gongkai.json"
    WebDriverWait(browser, 20).until(lambda _: target.exists() and target.stat().st_size > 0)
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["report"]["agency"] == "洪泽区人民政府" and doc["tables"]["t4.review.upheld"] == 10


def test_score_publication_date_and_the_new_findings_are_shown(browser: WebDriver, server: str) -> None:
    """pingtan-econ-2016: published 2017-01-13 per its crawler header; signed 2016年1月11日, before its period
    ends (period error, 5 points of 数据准确), and 28 / 116 printed as 22% (prose error, 3 points): 22 of 30 there,
    57 of the 65 assessed without a previous report."""
    upload(browser, server, REPORTS / "wild" / "pingtan-econ-2016.txt")
    summary = browser.find_element(By.ID, "summary").text
    assert "2017-01-13（据 网页采集记录 crawler header）" in summary and "政府部门" in summary
    assert "57 / 65" in summary
    assert browser.find_element(By.ID, "score").text.startswith("57 / 65 · gongkai-default")
    accuracy = browser.find_element(By.CSS_SELECTOR, '[data-indicator="accuracy"]')
    assert "22 / 30" in accuracy.text and "period.signed" in accuracy.text
    signed = browser.find_element(By.XPATH, '//ol[@id="findings"]/li[contains(., "period.signed")]')
    assert "2016-01-11" in signed.text
    accuracy.find_element(By.XPATH, './/div[contains(., "period.signed")]').click()
    assert "active" in classes(signed)


def test_a_page_image_shows_its_ocr_page_and_marks_ocr_cells(browser: WebDriver, server: str, tmp_path: Path) -> None:
    """A photographed table page (hongze-2023's page 3, rendered at test time) is read by OCR: the summary names
    the page, and the cells OCR read are marked, their confidence in the tooltip."""
    from scans import page_images

    image = tmp_path / "page3.png"
    page_images(REPORTS / "hongze-district-2023.pdf", 150)[2].save(image)
    upload(browser, server, image)
    summary = browser.find_element(By.ID, "summary").text
    assert "OCR 识别页 OCR pages\n1" in summary
    total = cell(browser, "t3.new.total")
    assert (
        total.text == "21"
        and "ocr" in classes(total)
        and re.search(r"OCR [01]\.\d\d$", total.get_attribute("title") or "")
    )
