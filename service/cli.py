"""The `gongkai` command: analyze reports or whole folders, serve the API and page, and the developer commands.

It sits beside the service as a front end of the pipeline: flags override `nlp.settings.Settings` by copying it,
never by writing the environment.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from nlp.document import ReadError, Report
from nlp.settings import Settings, get_settings

if TYPE_CHECKING:
    from nlp.store import Store


def summary(report: Report) -> str:
    filled = sum(v is not None for v in report.tables.values())
    lines = [
        f"{report.filename}: {report.agency or '(agency unknown)'}, {report.year or '(year unknown)'}, "
        f"format {report.format}",
        "sections: " + ", ".join(s.key for s in report.sections),
        f"table cells: {len(report.tables)} printed, {filled} with a value",
    ]
    if report.publication:
        lines.append(f"published: {report.publication.date.isoformat()} ({report.publication.source})")
    if report.assessment:
        lines.append(
            f"score: {report.assessment['total']} of {report.assessment['max']} ({report.assessment['rubric']})"
        )
    lines += [f"{f.severity}: [{f.rule}] {f.message}" for f in report.findings]
    lines += [f"warning: {n.message}" for n in report.notices()]
    return "\n".join(lines)


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings in force, with the flags given on the command line put over them. The rubric in force is
    read here, so that a bad one stops the command before any report is read (RubricError)."""
    from nlp.assessment import load_rubric

    rubric = getattr(args, "rubric", None)
    flags = {
        "workers": getattr(args, "workers", None),
        "store": getattr(args, "store", None),
        "rubric": Path(rubric).resolve() if rubric else None,
    }
    settings = get_settings().model_copy(update={k: v for k, v in flags.items() if v is not None})
    load_rubric(settings.rubric)
    return settings


def cmd_analyze(args: argparse.Namespace) -> int:
    """Each file read in this process under the time budget and the memory cap the workers have."""
    from nlp.budget import cap_memory, one_math_thread, time_budget, too_large

    one_math_thread()
    from nlp.pipeline import analyze_path  # here, not at the top: `gongkai serve` should not hold the pipeline

    settings = settings_of(args)
    uncapped = cap_memory(settings.worker_memory_bytes)
    status = 0
    try:
        for path in args.paths:
            try:
                with time_budget(settings.time_budget_s):
                    report = analyze_path(path, args.previous, settings)
            except MemoryError:
                print(f"gongkai: {path}: {too_large(settings.worker_memory_mb).message}", file=sys.stderr)
                status = 2
                continue
            except ReadError as exc:
                print(f"gongkai: {path}: {exc.message}", file=sys.stderr)
                status = 2
                continue
            if args.json:
                print(json.dumps(report.to_dict(), ensure_ascii=False, indent=None if len(args.paths) > 1 else 2))
            elif args.html:
                from service.page import write_html

                print(write_html(report.to_dict(), Path(args.out_dir) / f"{Path(path).stem}.gongkai.html"))
            else:
                print(summary(report))
    finally:
        cap_memory(uncapped)  # a caller in the same process (a test) gets its address space back
    return status


def cmd_batch(args: argparse.Namespace) -> int:
    from nlp.batch import run_batch

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"gongkai: {folder} is not a folder.", file=sys.stderr)
        return 2
    if args.store:
        return batch_into_store(folder, args)
    if args.engine != "local" or args.scheduler:
        print("gongkai: --engine dask and --scheduler write to a results store: give --store.", file=sys.stderr)
        return 2
    run = run_batch(folder, Path(args.out), settings_of(args))
    print(
        f"{run.total} report files: {run.skipped} already in {args.out}, {run.read} read, {run.failed} could not "
        f"be read (see their error lines); summary in {run.csv}; {run.pairs} near-duplicate section pairs of "
        f"different bodies in {Path(args.out).with_suffix('.pairs.json')}"
    )
    return 0


