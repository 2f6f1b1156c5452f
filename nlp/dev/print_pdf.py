"""Real content in PDF: print a real report given as text or Markdown to a PDF with headless Chromium, so that the
PDF reader is measured on real reports (tables that break across pages, the fonts a browser embeds).

The PDFs are made when needed, into a folder the caller names, and never kept in the project: their text is the
real report's. Chromium (Debian's `chromium`) and a CJK font (`fonts-wqy-zenhei`) must be installed.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from nlp.ingest.text import PIPE_SEPARATOR, plain_markdown, split_crawler_header

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 2cm; }}
body {{ font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif; font-size: 11pt; line-height: 1.5; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 1px solid #000; padding: 2px 4px; font-size: 9pt; }}
.run {{ white-space: nowrap; }}
</style></head><body>{body}</body></html>"""


def available() -> bool:
    return Path(CHROMIUM).exists()


def page_html(path: Path) -> str:
    """The page as printed, without a crawler's header; one paragraph per line. Table rows become rows of a
    ruled table, as the source prints them: a Markdown pipe row (its `|---|` rules and heading marks are markup,
    not print), a text line of tab-separated cells, or a block of one-cell lines each led by a tab (one row, as
    nlp.tables.stat reads it). A run of digits never wraps: a crawled page prints a table's cells run together on
    one line, and a line break inside the run would be a cell boundary the page never had."""
    _, text = split_crawler_header(path.read_text(encoding="utf-8"))  # the crawler's, not the page's
    if path.suffix in (".md", ".markdown"):
        text = plain_markdown(text)
    blocks: list[str] = []
    rows: list[list[str]] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        if len(lines) > 1 and all(line.startswith("\t") and "\t" not in line.strip() for line in lines):
            rows.append([line.strip() for line in lines])
            continue
        for line in lines:
            stripped = line.strip()
            if stripped.startswith("|") and stripped.count("|") >= 2:
                if not PIPE_SEPARATOR.match(stripped):
                    rows.append([c.strip() for c in stripped.strip("|").split("|")])
                continue
            if "\t" in stripped:
                rows.append([c.strip() for c in line.split("\t")])
                continue
            if rows:
                blocks.append(table(rows))
                rows = []
            blocks.append(f"<p>{html.escape(line)}</p>")
    if rows:
        blocks.append(table(rows))
    body = re.sub(r"\d[\d.,]{3,}", lambda m: f'<span class="run">{m.group()}</span>', "\n".join(blocks))
    return PAGE.format(body=body)


def table(rows: list[list[str]]) -> str:
    cells = ("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return "<table>" + "".join(cells) + "</table>"


def print_pdf(path: Path, out_dir: Path, timeout: float = 60) -> Path:
    """`out_dir/<stem>.pdf`, printed from the report at `path` (reused if already there)."""
    out = out_dir / f"{path.stem}.pdf"
    if out.exists():
        return out
    with tempfile.TemporaryDirectory() as work:
        page = Path(work) / "report.html"
        page.write_text(page_html(path), encoding="utf-8")
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                f"--user-data-dir={work}/profile",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    return out
