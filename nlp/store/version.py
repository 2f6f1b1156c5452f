"""The analysis version a stored result was made by: a stored file is read again when this changes.

It is gongkai's version and a digest of everything that decides a result (the code and rule data of `nlp/`
and the theme model), so an upgrade, a rule edited in a JSON file or a retrained model each count as a new
analysis. The store and the developer commands (`nlp/store/`, `nlp/dev/`) decide no result and are left out.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from nlp.settings import get_settings

PACKAGE = Path(__file__).resolve().parents[1]
NOT_ANALYSIS = {"store", "dev", "__pycache__"}


@cache
def analysis_version() -> str:
    digest = hashlib.sha256()
    files = sorted(
        p
        for p in PACKAGE.rglob("*")
        if p.suffix in (".py", ".json") and not NOT_ANALYSIS & set(p.relative_to(PACKAGE).parts)
    )
    model = get_settings().theme_model
    for path in [*files, *([model] if model.exists() else [])]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    try:
        release = version("gongkai")
    except PackageNotFoundError:  # run from a checkout that was never installed
        release = "0"
    return f"{release}+{digest.hexdigest()[:12]}"
