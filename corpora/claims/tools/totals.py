"""Print the sums a source's tables imply, to write its prose against: python tools/totals.py NN"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from build import SRC, cells_for, parse_source, t3_table, t4_table  # noqa: E402

METRICS = [
    "requests.new",
    "requests.carried_over",
    "requests.answered",
    "requests.carried_forward",
    "requests.granted",
    "requests.partial",
    "requests.denied",
    "requests.unavailable",
    "requests.not_processed",
    "requests.other",
    "requests.natural_person",
    "requests.commercial",
    "review.upheld",
    "review.corrected",
    "review.other",
    "review.pending",
    "review.total",
    "litigation.upheld",
    "litigation.corrected",
    "litigation.other",
    "litigation.pending",
    "litigation.total",
]
for prefix in sys.argv[1:]:
    for path in sorted(SRC.glob(f"{prefix}*.src")):
        meta, _ = parse_source(path)
        cells = t3_table(meta["t3"], meta["format"]) | t4_table(meta["t4"])
        cells.update(meta.get("overrides", {}))
        print(
            path.name,
            json.dumps({m: sum(cells[c] for c in cells_for(m, meta["format"])) for m in METRICS}, ensure_ascii=False),
        )
        print(
            "  forward:",
            [
                cells[f"t3.carried_forward.{c}"]
                for c in [
                    "natural_person",
                    "commercial",
                    "research",
                    "social_welfare",
                    "legal_service",
                    "other_org",
                    "total",
                ]
            ],
        )
