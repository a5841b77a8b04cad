"""佐证材料: accept a photo or a PDF only for what it is, and keep no metadata of a photo."""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from org.models import User

from ..models import Entry, Evidence, Report

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb, not evidence
THUMB = (360, 360)
MAX_PER_REPORT = 30


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _reencode(data: bytes) -> tuple[bytes, bytes]:
    """The photo as a fresh JPEG without EXIF (GPS, device) and its thumbnail."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(BytesIO(data)) as probe:
            probe.verify()
        with Image.open(BytesIO(data)) as opened:
            upright = ImageOps.exif_transpose(opened)  # keep the orientation, drop the tags
            image: Image.Image = (upright or opened).convert("RGB")
            clean = BytesIO()
            image.save(clean, "JPEG", quality=85, optimize=True)
            image.thumbnail(THUMB)
            thumb = BytesIO()
            image.save(thumb, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError("图片已损坏或无法识别，请重新拍照或另存后上传") from None
    return clean.getvalue(), thumb.getvalue()


@transaction.atomic
def evidence_add(
    *,
    report: Report,
    upload: UploadedFile,
    user: User,
    entry: Entry | None = None,
    caption: str = "",
) -> Evidence:
    name = PurePath(upload.name or "file").name[:150]
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(f"“{name}”超过 10 MB，请压缩后再传")
    if report.evidence.count() >= MAX_PER_REPORT:
        raise ValidationError(f"一份月报最多 {MAX_PER_REPORT} 个佐证材料")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(f"“{name}”超过 10 MB，请压缩后再传")
    kind = _sniff(data[:16])
    if kind is None:
        raise ValidationError(f"“{name}”不是照片（JPG、PNG、WebP）或 PDF 文件，不能作为佐证材料")
    stem = PurePath(name).stem[:80] or "file"
    evidence = Evidence(
        report=report, entry=entry, original_name=name, uploaded_by=user, caption=caption[:200]
    )
    if kind == "application/pdf":
        evidence.content_type, evidence.size = kind, len(data)
        evidence.file.save(f"{stem}.pdf", ContentFile(data), save=False)
    else:
        clean, thumb = _reencode(data)
        evidence.content_type, evidence.size = "image/jpeg", len(clean)
        evidence.file.save(f"{stem}.jpg", ContentFile(clean), save=False)
        evidence.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(thumb), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user: User | None, reason: str) -> None:
    """Mark the material deleted, with who and why; its file is kept for the record."""
    evidence.soft_delete(user=user, reason=reason)
