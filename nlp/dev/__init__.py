"""Developer commands, apart from the request path: train the theme model, score against the corpora, benchmark.

They work on a source checkout: the paths below are the checkout's, and `../shared` lies beside it.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
MODEL_PATH = ROOT / "models" / "themes.joblib"
STATEMENTS_CORPUS = ROOT / "corpora" / "statements" / "statements.jsonl"
