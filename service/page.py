"""`gongkai analyze --html`: the web page's view of one report as a single file that opens without a server.

It is the service's own page (service/static) with its CSS and script inlined and the result document embedded,
so the file and the page never drift apart.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

STYLESHEET = '<link rel="stylesheet" href="/static/app.css">'
SCRIPT = '<script src="/static/app.js"></script>'


def render_html(doc: dict[str, Any]) -> str:
    static = files("service") / "static"
    page = (static / "index.html").read_text(encoding="utf-8")
    if STYLESHEET not in page or SCRIPT not in page:
        raise RuntimeError("service/static/index.html no longer links app.css and app.js as html_view expects")
    # `<` escaped inside the JSON so that no report text can close the script element.
    data = json.dumps(doc, ensure_ascii=False).replace("<", "\\u003c")
    css = (static / "app.css").read_text(encoding="utf-8")
    script = (static / "app.js").read_text(encoding="utf-8")
    return page.replace(STYLESHEET, f"<style>\n{css}</style>").replace(
        SCRIPT, f'<script type="application/json" id="gongkai-data">{data}</script>\n<script>\n{script}</script>'
    )


def write_html(doc: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(doc), encoding="utf-8")
    return path
