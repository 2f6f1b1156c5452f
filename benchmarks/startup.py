"""Cold start of the command line: `gongkai analyze` of a text report against `python -c "import spacy"`, each a
fresh process, taken in turns in the same run so that the machine's load weighs on both alike.

    python benchmarks/startup.py                     # pingtan-2023.txt from ../shared, 7 rounds
    python benchmarks/startup.py REPORT --rounds 11

One untimed round first: it fills the OS file cache and jieba's dictionary cache (nlp/prose/segmenter.py), which
every later run of a user finds there too. Prints the median of each, wall clock and CPU, and their ratio (the
goal: at most 2).
"""

from __future__ import annotations

import argparse
import resource
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


def seconds(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one run: on a shared machine the CPU time wavers less."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


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
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.rounds):
        for name, command in commands.items():
            times[name].append(seconds(command))
    wall = {name: statistics.median(t[0] for t in runs) for name, runs in times.items()}
    cpu = {name: statistics.median(t[1] for t in runs) for name, runs in times.items()}
    for name, runs in times.items():
        each = ", ".join(f"{t[0]:.2f}" for t in runs)
        print(f"{name:16} median {wall[name]:.2f} s wall ({each}), {cpu[name]:.2f} s CPU")
    spacy, ours = "import spacy", "gongkai analyze"
    print(f"ratio            {wall[ours] / wall[spacy]:.2f} wall, {cpu[ours] / cpu[spacy]:.2f} CPU  (goal: at most 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
