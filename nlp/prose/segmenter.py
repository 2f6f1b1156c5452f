"""jieba, set up once for claims and themes: quiet, and its dictionary loaded from the user's cache directory.

jieba turns its dictionary into a prefix dictionary on first use (seconds) and keeps the result as a marshal file
in the system temp folder, which is cleaned at boot and shared between users; loading that file is ~1.1 s of CPU,
more than importing spaCy. In `$XDG_CACHE_HOME/gongkai` (else `~/.cache/gongkai`) we keep jieba's own cache and
the same prefix dictionary pickled, which loads in ~0.4 s. Where that folder cannot be made or written, jieba
keeps its default behaviour, silently: a cache is a speed-up, never a reason to fail.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

import jieba

PICKLED = f"jieba-{jieba.__version__}.pickle"  # a new jieba may bring a new dictionary


def user_cache_dir() -> Path | None:
    """gongkai's folder under the XDG cache home, made if need be; None where it cannot be made or written."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    try:
        base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"  # XDG: a relative path is ignored
        folder = base / "gongkai"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home directory to be found
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


@cache
def configure() -> None:
    """Before jieba's first cut; once per process. Both callers segment right after, so loading now costs nothing."""
    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not for users
    folder = user_cache_dir()
    if folder is None:
        return
    jieba.dt.tmp_dir = str(folder)
    pickled = folder / PICKLED
    if not load_pickled(pickled):
        jieba.dt.initialize()  # jieba's own way: its marshal cache in the folder, built if absent
        save_pickled(pickled)


def load_pickled(path: Path) -> bool:
    """The prefix dictionary into jieba's default tokenizer, as its own initialize() would set it; False if the
    file is absent, unreadable, not this user's own (a pickle runs code) or not a dictionary."""
    try:
        if path.stat().st_uid != os.getuid():
            return False
        with path.open("rb") as handle:
            freq, total = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return False
    if not isinstance(freq, dict) or not isinstance(total, int):
        return False
    with jieba.dt.lock:
        jieba.dt.FREQ, jieba.dt.total, jieba.dt.initialized = freq, total, True
    return True


def save_pickled(path: Path) -> None:
    """Written whole or not at all (a temporary file renamed), so a parallel run never reads half of it."""
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            pickle.dump((jieba.dt.FREQ, jieba.dt.total), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        return
