"""jieba, set up once for claims and themes: quiet, and its dictionary cache in the user's cache directory.

jieba turns its dictionary into a prefix dictionary on first use (seconds) and keeps the result as a cache file
in the system temp folder, which is cleaned at boot and shared between users. Kept in `$XDG_CACHE_HOME/gongkai`
(else `~/.cache/gongkai`), later runs load it instead. Where that folder cannot be made or written, jieba keeps
its default, silently: a cache is a speed-up, never a reason to fail.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path

import jieba


def user_cache_dir() -> Path | None:
    """gongkai's folder under the XDG cache home, made if need be; None where it cannot be made or written."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    try:
        base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"  # XDG: a relative path is ignored
        folder = base / "gongkai"
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home directory to be found
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


@cache
def configure() -> None:
    """Before jieba's first cut (it reads the cache then); once per process."""
    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not for users
    folder = user_cache_dir()
    if folder is not None:
        jieba.dt.tmp_dir = str(folder)
