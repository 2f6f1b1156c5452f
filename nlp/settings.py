"""Every limit and path a deployment may change, read once from `GONGKAI_*` environment variables.

The CLI overrides a field by copying the object (`settings.model_copy(update=...)`), never by writing the
environment; the service takes it by dependency injection; worker processes receive the parent's object when they
start (`use`), so a flag given to `gongkai serve` reaches the pipeline inside them.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MODEL_FILE = "themes.joblib"


def packaged_model() -> Path:
    """models/themes.joblib: beside nlp/ in a checkout, or inside it as nlp/models/ once installed from a wheel
    (pyproject maps models/ to the package nlp.models)."""
    package = Path(__file__).resolve().parent
    checkout, installed = package.parent / "models" / MODEL_FILE, package / "models" / MODEL_FILE
    return checkout if checkout.exists() else installed


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GONGKAI_", frozen=True)

    max_upload_mb: float = Field(50, gt=0, description="largest upload the service accepts, in MB")
    # About 150 pages, ten times the longest report we have (a 6-page PDF or a Pingtan page is 6,000-15,000
    # characters): longer text is a bundle of reports or not a report, and reading it would take most of a minute.
    max_text_chars: int = Field(300_000, gt=0, description="longest text one report may hold")
    # A PDF is refused on its page count before any page is read: 200 pages is several times the longest report.
    max_pages: int = Field(200, gt=0, description="most pages one PDF may have")
    max_batch_files: int = Field(100, gt=0, description="most files one /v1/batch request may carry")
    max_statements: int = Field(10_000, gt=0, description="most statements one /v1/themes request may carry")
    # /v1/themes: one statement is a sentence or two (the longest in corpora/statements has 112 characters).
    max_statement_chars: int = Field(2_000, gt=0, description="longest statement /v1/themes takes")
    max_themes_chars: int = Field(1_000_000, gt=0, description="most text, all statements together, per /v1/themes")
    # Bounds before work. A .docx is refused from its zip directory: the largest real one inflates to 0.3 MB and
    # Word's XML compresses 3-20 times, while a zip bomb inflates a thousand times.
    max_unzipped_mb: float = Field(100, gt=0, description="most a .docx may inflate to, all parts together")
    max_zip_ratio: float = Field(200, gt=1, description="highest inflated/compressed ratio of a .docx part over 1 MB")
    # The largest decoded stream of the real PDFs is 0.43 MB (a page's content); images are not decoded at all.
    # pdfminer runs about 20 µs an operator, so 4 MB of `q Q` is 20 s of work: a cap well above real streams
    # that keeps one stream's work well inside the time budget.
    max_stream_mb: float = Field(4, gt=0, description="most one PDF stream may decode to")
    # pdfium reads a PDF's text about twenty times faster than pdfminer, through which pdfplumber reads it; the
    # old reader stays for one release, to compare (tests/ingest/test_pdf_readers.py) and to fall back on.
    pdf_reader: Literal["pdfium", "pdfplumber"] = Field("pdfium", description="the reader of a PDF's text layer")
    # A saved report page holds a few thousand elements; the count of '<' bounds them before parsing.
    max_html_tags: int = Field(200_000, gt=0, description="most tags an HTML page may hold")
    # Bounds while working, enforced by the worker pool: a worker past either is ended and replaced.
    time_budget_s: float = Field(60, gt=0, description="longest one request (one file in batch) may run, in seconds")
    worker_memory_mb: float = Field(2048, gt=0, description="address space a worker process may use, in MB")
    # Slow and idle clients.
    request_idle_s: float = Field(30, gt=0, description="longest wait for a request's headers or its body's next piece")
    body_deadline_s: float = Field(300, gt=0, description="longest a request body may take to arrive, in seconds")
    keep_alive_s: float = Field(5, gt=0, description="a connection with no request is closed after this many seconds")
    max_connections: int = Field(256, gt=0, description="connections and requests the server serves at once")
    workers: int = Field(0, ge=0, description="worker processes; 0 is one per CPU")
    # One published assessment indicator deducts points when more than half of a report repeats last year's.
    reuse_threshold: float = Field(
        0.5, gt=0, le=1, description="share of a section or report repeated from last year's that is a finding"
    )
    # OCR of scanned pages (nlp/ingest/ocr.py). One onnxruntime thread per worker: the pool already runs one
    # worker per core, and more threads than cores spin against each other (measured: 2 threads took 2.3x longer
    # than 1 on this 2-core machine under load).
    ocr_threads: int = Field(1, ge=1, description="onnxruntime threads of the OCR engine, per worker")
    ocr_dpi: int = Field(150, ge=72, le=600, description="resolution scanned PDF pages are rendered at for OCR")
    ocr_seconds: float = Field(
        300, gt=0, description="time one request may spend on OCR before it is refused (about 5-10 s a page)"
    )
    ocr_min_confidence: float = Field(
        0.5,
        ge=0,
        le=1,
        description="an OCR table cell read with less confidence makes an error resting on it only a warning",
    )
    rubric: Path | None = Field(None, description="the assessment rubric (JSON); none: the default, nlp/rubric.json")
    theme_model: Path = Field(default_factory=packaged_model, description="the trained theme model file")
    store: str | None = Field(None, description="the results store the service's corpus views read (path or URL)")
    max_zip_files: int = Field(10_000, gt=0, description="most reports one zip uploaded on /corpus may hold")
    dask_inline_mb: float = Field(
        4, ge=0, description="with --engine dask, files up to this size go to the workers as bytes; larger by path"
    )

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 2**20)

    @property
    def max_unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * 2**20)

    @property
    def max_stream_bytes(self) -> int:
        return int(self.max_stream_mb * 2**20)

    @property
    def worker_memory_bytes(self) -> int:
        return int(self.worker_memory_mb * 2**20)

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1


_current: Settings | None = None


@cache
def _from_environment() -> Settings:
    return Settings()


def get_settings() -> Settings:
    """The settings in force in this process: those given to `use`, else the environment's, read once."""
    return _current or _from_environment()


def use(settings: Settings) -> None:
    """Put `settings` in force in this process (a worker's initializer, the CLI after its flags)."""
    global _current
    _current = settings