def batch_into_store(folder: Path, args: argparse.Namespace) -> int:
    from nlp.store import StoreError
    from nlp.store.load import load_folder

    settings = settings_of(args)
    try:
        store = open_store(args.store)
    except StoreError as exc:
        print(f"gongkai: {exc}", file=sys.stderr)
        return 2
    try:
        if args.engine == "dask":
            from nlp.dask_engine import dask_engine

            run = load_folder(folder, store, settings, engine=dask_engine(args.scheduler))
        else:
            run = load_folder(folder, store, settings)
    finally:
        store.close()
    print(
        f"{run.total} report files: {run.skipped} already in the store, {run.copies} copies of another, {run.read} "
        f"read, {run.failed} could not be read (stored with their error)"
    )
    return 0


def open_store(name: str) -> Store:
    """Imported here: only the commands that use a store load SQLAlchemy."""
    from nlp.store import Store

    return Store(name)


def cmd_export(args: argparse.Namespace) -> int:
    from nlp.store import StoreError
    from nlp.store.export import export

    try:
        store = open_store(args.store)
    except StoreError as exc:
        print(f"gongkai: {exc}", file=sys.stderr)
        return 2
    try:
        count = export(store, args.format, Path(args.out))
    except OSError as exc:
        print(f"gongkai: {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(f"{count} reports exported to {args.out}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from nlp.store import StoreError
    from service.app import create_app
    from service.server import serve

    settings = settings_of(args)
    try:
        app = create_app(settings)
    except StoreError as exc:
        print(f"gongkai: {exc}", file=sys.stderr)
        return 2
    serve(app, settings, args.host, args.port)
    return 0


def cmd_themes(args: argparse.Namespace) -> int:
    """JSON lines of kind, themes and scores for each statement read (a file, or standard input)."""
    from nlp.prose.themes import read_statements, tag

    if args.path in (None, "-"):
        texts = list(read_statements(sys.stdin))
    else:
        try:
            with open(args.path, encoding="utf-8") as handle:
                texts = list(read_statements(handle))
        except OSError as exc:
            print(f"gongkai: {args.path}: {exc.strerror}", file=sys.stderr)
            return 2
    for row in tag(texts):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from nlp.dev.train import main as train

    return train(args.real_cv) or 0


def cmd_score(args: argparse.Namespace) -> int:
    if args.real:
        from nlp.dev.score_real import main as score_real

        return score_real(args.verbose, "pdf" if args.pdf else args.medium)
    from nlp.dev.score import main as score

    return score(args.corpus)


def cmd_generate(args: argparse.Namespace) -> int:
    from nlp.dev.generate import generate

    manifest = generate(Path(args.out), args.count, args.plant)
    planted = sum(bool(line["planted"]) for line in manifest)
    print(f"{len(manifest)} reports in {args.out} ({planted} with a planted mistake); manifest.jsonl beside them")
    return 0


def cmd_bench_corpus(args: argparse.Namespace) -> int:
    from nlp.dev.bench_corpus import main as bench_corpus

    return bench_corpus(args.reports, args.sample, args.store)


def cmd_bench(args: argparse.Namespace) -> int:
    from nlp.dev.bench import main as bench

    if args.ocr:
        from nlp.dev.bench_ocr import main as bench_ocr

        bench_ocr([Path(p) for p in args.paths])
        return 0
    return bench(args.paths)


RUBRIC_HELP = "the assessment rubric, JSON (default: gongkai's own, nlp/rubric.json; see docs/assessment.md)"


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
    analyze.add_argument("--rubric", metavar="FILE", help=RUBRIC_HELP)
    analyze.set_defaults(run=cmd_analyze)
    batch = sub.add_parser("batch", help="read a folder of reports into JSON lines and a CSV summary")
    batch.add_argument("folder")
    sink = batch.add_mutually_exclusive_group(required=True)
    sink.add_argument(
        "--out", help="results.jsonl; files already in it are skipped, and the summary goes beside it as results.csv"
    )
    sink.add_argument(
        "--store",
        help="a results store: a SQLite file (results.db) or a URL (postgresql+psycopg://user@host/db); files "
        "already in it by this analysis version are skipped",
    )
    batch.add_argument("--workers", type=int, default=None, help="worker processes (default: the CPU count)")
    batch.add_argument("--rubric", metavar="FILE", help=RUBRIC_HELP)
    batch.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="local: a process pool on this machine; dask: a dask.distributed cluster (with --store)",
    )
    batch.add_argument(
        "--scheduler", help="with --engine dask: a running scheduler (tcp://HOST:8786); none starts a LocalCluster"
    )
    batch.set_defaults(run=cmd_batch)
    serve = sub.add_parser("serve", help="run the web service and page")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default: the CPU count)")
    serve.add_argument("--rubric", metavar="FILE", help=RUBRIC_HELP)
    serve.add_argument("--store", help="the results store for /corpus and /v1/reports (GONGKAI_STORE)")
    serve.set_defaults(run=cmd_serve)
    export = sub.add_parser("export", help="a results store as a CSV summary, an XLSX workbook or Parquet cells")
    export.add_argument("--store", required=True, help="the results store (a SQLite file or a URL)")
    export.add_argument("--format", choices=["csv", "xlsx", "parquet"], required=True)
    export.add_argument("--out", required=True, help="the file to write")
    export.set_defaults(run=cmd_export)
    bench = sub.add_parser("bench", help="time the reader against a bare pdfplumber pass")
    bench.add_argument("paths", nargs="*")
    bench.add_argument("--ocr", action="store_true", help="OCR seconds per page and a worker's memory with OCR loaded")
    bench.set_defaults(run=cmd_bench)
    generate = sub.add_parser("generate", help="a corpus for scale tests: real reports with their numbers scaled")
    generate.add_argument("out", help="the folder to write the reports and manifest.jsonl into")
    generate.add_argument("-n", "--count", type=int, default=100)
    generate.add_argument("--plant", type=int, default=0, metavar="N", help="a known mistake in every N-th report")
    generate.set_defaults(run=cmd_generate)
    bench_corpus = sub.add_parser(
        "bench-corpus", help="reports/s into a results store; latency of the corpus views on a generated store"
    )
    bench_corpus.add_argument("--reports", type=int, default=10_000, help="reports in the store the views are timed on")
    bench_corpus.add_argument("--sample", type=int, default=60, help="reports each engine is timed on")
    bench_corpus.add_argument("--store", help="the store to fill (default: a SQLite file in a temporary folder)")
    bench_corpus.set_defaults(run=cmd_bench_corpus)
    themes = sub.add_parser("themes", help="tag the problems and measures of reports with their themes")
    themes.add_argument(
        "path", nargs="?", help='statements, one a line (plain or JSON with "text"); - or none for standard input'
    )
    themes.set_defaults(run=cmd_themes)
    score = sub.add_parser("score", help="claims and findings against the annotated corpus (corpora/claims)")
    score.add_argument("corpus", nargs="?")
    score.add_argument("--real", action="store_true", help="every real report in ../shared against corpora/real")
    score.add_argument("--verbose", "-v", action="store_true", help="with --real: every wrong cell and every miss")
    score.add_argument(
        "--pdf", action="store_true", help="with --real: the text and Markdown reports printed to PDF (Chromium)"
    )
    score.add_argument(
        "--as",
        dest="medium",
        choices=["html", "pdf", "docx"],
        help="with --real: the text and Markdown reports rendered in this medium (nlp/dev/render.py)",
    )
    score.set_defaults(run=cmd_score)
    train = sub.add_parser("train", help="train the theme model")
    train.add_argument(
        "--real-cv", action="store_true", help="only measure: theme F1 on real reports held out by group (slow)"
    )
    train.set_defaults(run=cmd_train)
    args = parser.parse_args(argv)
    from nlp.assessment import RubricError

    try:
        return args.run(args)
    except RubricError as exc:
        print(f"gongkai: {exc}", file=sys.stderr)
        return 2
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
