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

from nlp.ingest.text import PIPE_SEPARATOR, plain_markdown

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
    """One paragraph per line; a Markdown report's pipe rows become the rows of ruled tables (its `|---|` rules and
    heading marks are markup, not print). A run of digits never wraps: a crawled page prints a table's cells run
    together on one line, and a line break inside the run would be a cell boundary the page never had."""
    text = path.read_text(encoding="utf-8")
    markdown = path.suffix in (".md", ".markdown")
    if markdown:
        text = plain_markdown(text)
    blocks: list[str] = []
    rows: list[str] = []
    for line in text.split("\n"):
        if markdown and line.strip().startswith("|"):
            if not PIPE_SEPARATOR.match(line.strip()):
                cells = line.strip().strip("|").split("|")
                rows.append("<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in cells) + "</tr>")
            continue
        if rows:
            blocks.append("<table>" + "".join(rows) + "</table>")
            rows = []
        if line.strip():
            blocks.append(f"<p>{html.escape(line)}</p>")
    if rows:
        blocks.append("<table>" + "".join(rows) + "</table>")
    body = re.sub(r"\d[\d.,]{3,}", lambda m: f'<span class="run">{m.group()}</span>', "\n".join(blocks))
    return PAGE.format(body=body)


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
