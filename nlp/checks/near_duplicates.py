"""In a batch, sections of different bodies' reports for the same year that are near-duplicates of each other
(one body's report copied into another's): candidates by MinHash (datasketch's LSH, so a folder of thousands of
sections is not compared pair by pair), then an exact comparison of the two texts. Works on result documents, as
a batch writes them; the parameters are reuse.json's `near_duplicates`."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from datasketch import MinHash, MinHashLSH

from nlp.checks.registry import message
from nlp.checks.reuse import DATA, countable, fingerprint

PARAMETERS: dict[str, Any] = DATA["near_duplicates"]


@dataclass(frozen=True)
class Part:
    file: str
    agency: str | None
    year: int
    key: str
    title: str
    masked: str  # the countable sentences, numbers masked, joined
    sentences: tuple[str, ...]


def parts(lines: list[dict[str, Any]]) -> list[Part]:
    found = []
    for line in lines:
        doc = line.get("result")
        if not isinstance(doc, dict) or doc.get("report", {}).get("year") is None:
            continue
        for section in doc.get("sections", []):
            sentences = countable(section["text"])
            masked = "".join(map(fingerprint, sentences))
            if len(masked) >= PARAMETERS["min_chars"]:
                found.append(
                    Part(
                        line["file"],
                        doc["report"].get("agency"),
                        doc["report"]["year"],
                        section["key"],
                        section["title"],
                        masked,
                        tuple(sentences),
                    )
                )
    return found


def minhash(text: str) -> MinHash:
    size = PARAMETERS["shingle"]
    hashed = MinHash(num_perm=PARAMETERS["num_perm"])
    hashed.update_batch([text[i : i + size].encode("utf-8") for i in range(max(1, len(text) - size + 1))])
    return hashed


def different_bodies(a: Part, b: Part) -> bool:
    return a.file != b.file and a.year == b.year and not (a.agency and a.agency == b.agency)


def alike(a: Part, b: Part) -> list[str]:
    """The sentences of `a` that `b` repeats, numbers aside, word for word or nearly (a 县 for a 区)."""
    others = [fingerprint(s) for s in b.sentences]
    quoted = []
    for sentence in a.sentences:
        masked = fingerprint(sentence)
        for other in others:
            matcher = SequenceMatcher(None, masked, other, autojunk=False)
            if matcher.real_quick_ratio() >= PARAMETERS["ratio"] and matcher.ratio() >= PARAMETERS["ratio"]:
                quoted.append(sentence)
                break
    return quoted


def near_duplicates(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every near-duplicate pair of sections, each named by file, body and section, with the shared sentences."""
    found = parts(lines)
    hashes = [minhash(p.masked) for p in found]
    index = MinHashLSH(threshold=PARAMETERS["lsh_threshold"], num_perm=PARAMETERS["num_perm"])
    for i, hashed in enumerate(hashes):
        index.insert(str(i), hashed)
    pairs = []
    for i, a in enumerate(found):
        for j in sorted(int(k) for k in index.query(hashes[i])):
            b = found[j]
            if j <= i or not different_bodies(a, b):
                continue
            ratio = SequenceMatcher(None, a.masked, b.masked, autojunk=False).ratio()
            if ratio < PARAMETERS["ratio"]:
                continue
            pairs.append(
                {
                    "year": a.year,
                    "ratio": round(ratio, 3),
                    "a": {"file": a.file, "agency": a.agency, "section": a.key, "title": a.title},
                    "b": {"file": b.file, "agency": b.agency, "section": b.key, "title": b.title},
                    "quotes": alike(a, b)[:5],
                    "message": message(
                        "reuse.batch",
                        title=a.title,
                        key=a.key,
                        other_agency=b.agency or "",
                        other_file=b.file,
                        other_title=b.title,
                        other_key=b.key,
                        ratio=ratio,
                    ),
                }
            )
    return pairs
