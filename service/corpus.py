"""The corpus views of the service: the reports of a results store, one stored document, the corpus in counts,
its exports, and the page at /corpus that shows them.

The store is the one `gongkai serve --store URL` (or GONGKAI_STORE) names; without one, every view answers 503
`no_store` and says how to give one. A zip uploaded on /corpus is read in the service's own worker pool, and
its progress is a job the page polls.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated, Any, Literal
from uuid import uuid4

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.background import BackgroundTask

from nlp.schema import AnalysisDocument, CorpusSummary, ErrorBody, ReportPage, ReportQuery, UploadJob
from service.upload import ApiError, read_report
from service.workers import WorkerFailed

STATIC = Path(__file__).parent / "static"
NO_STORE = {"model": ErrorBody, "description": "no results store is configured (gongkai serve --store URL)"}
MEDIA = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
router = APIRouter()


def corpus_store(request: Request) -> Any:
    """The app's store (opened once, at start-up), or a 503 that says how to give one."""
    store = request.app.state.store
    if store is None:
        raise ApiError(
            503,
            "no_store",
            "No results store is configured: start the service with gongkai serve --store results.db "
            "(or set GONGKAI_STORE), after gongkai batch DIR --store results.db.",
        )
    return store


CorpusStore = Annotated[Any, Depends(corpus_store)]


@router.get("/corpus", include_in_schema=False)
def page() -> FileResponse:
    return FileResponse(STATIC / "corpus.html")


@router.get("/v1/reports", response_model=ReportPage, responses={503: NO_STORE})
def reports(store: CorpusStore, query: Annotated[ReportQuery, Query()]) -> ReportPage:
    """The stored reports that pass the filters, one page of them, in the order asked."""
    from nlp.store.views import report_page

    return report_page(store, query)


@router.get(
    "/v1/reports/{sha256}",
    response_model=AnalysisDocument,
    responses={404: {"model": ErrorBody, "description": "no such report in the store"}, 503: NO_STORE},
)
def report(store: CorpusStore, sha256: str) -> JSONResponse:
    """The stored result of one report, the same document `POST /v1/analyze` returns."""
    doc = store.document(sha256.lower())
    if doc is None:
        raise ApiError(404, "not_found", f"No report with sha256 {sha256} has a result in the store.")
    return JSONResponse(doc)


@router.get("/v1/corpus/summary", response_model=CorpusSummary, responses={503: NO_STORE})
def corpus_summary(store: CorpusStore, top: Annotated[int, Query(ge=1, le=500)] = 20) -> CorpusSummary:
    """Counts by year, by rule and severity, by theme; the `top` agencies by errors."""
    from nlp.store.views import summary

    return summary(store, top)


@router.get(
    "/v1/export",
    responses={200: {"content": {m: {} for m in MEDIA.values()}, "description": "the file"}, 503: NO_STORE},
    response_class=FileResponse,
)
def export(store: CorpusStore, format: Literal["csv", "xlsx", "parquet"]) -> FileResponse:
    """The whole store as `gongkai export` writes it: the CSV summary, the XLSX workbook, or Parquet cells."""
    from nlp.store.export import export as write

    folder = tempfile.mkdtemp(prefix="gongkai-export-")
    out = Path(folder) / f"gongkai-corpus.{format}"
    write(store, format, out)
    return FileResponse(
        out, media_type=MEDIA[format], filename=out.name, background=BackgroundTask(remove, Path(folder))
    )


def remove(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


JOB = {"model": ErrorBody, "description": "no such upload"}


@router.post(
    "/v1/corpus/upload",
    status_code=202,
    response_model=UploadJob,
    responses={413: {"model": ErrorBody}, 415: {"model": ErrorBody}, 422: {"model": ErrorBody}, 503: NO_STORE},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary", "description": "a .zip"}},
                    }
                }
            },
        }
    },
)
async def upload(request: Request, store: CorpusStore) -> UploadJob:
    """A zip of reports (multipart `file`) into the store, read in the service's workers; poll the job."""
    settings = request.app.state.settings
    sent, _, _ = await read_report(request)
    members = zip_members(sent.data, settings.max_zip_files, settings.max_upload_bytes)
    job = UploadJob(id=uuid4().hex, total=len(members), done=0, read=0, failed=0, skipped=0, finished=not members)
    request.app.state.jobs[job.id] = job
    task = asyncio.ensure_future(run_upload(job, sent.data, members, store, request.app.state.workers))
    running = request.app.state.uploads  # held here, or the event loop may drop the task half-way
    running.add(task)
    task.add_done_callback(running.discard)
    return job


@router.get("/v1/corpus/jobs/{job_id}", response_model=UploadJob, responses={404: JOB})
def job(request: Request, job_id: str) -> UploadJob:
    found = request.app.state.jobs.get(job_id)
    if found is None:
        raise ApiError(404, "not_found", f"No upload {job_id} on this service (jobs live as long as the service).")
    return found


def zip_members(data: bytes, max_files: int, max_bytes: int) -> list[str]:
    """The report files of a zip, refused whole if it is not a zip, holds too many, or one would unpack too big."""
    from nlp.ingest import SUFFIXES

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and Path(i.filename).suffix.lower() in SUFFIXES]
    except zipfile.BadZipFile as exc:
        raise ApiError(422, "unreadable", f"The upload is not a readable zip file ({exc}).") from exc
    if len(infos) > max_files:
        raise ApiError(
            422, "too_many", f"The zip holds {len(infos):,} reports, more than {max_files:,} (GONGKAI_MAX_ZIP_FILES)."
        )
    for info in infos:
        if info.file_size > max_bytes:
            raise ApiError(
                413, "too_large", f"{info.filename} unpacks to {info.file_size / 2**20:.0f} MB, over the upload limit."
            )
    return [i.filename for i in infos]


async def run_upload(job: UploadJob, data: bytes, members: list[str], store: Any, pool: Any) -> None:
    """Each member hashed, skipped if stored, else read in a worker and stored; two files per worker at a time."""
    from starlette.concurrency import run_in_threadpool

    from nlp.store.store import CRASHED
    from nlp.store.version import analysis_version
    from nlp.workers import analyze_line

    version, seen, gate = analysis_version(), set(), asyncio.Semaphore(2 * pool.size)
    archive = zipfile.ZipFile(io.BytesIO(data))

    async def one(name: str) -> None:
        async with gate:
            content = archive.read(name)
            sha = hashlib.sha256(content).hexdigest()
            if sha in seen or await run_in_threadpool(store.current, [sha], version):
                job.skipped += 1
            else:
                seen.add(sha)
                try:
                    line = await pool.run(analyze_line, content, Path(name).name, None, name)
                except WorkerFailed as exc:  # too slow, too large, or the worker died: this file only
                    code = CRASHED if exc.code == "worker_crashed" else exc.code  # a crash is read again next run
                    line = {"file": name, "error": code, "message": exc.message}
                await run_in_threadpool(store.put, name, sha, line, version)
                job.read += "result" in line
                job.failed += "error" in line
            job.done += 1

    try:
        await asyncio.gather(*(one(name) for name in members))
    finally:
        archive.close()
        job.finished = True
