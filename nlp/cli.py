"""The `gongkai` command: analyze reports, serve the API, time the reader."""

from __future__ import annotations

import argparse
import json
import sys

from nlp.document import ReadError, Report
from nlp.pipeline import analyze_path


def summary(report: Report) -> str:
    filled = sum(v is not None for v in report.tables.values())
    lines = [f"{report.filename}: {report.agency or '(agency unknown)'}, {report.year or '(year unknown)'}, "
             f"format {report.format}",
             "sections: " + ", ".join(s.key for s in report.sections),
             f"table cells: {len(report.tables)} printed, {filled} with a value"]
    lines += [f"{f.severity}: [{f.rule}] {f.message}" for f in report.findings]
    lines += [f"warning: {w}" for w in report.warnings]
    return "\n".join(lines)


def cmd_analyze(args: argparse.Namespace) -> int:
    status = 0
    for path in args.paths:
        try:
            report = analyze_path(path)
        except ReadError as exc:
            print(f"gongkai: {path}: {exc.message}", file=sys.stderr)
            status = 2
            continue
        if args.json:
            print(json.dumps(report.to_dict(), ensure_ascii=False, indent=None if len(args.paths) > 1 else 2))
        else:
            print(summary(report))
    return status


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run("service.app:app", host=args.host, port=args.port)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from nlp.bench import main as bench

    return bench(args.paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gongkai", description="Read and check 政府信息公开工作年度报告.")
    sub = parser.add_subparsers(dest="command", required=True)
    analyze = sub.add_parser("analyze", help="read reports (pdf, docx, html, txt, md)")
    analyze.add_argument("paths", nargs="+")
    analyze.add_argument("--json", action="store_true", help="print the full result document")
    analyze.set_defaults(run=cmd_analyze)
    serve = sub.add_parser("serve", help="run the web service and page")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=cmd_serve)
    bench = sub.add_parser("bench", help="time the reader against a bare pdfplumber pass")
    bench.add_argument("paths", nargs="*")
    bench.set_defaults(run=cmd_bench)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a user sees one line, never a traceback
        print(f"gongkai: internal error ({type(exc).__name__}: {exc}); please report it with the file.",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
