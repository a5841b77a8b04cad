"""Small view helpers every app uses: a service's refusal onto its form, a generated file as a download.

Stored files (uploads, evidence) go out through `org.uploads.file_response`, which also fixes their
type; these are for bytes a view has just built (workbooks, documents).
"""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from openpyxl import Workbook

from .xlsx import XLSX


def apply_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message on its field when the form has
    that field, everything else (a plain message, `__all__`, a field the form does not show)
    among the form's non-field errors, so no message is lost."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def download_response(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """Bytes as an attachment named `filename` (Chinese kept, RFC 5987), never sniffed as another type."""
    response = HttpResponse(data, content_type=content_type)
    # safe="": a "/" in a plan's title is encoded too, so no part of the name reads as a path.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def workbook_response(workbook: Workbook | bytes, filename: str) -> HttpResponse:
    """An .xlsx download, from an openpyxl workbook or the bytes of one already saved."""
    if isinstance(workbook, Workbook):
        buffer = BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    else:
        data = workbook
    return download_response(data, filename, XLSX)
