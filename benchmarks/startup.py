"""Cold start of the command line: `gongkai analyze` of a text report against `python -c "import spacy"`, each a
fresh process, taken in turns in the same run so that the machine's load weighs on both alike.

    python benchmarks/startup.py                     # pingtan-2023.txt from ../shared, 7 rounds
    python benchmarks/startup.py REPORT --rounds 11

One untimed round first: it fills the OS file cache and jieba's dictionary cache (nlp/prose/segmenter.py), which
every later run of a user finds there too. Prints the median of each and their ratio (the goal: at most 2).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPORT = Path(__file__).resolve().parents[2] / "shared" / "reports" / "pingtan" / "pingtan-2023.txt"


def gongkai() -> list[str]:
    """The installed `gongkai` script beside this interpreter, as a user runs it; else the module."""
    script = Path(sys.executable).with_name("gongkai")
    return [str(script)] if script.exists() else [sys.executable, "-m", "service.cli"]


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", nargs="?", default=str(REPORT), help="a text report (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    commands = {
        "gongkai analyze": [*gongkai(), "analyze", args.report],
        "import spacy": [sys.executable, "-c", "import spacy"],
    }
    for command in commands.values():
        seconds(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.rounds):
        for name, command in commands.items():
            times[name].append(seconds(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(f"{name:16} median {medians[name]:.2f} s  ({', '.join(f'{v:.2f}' for v in values)})")
    print(f"ratio            {medians['gongkai analyze'] / medians['import spacy']:.2f}  (goal: at most 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
