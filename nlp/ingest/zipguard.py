"""A .docx's zip checked before python-docx inflates it: sizes, compression ratio, and no DTD in any XML part.

python-docx reads every part whole into memory, so a part that inflates to gigabytes must be refused first: from
the zip directory's declared sizes (free), then again while each part is inflated in 1 MB pieces and counted, so a
directory that lies is caught too. Each XML part goes through defusedxml's expat parser on the way: Word never
writes a DTD, and a part declaring one (billion laughs, an external entity) is refused rather than trusted to the
lxml options python-docx happens to use.
"""

from __future__ import annotations

import zipfile
from xml.sax import SAXParseException

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from nlp.document import ReadError

CHUNK = 2**20
RATIO_FLOOR = 2**20  # below this size a part cannot hurt, whatever its ratio
XML_SUFFIXES = (".xml", ".rels")


def check_package(archive: zipfile.ZipFile, max_bytes: int, max_ratio: float) -> None:
    """Raise ReadError unless every part is within bounds; inflates each part once, a piece at a time."""
    parts = [info for info in archive.infolist() if not info.is_dir()]
    declared = sum(info.file_size for info in parts)
    if declared > max_bytes:
        raise _too_large(declared, max_bytes)
    for info in parts:
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ReadError(
                "too_large",
                f"The .docx part {info.filename} inflates {info.file_size / max(info.compress_size, 1):,.0f} times "
                f"(at most {max_ratio:g}, GONGKAI_MAX_ZIP_RATIO): this is a zip bomb, not a report.",
            )
    inflated = 0
    for info in parts:
        parser = _xml_parser() if info.filename.lower().endswith(XML_SUFFIXES) else None
        with archive.open(info) as stream:
            while piece := stream.read(CHUNK):
                inflated += len(piece)
                if inflated > max_bytes:
                    raise _too_large(inflated, max_bytes)
                if parser is not None:
                    _feed(parser, piece, info.filename)
        if parser is not None:
            _feed(parser, b"", info.filename, final=True)


def _xml_parser() -> DefusedExpatParser:
    """No DTD at all (so no entity either, internal or external), read incrementally."""
    return DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)


def _feed(parser: DefusedExpatParser, piece: bytes, name: str, final: bool = False) -> None:
    try:
        parser.close() if final else parser.feed(piece)
    except DefusedXmlException as exc:
        raise ReadError(
            "unreadable", f"The .docx part {name} declares a DTD or entities, which Word never writes: not read."
        ) from exc
    except SAXParseException as exc:
        raise ReadError(
            "truncated", "The .docx file is truncated or damaged; save it again from Word and upload the complete file."
        ) from exc


def _too_large(size: int, limit: int) -> ReadError:
    return ReadError(
        "too_large",
        f"The .docx inflates to more than {limit / 2**20:g} MB (GONGKAI_MAX_UNZIPPED_MB), far more than a report: "
        "not read.",
    )
