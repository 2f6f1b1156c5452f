"""Results of every real report in ../shared and every corpus report, written to a folder, and the diff of two.

A restructure must not change what a report reads as: take a snapshot before, one after, and diff them.

    python scripts/snapshot.py take OUT_DIR
    python scripts/snapshot.py diff BEFORE_DIR AFTER_DIR
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt", ".md"}


def inputs() -> list[Path]:
    real = [
        p
        for p in sorted(SHARED.rglob("*"))
        if p.suffix.lower() in SUFFIXES and p.name != "README.md" and "reference" not in p.parts
    ]
    corpus = sorted((ROOT / "corpora" / "claims").glob("*.txt"))
    return real + corpus


def take(out: Path) -> None:
    from nlp.pipeline import ReadError, analyze_path

    out.mkdir(parents=True, exist_ok=True)
    for path in inputs():
        try:
            doc = analyze_path(path).to_dict()
        except ReadError as exc:
            doc = {"error": exc.code, "message": exc.message}
        name = path.relative_to(ROOT.parent).as_posix().replace("/", "__") + ".json"
        (out / name).write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{len(inputs())} results in {out}")


def diff(before: Path, after: Path) -> int:
    """Values changed or removed count as a change; fields only added (the contract allows it) are listed apart.
    Findings are compared as a set: the order checks run in is not part of the result."""
    names = sorted({p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")})
    changed, added = 0, set()
    for name in names:
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            print(f"{name}: only in {'after' if b.exists() else 'before'}")
            changed += 1
            continue
        old, new = json.loads(a.read_text(encoding="utf-8")), json.loads(b.read_text(encoding="utf-8"))
        differences = []
        for kind, line in compare(comparable(old), comparable(new), ""):
            if kind == "added":
                added.add(line)
            else:
                differences.append(line)
        if differences:
            changed += 1
            print(f"{name}: {len(differences)} difference(s)")
            for line in differences[:20]:
                print(f"  {line}")
    for line in sorted(added):
        print(f"added everywhere it applies: {line}")
    print(f"{len(names)} results compared, {changed} changed")
    return 1 if changed else 0


def comparable(doc: dict) -> dict:
    if isinstance(doc.get("findings"), list):
        doc = {**doc, "findings": sorted(doc["findings"], key=lambda f: json.dumps(f, sort_keys=True))}
    return doc


def compare(old: object, new: object, where: str):
    """("added", path) for a field only the new value has, ("changed", path: old -> new) for the rest."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if key not in old:
                yield "added", re.sub(r"\[\d+\]", "[]", f"{where}.{key}")
            elif key not in new:
                yield "changed", f"{where}.{key}: removed"
            else:
                yield from compare(old[key], new[key], f"{where}.{key}")
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from compare(a, b, f"{where}[{i}]")
    elif old != new:
        yield "changed", f"{where}: {str(old)[:100]!s} -> {str(new)[:100]!s}"


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "take":
        take(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        sys.exit(diff(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
