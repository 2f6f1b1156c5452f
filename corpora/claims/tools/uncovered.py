"""List numbers in the prose of each corpus text that no claim quote or distractor covers (to review by hand)."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUM = re.compile(r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+(?=[件条次个篇场期项份人名家户元万亿所座天])")
for js in sorted(ROOT.glob("[0-9][0-9]_*.json")):
    doc = json.loads(js.read_text(encoding="utf-8"))
    text = js.with_suffix(".txt").read_text(encoding="utf-8")
    covered = [False] * len(text)
    for c in doc["claims"]:
        for i in range(c["start"], c["start"] + len(c["quote"])):
            covered[i] = True
    for d in doc["distractors"]:
        for m in re.finditer(re.escape(d), text):
            for i in range(m.start(), m.end()):
                covered[i] = True
    # table regions: tab lines, and the 2019 one-cell-a-line tables (between section 二 and 五 headings)
    skip = [False] * len(text)
    pos = 0
    for line in text.split("\n"):
        if "\t" in line:
            for i in range(pos, pos + len(line)):
                skip[i] = True
        pos += len(line) + 1
    if doc["format"] in ("2019", "2021"):
        a, b = text.find("\n二、主动公开政府信息情况"), text.find("\n五、存在的主要问题")
        for i in range(a, b):
            skip[i] = True
    out = []
    for m in NUM.finditer(text):
        if not any(covered[m.start() : m.end()]) and not any(skip[m.start() : m.end()]):
            out.append(text[max(0, m.start() - 8) : m.end() + 4].replace("\n", " "))
    if out:
        print(js.stem, out)
