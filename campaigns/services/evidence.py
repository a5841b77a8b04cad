"""佐证材料: accept a photo or a PDF only for what it is, and keep no metadata of a photo.

The checks are org.uploads': JPEG and PNG only, by their bytes, the pixel count capped before
decoding, re-encoded; every file is stored under a random name (the client's is only a label).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from org.models import User
from org.uploads import (
    check_image,
    display_name,
    image_type,
    jpeg_bytes,
    read_capped,
    stored_name,
)

from ..models import Entry, Evidence, Report

MAX_BYTES = 10 * 1024 * 1024
THUMB = 360
MAX_PER_REPORT = 30
PDF = "application/pdf"


@transaction.atomic
def evidence_add(
    *,
    report: Report,
    upload: UploadedFile,
    user: User,
    entry: Entry | None = None,
    caption: str = "",
) -> Evidence:
    name = display_name(upload.name, limit=150)
    if report.evidence.count() >= MAX_PER_REPORT:
        raise ValidationError(f"一份月报最多 {MAX_PER_REPORT} 个佐证材料")
    data = read_capped(upload, MAX_BYTES)
    is_pdf = data.startswith(b"%PDF-")
    if not is_pdf and image_type(data[:8]) is None:
        raise ValidationError(f"“{name}”不是照片（JPG、PNG）或 PDF 文件，不能作为佐证材料")
    evidence = Evidence(
        report=report, entry=entry, original_name=name, uploaded_by=user, caption=caption[:200]
    )
    if is_pdf:
        evidence.content_type, evidence.size = PDF, len(data)
        evidence.file.save(stored_name(".pdf"), ContentFile(data), save=False)
    else:
        image = check_image(data)
        clean = jpeg_bytes(image)
        evidence.content_type, evidence.size = "image/jpeg", len(clean)
        evidence.file.save(stored_name(".jpg"), ContentFile(clean), save=False)
        thumb = jpeg_bytes(image, side=THUMB, quality=80)
        evidence.thumbnail.save(stored_name(".jpg"), ContentFile(thumb), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user: User | None, reason: str) -> None:
    """Mark the material deleted, with who and why; its file is kept for the record."""
    evidence.soft_delete(user=user, reason=reason)
