"""Real content in every medium: a real report given as text or Markdown rendered as a web page, printed to PDF
with headless Chromium, or written as a Word file, so that each reader is measured on real reports (tables that
break across pages, the fonts a browser embeds, Word's table cells).

The files are made when needed, into a folder the caller names, and never kept in the project: their text is the
real report's. PDF needs Chromium (Debian's `chromium`) and a CJK font (`fonts-wqy-zenhei`).
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


def blocks(path: Path) -> list[str | list[list[str]]]:
    """The page as printed, without a crawler's header; one paragraph per line. Table rows become rows of a
    ruled table, as the source prints them: a Markdown pipe row (its `|---|` rules and heading marks are markup,
    not print), a text line of tab-separated cells, or a block of one-cell lines each led by a tab (one row, as
    nlp.tables.stat reads it)."""
    _, text = split_crawler_header(path.read_text(encoding="utf-8"))  # the crawler's, not the page's
    if path.suffix in (".md", ".markdown"):
        text = plain_markdown(text)
    out: list[str | list[list[str]]] = []  # a paragraph's text, or a table's rows of cells
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
                out.append(rows)
                rows = []
            out.append(line)
    if rows:
        out.append(rows)
    return out


def page_html(path: Path) -> str:
    """The blocks as a web page. A run of digits never wraps: a crawled page prints a table's cells run together
    on one line, and a line break inside the run would be a cell boundary the page never had."""
    parts = [table(b) if isinstance(b, list) else f"<p>{html.escape(b)}</p>" for b in blocks(path)]
    body = re.sub(r"\d[\d.,]{3,}", lambda m: f'<span class="run">{m.group()}</span>', "\n".join(parts))
    return PAGE.format(body=body)


def table(rows: list[list[str]]) -> str:
    cells = ("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return "<table>" + "".join(cells) + "</table>"


def write_html(path: Path, out_dir: Path) -> Path:
    out = out_dir / f"{path.stem}.html"
    out.write_text(page_html(path), encoding="utf-8")
    return out


def write_docx(path: Path, out_dir: Path) -> Path:
    """The blocks as a Word file: paragraphs, and tables of real cells (python-docx)."""
    import docx

    document = docx.Document()
    for block in blocks(path):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = max(len(row) for row in block)
        grid = document.add_table(rows=len(block), cols=width)
        for r, row in enumerate(block):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    out = out_dir / f"{path.stem}.docx"
    document.save(out)
    return out


def print_pdf(path: Path, out_dir: Path, timeout: float = 60) -> Path:
    """`out_dir/<stem>.pdf`, printed from the report's web page (reused if already there)."""
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


RENDERERS = {"html": write_html, "docx": write_docx, "pdf": print_pdf}
