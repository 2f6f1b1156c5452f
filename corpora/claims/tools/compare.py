"""Run `gongkai analyze --json` on every corpus text and compare with its annotation.

Prints, per report: format/year/table cells the tool reads differently, annotated claims it misses, claims it
reports that are not annotated (distractors among them), and planted findings it misses / errors it adds.
Usage: python corpora/claims/tools/compare.py [NN ...]
"""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def spans(text: str, quote: str, start: int | None = None) -> tuple[int, int]:
    pos = start if start is not None else text.find(quote)
    return pos, pos + len(quote)


def main() -> None:
    prefixes = sys.argv[1:] or [""]
    totals = Counter()
    for prefix in prefixes:
        for js in sorted(ROOT.glob(f"{prefix}*.json")):
            if not js.name[:2].isdigit():
                continue
            gold = json.loads(js.read_text(encoding="utf-8"))
            txt = js.with_suffix(".txt")
            text = txt.read_text(encoding="utf-8")
            run = subprocess.run(
                [sys.executable, "-m", "nlp.cli", "analyze", "--json", str(txt)],
                capture_output=True,
                text=True,
                cwd=ROOT.parent.parent,
            )
            try:
                out = json.loads(run.stdout)
            except json.JSONDecodeError:
                print(f"== {js.stem}: tool failed: {run.stderr[-300:]}")
                continue
            print(f"== {js.stem}")
            rep = out["report"]
            if rep["format"] != gold["format"] or rep["year"] != gold["year"]:
                print(f"  report: tool {rep['format']}/{rep['year']} vs {gold['format']}/{gold['year']}")
            diff = [
                (k, v, out["tables"].get(k, "MISSING"))
                for k, v in gold["tables"].items()
                if out["tables"].get(k, "MISSING") != v
            ]
            if diff:
                print(f"  tables: {len(diff)} cells differ, e.g. {diff[:4]}")
            # claims: locate tool claims in the full text by section text offsets
            secs = {s["key"]: s["text"] for s in out["sections"]}
            tool = []
            for c in out["claims"]:
                sec = secs.get(c["section"] or "", "")
                base = text.find(sec[:40]) if sec else -1
                if base < 0:
                    continue
                tool.append((base + c["start"], base + c["end"], c))
            matched_tool = set()
            miss = 0
            for g in gold["claims"]:
                gs, ge = spans(text, g["quote"], g["start"])
                hit = [i for i, (s, e, c) in enumerate(tool) if s < ge and e > gs and c["value"] == g["value"]]
                if hit:
                    matched_tool.update(hit)
                    c = tool[hit[0]][2]
                    totals["claims_found"] += 1
                    for field in ("unit", "metric", "qualifier"):
                        if c[field] != g[field]:
                            totals[f"{field}_differs"] += 1
                            print(f"  {field}: {g['quote']!r}: gold {g[field]} tool {c[field]}")
                else:
                    miss += 1
                    print(f"  MISSED claim: {g['quote']!r} ({g['value']} {g['unit']})")
            totals["claims"] += len(gold["claims"])
            for i, (s, e, c) in enumerate(tool):
                if i in matched_tool:
                    continue
                kind = (
                    "DISTRACTOR"
                    if any(
                        text.find(d) <= s < text.find(d) + len(d) or s <= text.find(d) < e for d in gold["distractors"]
                    )
                    else "extra"
                )
                totals[f"tool_{kind}"] += 1
                print(f"  tool {kind}: {c['quote']!r} = {c['value']} {c['unit']}")
            want = Counter(f["rule"] for f in gold["findings"])
            got = Counter(f["rule"] for f in out["findings"] if f["severity"] == "error")
            for rule in sorted(set(want) | set(got)):
                if want[rule] != got[rule]:
                    print(f"  findings {rule}: gold {want[rule]} tool-errors {got[rule]}")
                totals[f"gold_{rule}"] += want[rule]
                totals[f"tool_{rule}"] += min(want[rule], got[rule])
            for f in out["findings"]:
                if f["severity"] == "error" and f["rule"] not in want:
                    print(f"    tool error: {f['message'][:120]}")
    print(dict(totals))


if __name__ == "__main__":
    main()
