"""Getting report bytes out of a request: a multipart upload or JSON text, with errors a person can act on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from nlp.assessment import Rubric, RubricError, parse_rubric
from nlp.names import upload_name

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
TEXT_NAME = "report.txt"


class ApiError(Exception):
    """An answer other than 200, always sent as JSON {"error": code, "message": ...}."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class Upload:
    data: bytes
    filename: str | None


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_form(request: Request, max_files: int) -> FormData:
    if media_type(request) not in FORM_TYPES:
        raise ApiError(
            415,
            "unsupported",
            'Send multipart/form-data with the report in a field named \'file\', or application/json {"text": "..."}.',
        )
    try:
        return await request.form(max_files=max_files, max_fields=max_files + 10)
    except HTTPException as exc:  # starlette's word for a malformed multipart body
        raise ApiError(422, "unreadable", f"The form could not be parsed: {exc.detail}.") from exc
    except ClientDisconnect as exc:
        raise gone() from exc


def gone() -> ApiError:
    """The client went away before its body was complete: answered for the log's sake (once, no traceback)."""
    return ApiError(400, "disconnected", "The client closed the connection before the request body was complete.")


async def field(value: UploadFile | str | None) -> Upload | None:
    """A file part, or a text part (curl -F 'file=<report.txt' sends one); None for a part left empty,
    as a browser sends for a file input with nothing chosen."""
    if isinstance(value, UploadFile):
        data = await value.read()
        filename = upload_name(value.filename) if value.filename else value.filename
        return Upload(data, filename) if data or filename else None
    if isinstance(value, str):
        return Upload(value.encode("utf-8", errors="replace"), TEXT_NAME) if value else None
    return None


def rubric_of(value: Any) -> Rubric | None:
    """The `rubric` a request sent: a JSON object, or (multipart) a field holding its JSON text (curl -F
    'rubric=<my-rubric.json'); a 422 saying what is wrong."""
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            value = json.loads(value)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(422, "invalid_rubric", f"The rubric field is not JSON: {exc}.") from exc
    try:
        return parse_rubric(value, "The rubric field")
    except RubricError as exc:
        raise ApiError(422, "invalid_rubric", str(exc)) from exc


async def read_report(request: Request) -> tuple[Upload, Upload | None, Rubric | None]:
    """The report, the previous year's report if one was sent, and the rubric to score it by if one was."""
    if media_type(request) == "application/json":
        try:
            body = await request.json()
        except ClientDisconnect as exc:
            raise gone() from exc
        except ValueError as exc:  # also UnicodeDecodeError
            raise ApiError(422, "unreadable", "The request body is not valid JSON.") from exc
        except RecursionError as exc:
            raise ApiError(422, "unreadable", "The JSON is nested too deeply to be a report's text.") from exc
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str):
            raise ApiError(422, "empty", 'Send JSON {"text": "..."} with the report text, or a multipart file.')
        return Upload(text.encode("utf-8", errors="replace"), TEXT_NAME), None, rubric_of(body.get("rubric"))
    form = await read_form(request, max_files=2)
    try:
        report, previous = await field(form.get("file")), await field(form.get("previous"))
        rubric = await field(form.get("rubric"))
    finally:
        await form.close()
    if report is None:
        raise ApiError(422, "empty", "Send the report as a multipart field named 'file'.")
    return report, previous, rubric_of(rubric.data if rubric else None)


async def read_batch(request: Request, max_files: int) -> list[Upload]:
    form = await read_form(request, max_files=max_files)
    try:
        uploads = [upload for value in form.getlist("files") if (upload := await field(value))]
    finally:
        await form.close()
    if not uploads:
        raise ApiError(422, "empty", "Send the reports as multipart fields named 'files'.")
    return uploads
