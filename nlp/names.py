"""File names as the output prints them, when the bytes of a name are not UTF-8.

A Linux file system keeps a name's bytes as they came, often GBK from a zip made on Chinese Windows, and a
multipart upload may carry such bytes too. JSON and CSV need text: the name is its UTF-8 reading, else its
GB18030 reading (a superset of GBK), else UTF-8 with the undecodable bytes escaped (`\\xff`), which still tells
one file from another.
"""

from __future__ import annotations

import os


def readable(raw: bytes) -> str:
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="backslashreplace")


def path_name(path: str) -> str:
    """A path from the file system (undecodable bytes kept as surrogates by Python) as printable text."""
    return readable(os.fsencode(path))


def upload_name(name: str) -> str:
    """A multipart file name: Starlette reads one that is not UTF-8 as Latin-1, so its bytes are recovered and
    read again, as GB18030 if they are that; a name with characters past Latin-1 was UTF-8 and stays."""
    try:
        raw = name.encode("latin-1")
        raw.decode("utf-8")
    except UnicodeEncodeError:
        return name
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return name
    return name
