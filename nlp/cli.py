"""The `gongkai` command: analyze reports or whole folders, serve the API and page, time the reader."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from nlp.document import ReadError, Report


def summary(report: Report) -> str:
    filled = sum(v is not None for v in report.tables.values())
    lines = [
        f"{report.filename}: {report.agency or '(agency unknown)'}, {report.year or '(year unknown)'}, "
        f"format {report.format}",
        "sections: " + ", ".join(s.key for s in report.sections),
        f"table cells: {len(report.tables)} printed, {filled} with a value",
    ]
    lines += [f"{f.severity}: [{f.rule}] {f.message}" for f in report.findings]
    lines += [f"warning: {w}" for w in report.warnings]
    return "\n".join(lines)


def cmd_analyze(args: argparse.Namespace) -> int:
    from nlp.pipeline import analyze_path  # here, not at the top: `gongkai serve` should not hold the pipeline

    status = 0
    for path in args.paths:
        try:
            report = analyze_path(path, args.previous)
        except ReadError as exc:
            print(f"gongkai: {path}: {exc.message}", file=sys.stderr)
            status = 2
            continue
        if args.json:
            print(json.dumps(report.to_dict(), ensure_ascii=False, indent=None if len(args.paths) > 1 else 2))
        elif args.html:
            from nlp.html_view import write_html

            print(write_html(report.to_dict(), Path(args.out_dir) / f"{Path(path).stem}.gongkai.html"))
        else:
            print(summary(report))
    return status


def cmd_batch(args: argparse.Namespace) -> int:
    from nlp.batch import run_batch

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"gongkai: {folder} is not a folder.", file=sys.stderr)
        return 2
    run = run_batch(folder, Path(args.out), workers=args.workers)
    print(
        f"{run.total} report files: {run.skipped} already in {args.out}, {run.read} read, {run.failed} could not "
        f"be read (see their error lines); summary in {run.csv}"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    if args.workers:
        os.environ["GONGKAI_WORKERS"] = str(args.workers)
    uvicorn.run("service.app:app", host=args.host, port=args.port)
    return 0


def cmd_themes(args: argparse.Namespace) -> int:
    from nlp.themes import main_themes

    return main_themes(args.path) or 0


def cmd_train(args: argparse.Namespace) -> int:
    from nlp.train import main as train

    return train() or 0


def cmd_score(args: argparse.Namespace) -> int:
    from nlp.score import main as score

    return score(args.corpus)


def cmd_bench(args: argparse.Namespace) -> int:
    from nlp.bench import main as bench

    return bench(args.paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gongkai", description="Read and check 政府信息公开工作年度报告.")
    sub = parser.add_subparsers(dest="command", required=True)
    analyze = sub.add_parser("analyze", help="read reports (pdf, docx, html, txt, md)")
    analyze.add_argument("paths", nargs="+")
    output = analyze.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the full result document")
    output.add_argument(
        "--html",
        action="store_true",
        help="write the web page's view of each report as one standalone file, NAME.gongkai.html",
    )
    analyze.add_argument("--out-dir", default=".", help="where --html writes (default: the current folder)")
    analyze.add_argument("--previous", help="last year's report of the same body, for the cross-year checks")
    analyze.set_defaults(run=cmd_analyze)
    batch = sub.add_parser("batch", help="read a folder of reports into JSON lines and a CSV summary")
    batch.add_argument("folder")
    batch.add_argument(
        "--out",
        required=True,
        help="results.jsonl; files already in it are skipped, and the summary goes beside it as results.csv",
    )
    batch.add_argument("--workers", type=int, default=None, help="worker processes (default: the CPU count)")
    batch.set_defaults(run=cmd_batch)
    serve = sub.add_parser("serve", help="run the web service and page")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default: the CPU count)")
    serve.set_defaults(run=cmd_serve)
    bench = sub.add_parser("bench", help="time the reader against a bare pdfplumber pass")
    bench.add_argument("paths", nargs="*")
    bench.set_defaults(run=cmd_bench)
    themes = sub.add_parser("themes", help="tag the problems and measures of reports with their themes")
    themes.add_argument(
        "path", nargs="?", help='statements, one a line (plain or JSON with "text"); - or none for standard input'
    )
    themes.set_defaults(run=cmd_themes)
    score = sub.add_parser("score", help="claims and findings against the annotated corpus (corpora/claims)")
    score.add_argument("corpus", nargs="?")
    score.set_defaults(run=cmd_score)
    train = sub.add_parser("train", help="train the theme model")
    train.set_defaults(run=cmd_train)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `gongkai score | head`: the reader has what it wanted
        sys.stderr.close()
        return 0
    except Exception as exc:  # noqa: BLE001 - a user sees one line, never a traceback
        print(
            f"gongkai: internal error ({type(exc).__name__}: {exc}); please report it with the file.", file=sys.stderr
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
