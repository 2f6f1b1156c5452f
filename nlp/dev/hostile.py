"""Files built to exhaust a reader, made on demand (never stored): zip bombs, inflating PDF streams, reference
cycles, XML entity tricks, floods of tags and text. The tests and `benchmarks/hostile.py` share them.

Each builder returns the bytes; big inflations are compressed a piece at a time, so building a 2 GB bomb needs
only a few MB of memory.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

PIECE = 2**20
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
BILLION_LAUGHS_DTD = f'<!DOCTYPE lolz [<!ENTITY lol0 "lol">{LAUGHS}]>'
PASSWD_DTD = '<!DOCTYPE doc [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def repeated(unit: bytes, total: int) -> Iterator[bytes]:
    """`unit` over and over, `total` bytes in all, in pieces of about 1 MB."""
    piece = unit * max(1, PIECE // len(unit))
    while total > 0:
        yield piece[:total]
        total -= len(piece)


def deflate(pieces: Iterator[bytes]) -> bytes:
    packer = zlib.compressobj(9)
    return b"".join(packer.compress(piece) for piece in pieces) + packer.flush()


# Word


def docx(document_xml: bytes | Iterator[bytes]) -> bytes:
    """A minimal .docx around the given word/document.xml (bytes, or pieces streamed into the zip)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for piece in [document_xml] if isinstance(document_xml, bytes) else document_xml:
                part.write(piece)
    return out.getvalue()


def document_xml(text: str, dtd: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{dtd}<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r>'
        f"<w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    ).encode()


def docx_bomb(inflated: int) -> bytes:
    """word/document.xml of `inflated` bytes, nearly all one repeated letter: about 1,000 times smaller zipped."""
    head, tail = document_xml("\x00").split(b"\x00")
    return docx(iter([head, *repeated(b"A", inflated - len(head) - len(tail)), tail]))


def docx_lying(inflated: int, declared: int = 1000) -> bytes:
    """A bomb whose zip directory says word/document.xml inflates to `declared` bytes."""
    data = bytearray(docx_bomb(inflated))
    name = b"word/document.xml"
    for signature, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):  # central and local headers
        start = data.find(signature)
        while start >= 0:
            name_at = start + (46 if signature == b"PK\x01\x02" else 30)
            if data[name_at : name_at + len(name)] == name:
                data[start + size_at : start + size_at + 4] = declared.to_bytes(4, "little")
            start = data.find(signature, start + 4)
    return bytes(data)


def docx_billion_laughs() -> bytes:
    return docx(document_xml("&lol9;", BILLION_LAUGHS_DTD))


def docx_external_entity() -> bytes:
    return docx(document_xml("&xxe;", PASSWD_DTD))


# HTML


def html_page(body: str, dtd: str = "<!DOCTYPE html>") -> bytes:
    return f"{dtd}<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode()


def html_billion_laughs() -> bytes:
    return html_page("<p>&lol9;</p>", BILLION_LAUGHS_DTD)


def html_external_entity() -> bytes:
    return html_page("<p>&xxe;</p>", PASSWD_DTD)


def html_nested(size: int) -> bytes:
    """`size` bytes of <div> opened inside one another, around one line of text."""
    depth = size // len("<div></div>")
    return html_page("<div>" * depth + "政府信息公开" + "</div>" * depth)


# PDF


def pdf(objects: dict[int, bytes], root: bytes = b"1 0 R") -> bytes:
    """A PDF of the given numbered objects with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %s >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def stream(data: bytes, flate: bool = True, length: bytes | None = None) -> bytes:
    body = deflate(iter([data])) if flate and isinstance(data, bytes) else data
    return b"<< /Length %s%s >>\nstream\n%s\nendstream" % (
        length or str(len(body)).encode(),
        b" /Filter /FlateDecode" if flate else b"",
        body,
    )


def one_page_pdf(
    content: bytes,
    *,
    compressed: bool = False,
    contents: bytes = b"4 0 R",
    mediabox: bytes = b"[0 0 595 842]",
    font: bytes = b"5 0 R",
    length: bytes | None = None,
    root: bytes = b"1 0 R",
    extra: dict[int, bytes] | None = None,
) -> bytes:
    """One page drawing `content` (already Flate-compressed if `compressed`) in Helvetica as /F1."""
    if compressed:
        content_object = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(content), content)
    else:
        content_object = stream(content, length=length)
    return pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources << /Font << /F1 %s >> >> /Contents %s >>"
            % (mediabox, font, contents),
            4: content_object,
            5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            **(extra or {}),
        },
        root,
    )


CYCLE = {6: b"7 0 R", 7: b"6 0 R"}
TEXT = b"BT /F1 12 Tf 72 720 Td (Annual report) Tj ET"


PLACES = ("root", "contents", "mediabox", "font", "length")  # the trailer's /Root, the page's, a stream's /Length


def pdf_cycle(where: str) -> bytes:
    """A 700-byte PDF where one reference (one of PLACES) leads into objects 6 → 7 → 6."""
    return one_page_pdf(TEXT, extra=CYCLE, **{where: b"6 0 R"})


def pdf_stream_bomb(inflated: int, unit: bytes = b"q Q\n") -> bytes:
    """One page whose content stream inflates to `inflated` bytes of `unit`."""
    return one_page_pdf(deflate(repeated(unit, inflated)), compressed=True)


def pdf_text_flood(inflated: int) -> bytes:
    """One page drawing `(A) Tj` over and over: `inflated` bytes of content, a character every 7 bytes."""
    body = repeated(b"(A) Tj\n", inflated)
    return one_page_pdf(deflate(iter([b"BT /F1 1 Tf 72 720 Td\n", *body, b"ET\n"])), compressed=True)
