"""The HTTP service: POST a report, get the structured result (contract.md)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from nlp.document import ReadError
from nlp.pipeline import analyze
from nlp.text_limits import MAX_UPLOAD_BYTES

app = FastAPI(title="gongkai", version="0.1.0",
              description="Reads Chinese government information disclosure annual reports and checks them.")
STATUS = {"empty": 422, "scanned": 422, "encrypted": 422, "truncated": 422, "unreadable": 422,
          "not_report": 422, "unsupported": 415, "too_large": 413}


def error(code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=STATUS.get(code, 422))


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/v1/analyze")
async def analyze_endpoint(request: Request) -> Any:
    """Multipart `file` (pdf, docx, html, txt, md) or JSON `{"text": ...}`."""
    length = int(request.headers.get("content-length") or 0)
    if length > MAX_UPLOAD_BYTES:
        return error("too_large", f"The upload is {length / 2**20:.0f} MB; the limit is "
                     f"{MAX_UPLOAD_BYTES / 2**20:.0f} MB.")
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("application/json"):
            body = await request.json()
            text = body.get("text") if isinstance(body, dict) else None
            if not isinstance(text, str):
                return error("empty", 'Send JSON {"text": "..."} with the report text, or a multipart file.')
            data, filename = text.encode("utf-8"), "report.txt"
        else:
            form = await request.form()
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                return error("empty", "Send the report as a multipart field named 'file'.")
            data, filename = await upload.read(), upload.filename
        report = await run_in_threadpool(analyze, data, filename)
    except ReadError as exc:
        return error(exc.code, exc.message)
    except ValueError:
        return error("unreadable", "The request body could not be parsed; send multipart or JSON.")
    return report.to_dict()
