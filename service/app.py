"""The HTTP service: POST a report, get the structured result (contract.md); the page at / uses the same API.

Run with `gongkai serve`. Limits and the number of workers are `nlp.settings.Settings` (GONGKAI_* variables or
the command's flags), given to `create_app` and to each endpoint by dependency injection.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from nlp.assessment import assess_document, load_rubric
from nlp.schema import AnalysisDocument, BatchLine, ErrorBody, Health, ThemedStatement
from nlp.settings import Settings, get_settings
from nlp.workers import analyze_line, tag_statements, themes_status
from service.corpus import router as corpus_router
from service.limits import BodyLimit
from service.upload import ApiError, Upload, read_batch, read_report
from service.workers import WorkerFailed, Workers

STATIC = Path(__file__).parent / "static"
STATUS = {
    "empty": 422,
    "scanned": 422,
    "encrypted": 422,
    "truncated": 422,
    "unreadable": 422,
    "not_report": 422,
    "too_long": 422,
    "too_slow": 422,
    "unsupported": 415,
    "too_large": 413,
    "internal": 500,
    "worker_crashed": 503,
}
ERRORS: dict[int | str, dict[str, Any]] = {
    413: {
        "model": ErrorBody,
        "description": "over the upload limit (GONGKAI_MAX_UPLOAD_MB), or a file that inflates or needs memory far "
        "beyond a report (a zip bomb, a PDF stream past GONGKAI_MAX_STREAM_MB, past GONGKAI_WORKER_MEMORY_MB)",
    },
    408: {
        "model": ErrorBody,
        "description": "the body stopped arriving (GONGKAI_REQUEST_IDLE_S) or took too long (GONGKAI_BODY_DEADLINE_S)",
    },
    415: {"model": ErrorBody, "description": "a file type or request type we do not read"},
    422: {
        "model": ErrorBody,
        "description": "empty, unreadable, scanned (needs OCR), encrypted, truncated, not a report, or "
        "too slow to read (past GONGKAI_TIME_BUDGET_S); or a request that does not match this page",
    },
    503: {"model": ErrorBody, "description": "the worker reading the request died; send the request again"},
}
FILE_PART = {"type": "string", "format": "binary", "description": "a report: .pdf, .docx, .html, .txt or .md"}
RUBRIC_PART = {
    "type": "string",
    "description": "optional: a field holding the rubric to score the report by, as JSON text "
    "(curl -F 'rubric=<my-rubric.json'; docs/assessment.md); default: gongkai's own",
}
ANALYZE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": FILE_PART,
                        "previous": {
                            **FILE_PART,
                            "description": "optional: the same agency's report for the year before, for "
                            "the cross-year checks",
                        },
                        "rubric": RUBRIC_PART,
                    },
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                        "text": {"type": "string", "description": "the report's text"},
                        "rubric": {
                            "type": "object",
                            "description": "optional: the rubric to score the report by (docs/assessment.md)",
                        },
                    },
                },
                "examples": {
                    "report text": {"value": {"text": "洪泽区人民政府2023年政府信息公开工作年度报告\n一、总体情况"}}
                },
            },
        },
    }
}


def batch_body(max_files: int) -> dict[str, Any]:
    files = {"type": "array", "items": FILE_PART, "maxItems": max_files}
    schema = {"type": "object", "required": ["files"], "properties": {"files": files}}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}


NDJSON = {
    "content": {
        "application/x-ndjson": {"schema": BatchLine.model_json_schema(ref_template="#/components/schemas/{model}")}
    },
    "description": "one JSON line per file, in the order they finish: the result document, or an error",
}


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


def app_settings(request: Request) -> Settings:
    """The settings the app was made with, for an endpoint to depend on."""
    return request.app.state.settings


AppSettings = Annotated[Settings, Depends(app_settings)]


def create_app(settings: Settings | None = None) -> FastAPI:
    """An app with its own settings and worker pool; tests make small ones, `app` below is the real one."""
    settings = settings or get_settings()
    load_rubric(settings.rubric)  # a bad GONGKAI_RUBRIC stops the service before it starts, with what is wrong
    pool = Workers(settings)
    store = open_store(settings.store)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        yield
        pool.stop()
        if store is not None:
            store.close()

    app = FastAPI(
        title="gongkai",
        version="0.1.0",
        lifespan=lifespan,
        description=(
            "Reads Chinese government information disclosure annual reports (政府信息公开工作年度报告) and checks "
            'them. Every error is JSON `{"error": code, "message": ...}`. The web page is at `/`.'
        ),
    )
    app.state.settings = settings
    app.state.store = store
    app.state.workers = pool  # for the corpus upload, which reads its files in the same pool
    app.state.jobs = {}  # corpus uploads by id, and their running tasks (service/corpus.py)
    app.state.uploads = set()
    app.state.themes_problem = None  # asked of a worker once, since the model loads there; "" when it is ready
    app.add_middleware(
        BodyLimit, limit=settings.max_upload_bytes, idle=settings.request_idle_s, deadline=settings.body_deadline_s
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(WorkerFailed)
    async def worker_failed(_: Request, exc: WorkerFailed) -> JSONResponse:
        return error_response(STATUS[exc.code], exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        return error_response(422, "invalid", f"The request does not match the API: {problems}.")

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI's word for a body it could not parse (e.g. JSON that is not UTF-8)
            return error_response(422, "unreadable", f"The request body could not be parsed: {exc.detail}.")
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def internal(_: Request, exc: Exception) -> JSONResponse:
        return error_response(500, "internal", f"Internal error ({type(exc).__name__}); please report it.")

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/healthz")
    async def healthz() -> Health:
        return Health(status="ok")

    @app.post("/v1/analyze", response_model=AnalysisDocument, openapi_extra=ANALYZE_BODY, responses=ERRORS)
    async def analyze(request: Request) -> JSONResponse:
        """Read one report (multipart `file`, optional `previous` for last year's) or JSON `{"text": ...}`."""
        report, previous, rubric = await read_report(request)
        line = await pool.run(
            analyze_line, report.data, report.filename, (previous.data, previous.filename) if previous else None
        )
        if "error" in line:  # an `internal` one was logged with its traceback by the worker
            return error_response(STATUS.get(line["error"], 422), line["error"], line["message"])
        if rubric is not None:  # scored again here, from the findings and facts the worker's result holds
            line["result"]["assessment"] = assess_document(line["result"], rubric)
        return JSONResponse(line["result"])  # the pipeline's dict as it is: no second validation pass

    @app.post(
        "/v1/themes",
        response_model=list[ThemedStatement],
        responses={**ERRORS, 503: {"model": ErrorBody, "description": "the theme model is not installed"}},
    )
    async def themes(
        statements: Annotated[
            list[str],
            Body(examples=[["政务公开队伍建设有待加强", "进一步规范依申请公开答复文书"]]),
        ],
        settings: AppSettings,
    ) -> list[dict[str, Any]]:
        """Kind (problem or measure), themes and scores for each statement, in the order sent."""
        if len(statements) > settings.max_statements:
            raise ApiError(
                422,
                "too_many",
                f"{len(statements):,} statements in one request, more than {settings.max_statements:,} "
                "(GONGKAI_MAX_STATEMENTS): send them in several requests.",
            )
        longest = max(map(len, statements), default=0)
        if longest > settings.max_statement_chars:
            raise ApiError(
                422,
                "too_long",
                f"A statement of {longest:,} characters, more than {settings.max_statement_chars:,} "
                "(GONGKAI_MAX_STATEMENT_CHARS): send statements one sentence or two each.",
            )
        if (total := sum(map(len, statements))) > settings.max_themes_chars:
            raise ApiError(
                422,
                "too_long",
                f"{total:,} characters of statements in one request, more than {settings.max_themes_chars:,} "
                "(GONGKAI_MAX_THEMES_CHARS): send them in several requests.",
            )
        if app.state.themes_problem is None:
            app.state.themes_problem = await pool.run(themes_status)
        if app.state.themes_problem:
            raise ApiError(503, "themes_unavailable", app.state.themes_problem)
        if not statements:
            return []
        return await pool.run(tag_statements, statements)

    @app.post(
        "/v1/batch",
        openapi_extra=batch_body(settings.max_batch_files),
        responses={200: NDJSON, **ERRORS},
        response_class=StreamingResponse,
    )
    async def batch(request: Request, settings: AppSettings) -> StreamingResponse:
        """Several reports in one request (multipart `files`); one JSON line per report as each finishes."""
        uploads = await read_batch(request, settings.max_batch_files)
        return StreamingResponse(stream_lines(pool, uploads), media_type="application/x-ndjson")

    app.include_router(corpus_router)
    return app


def open_store(name: str | None) -> Any:
    """The results store of the corpus views, if one is named; SQLAlchemy is loaded only then."""
    if not name:
        return None
    from nlp.store import Store

    return Store(name)


async def stream_lines(pool: Workers, uploads: list[Upload]) -> AsyncIterator[str]:
    """Lines in the order reports finish; work not yet started is dropped if the client goes away.

    At most one file per worker is handed to the pool at a time, so that a batch of 100 slow files takes its
    turn beside other requests instead of queueing ahead of them all."""
    names = [u.filename or f"file{i}" for i, u in enumerate(uploads)]
    turns = asyncio.Semaphore(pool.size)

    async def one(upload: Upload, name: str) -> dict[str, Any]:
        async with turns:
            return await pool.run(analyze_line, upload.data, upload.filename, None, name)

    tasks = {asyncio.ensure_future(one(u, name)): name for name, u in zip(names, uploads, strict=True)}
    try:
        pending = set(tasks)
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                try:
                    line = task.result()
                except WorkerFailed as exc:
                    line = {"file": tasks[task], "error": exc.code, "message": exc.message}
                yield json.dumps(line, ensure_ascii=False) + "\n"
    finally:
        for task in tasks:
            task.cancel()


app = create_app()
