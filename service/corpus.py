"""The corpus views of the service: the reports of a results store, one stored document, the corpus in counts,
its exports, and the page at /corpus that shows them.

The store is the one `gongkai serve --store URL` (or GONGKAI_STORE) names; without one, every view answers 503
`no_store` and says how to give one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.background import BackgroundTask

from nlp.schema import AnalysisDocument, CorpusSummary, ErrorBody, ReportPage, ReportQuery
from service.upload import ApiError

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
