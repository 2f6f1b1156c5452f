"""Print a built report's claims and findings compactly: python tools/show.py NN"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for prefix in sys.argv[1:]:
    for path in sorted(ROOT.glob(f"{prefix}*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        print(f"== {path.name} {doc['format']} planted={doc['planted']}")
        for c in doc["claims"]:
            cells = ",".join(c["cells"] or [])
            print(
                f"  {c['value']!s:>8} {c['unit'] or '-':4} {c['qualifier'] or '':11} {c['metric'] or '':24} "
                f"{c['quote']}  [{cells}]"
            )
        print("  distractors:", " / ".join(doc["distractors"]))
        for f in doc["findings"]:
            print(
                f"  FINDING m{f['mistake']} {f['rule']} cells={f['cells']} quote={f.get('quote')} "
                f"exp={f['expected']} act={f['actual']}"
            )
