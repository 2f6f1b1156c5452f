"""Bounds on a PDF read, so that a file built to exhaust the reader ends with a clear error.

pdfium (the default reader) follows reference cycles and deep nesting safely and counts characters for us
(nlp/ingest/pdfium_page.py), but inflates a stream whole. `check_streams` inflates each Flate stream of the
file that pdfium would inflate to read the text (not an image's or a font's) under the cap, before pdfium sees it.

The old reader, pdfminer (GONGKAI_PDF_READER=pdfplumber), needs more.

pdfminer inflates a stream whole (`zlib.decompress`, no limit), follows a chain of indirect references with no
memory of where it has been (`4 0 R` → `5 0 R` → `4 0 R` spins for ever), and lays out however many characters a
content stream draws. pdfminer has no option for any of these, so `guarded` puts three hooks in for the length of
one read, and takes them out again:

- a Flate stream inflates through `zlib.decompressobj` with `max_length`, so a bomb stops at the cap;
- `PDFObjRef.resolve` follows a chain itself, remembering every object being resolved; one met again is a cycle,
  whether it is a bare chain or a stream whose `/Length` leads back to itself;
- every character laid out is counted, and the read stops once there are more than one report can hold.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from pdfminer import converter, pdftypes

from nlp.document import ReadError

_original = {
    "zlib": pdftypes.zlib,
    "decompress_corrupted": pdftypes.decompress_corrupted,
    "resolve": pdftypes.PDFObjRef.resolve,
    "render_char": converter.PDFLayoutAnalyzer.render_char,
}


class _Read:
    """The limits and counters of the read in progress."""

    def __init__(self, max_stream: int, max_chars: int) -> None:
        self.max_stream, self.max_chars = max_stream, max_chars
        self.chars = 0
        self.resolving: set[tuple[int, int]] = set()  # (document, object id) of every reference being resolved


_read: _Read | None = None
STREAM = re.compile(rb"\bstream\r?\n")
PICTURE = re.compile(rb"/Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType)\b|/Length[123]\b")


def check_streams(data: bytes, max_stream: int) -> None:
    """Refuse a file with a Flate stream (other than an image or an embedded font) inflating past `max_stream`.

    The raw file is scanned for `stream` keywords; each one's dictionary is what follows the last `obj` before
    it. A stream that does not inflate (encrypted, damaged, another filter) is left to pdfium."""
    for keyword in STREAM.finditer(data):
        start = keyword.end()
        head = data[data.rfind(b"obj", 0, keyword.start()) : keyword.start()]
        if b"/FlateDecode" not in head or PICTURE.search(head):
            continue
        end = data.find(b"endstream", start)
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(data[start : end if end > 0 else len(data)], max_stream + 1)
        except zlib.error:
            continue
        if len(out) > max_stream:
            raise _too_large(max_stream)


@contextmanager
def guarded(max_stream: int, max_chars: int) -> Iterator[None]:
    """pdfminer under our bounds for the duration of the block (one worker reads one PDF at a time)."""
    global _read
    _read = _Read(max_stream, max_chars)
    pdftypes.zlib = SimpleNamespace(decompress=_inflate, decompressobj=zlib.decompressobj, error=zlib.error)
    pdftypes.decompress_corrupted = _inflate_corrupted
    pdftypes.PDFObjRef.resolve = _resolve
    converter.PDFLayoutAnalyzer.render_char = _render_char
    try:
        yield
    finally:
        pdftypes.zlib = _original["zlib"]
        pdftypes.decompress_corrupted = _original["decompress_corrupted"]
        pdftypes.PDFObjRef.resolve = _original["resolve"]
        converter.PDFLayoutAnalyzer.render_char = _original["render_char"]
        _read = None


def _limits() -> _Read:
    assert _read is not None, "the hooks are only in place inside guarded()"
    return _read


def _bounded(inflater: Any, data: bytes, room: int) -> bytes:
    out = inflater.decompress(data, room + 1)
    if len(out) > room:
        raise _too_large(_limits().max_stream)
    return out


def _too_large(cap: int) -> ReadError:
    return ReadError(
        "too_large",
        f"A stream of the PDF inflates to more than {cap / 2**20:g} MB (GONGKAI_MAX_STREAM_MB), far more than "
        "a report's page: not read.",
    )


def _inflate(data: bytes) -> bytes:
    """`zlib.decompress` as pdfminer calls it (an error for damaged or cut-short data), stopped at the cap."""
    inflater = zlib.decompressobj()
    out = _bounded(inflater, data, _limits().max_stream)
    if not inflater.eof:
        raise zlib.error("incomplete or truncated stream")
    return out


def _inflate_corrupted(data: bytes) -> bytes:
    """pdfminer's fallback for a stream whose checksum is wrong: keep what inflates before the last 4 bytes
    (damage before them is still an error, as in pdfminer's own, which feeds one byte at a time)."""
    inflater = zlib.decompressobj()
    out = _bounded(inflater, data[:-4], _limits().max_stream)
    try:
        out += _bounded(inflater, data[-4:], _limits().max_stream - len(out))
    except zlib.error:
        pass  # the checksum itself
    return out


def _resolve(self: pdftypes.PDFObjRef, default: object = None) -> Any:
    """The object a reference leads to, through any chain of references, refusing a cycle."""
    resolving, chain = _limits().resolving, []
    target: Any = self
    try:
        while isinstance(target, pdftypes.PDFObjRef):
            key = (id(target.doc), target.objid)
            if key in resolving:
                raise ReadError(
                    "unreadable",
                    f"The PDF's objects refer to each other in a cycle (object {target.objid} leads back to "
                    "itself): the file is damaged or built to hang a reader; export it again.",
                )
            resolving.add(key)
            chain.append(key)
            target = _original["resolve"](target, default)
        return target
    finally:
        resolving.difference_update(chain)


def _render_char(self: converter.PDFLayoutAnalyzer, *args: Any, **kwargs: Any) -> float:
    read = _limits()
    read.chars += 1
    if read.chars > read.max_chars:
        raise too_many_chars(read.max_chars)
    return _original["render_char"](self, *args, **kwargs)


def too_many_chars(cap: int) -> ReadError:
    return ReadError(
        "too_long",
        f"The PDF draws more than {cap:,} characters, more than one report has "
        "(GONGKAI_MAX_TEXT_CHARS): send each report on its own.",
    )
