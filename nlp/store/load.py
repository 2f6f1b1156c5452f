"""`gongkai batch DIR --store URL`: a folder of reports into the results store, file by file as each finishes.

The files are hashed first, so that one already stored by this analysis version is skipped (wherever it sits in
the folder, and however often it is copied there) without being read again.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.batch import analyze_all, report_files
from nlp.settings import Settings, get_settings
from nlp.store.store import Store
from nlp.store.version import analysis_version

Engine = Callable[[Path, list[str], Settings], Iterator[dict[str, Any]]]


@dataclass
class LoadRun:
    """What one run did, for the closing line the command prints."""

    total: int
    skipped: int  # stored already by this analysis version
    copies: int  # the same bytes as a file met earlier in the folder: stored once, under the first name
    read: int
    failed: int  # stored with an error (unreadable, scanned, a worker that died...) or not even opened


def file_hash(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        print(f"gongkai: {path}: {exc.strerror}", file=sys.stderr)
        return None
    return digest.hexdigest()


def load_folder(
    folder: Path, store: Store, settings: Settings | None = None, engine: Engine = analyze_all, progress: bool = True
) -> LoadRun:
    """Analyse every report under `folder` not yet in `store` by this analysis version, storing each as it ends."""
    from tqdm import tqdm

    settings, version = settings or get_settings(), analysis_version()
    files = report_files(folder)
    hashes = {name: file_hash(folder / name) for name in files}
    unopened = [name for name, sha in hashes.items() if sha is None]
    stored = store.current((sha for sha in hashes.values() if sha), version)
    todo: dict[str, str] = {}  # name → hash, the first name of each content
    seen: set[str] = set()
    for name, sha in hashes.items():
        if sha and sha not in stored and sha not in seen:
            todo[name] = sha
        seen.add(sha or "")
    read = failed = 0
    with tqdm(total=len(todo), unit="file", disable=not progress or None, desc="gongkai batch") as bar:
        for line in engine(folder, list(todo), settings):
            doc = line.get("result")
            sha = doc["source"]["sha256"] if isinstance(doc, dict) else todo[line["file"]]
            store.put(line["file"], sha, line, version)
            failed += "error" in line
            read += "result" in line
            bar.update(1)
    skipped = sum(sha in stored for sha in hashes.values())
    copies = len(files) - len(todo) - len(unopened) - skipped
    return LoadRun(len(files), skipped, copies, read, failed + len(unopened))
