"""六晒 photos: checked by their content, re-encoded as JPEG without metadata, thumbnailed,
and stored under MEDIA_ROOT where only the access-checking view serves them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb stops here, well before memory does
MAX_SIDE = 1600
THUMB_SIDE = 360
ACCEPTED = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
ROOT = "eldercare/posts"


@dataclass
class Stored:
    photo: str
    thumbnail: str


def media_path(relative: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise ValueError("path outside MEDIA_ROOT")
    return path


def _encode(image: Image.Image, side: int, quality: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side))
    buffer = BytesIO()
    # A fresh JPEG from the pixels alone: no EXIF, GPS, ICC or comments survive.
    copy.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def read_image(stream: IO[bytes], size: int) -> Image.Image:
    """The upload as RGB pixels, or a ValidationError in Chinese."""
    if size > MAX_BYTES:
        raise ValidationError(f"照片太大（{size / 1024 / 1024:.1f} MB），最大 10 MB")
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError("照片太大，最大 10 MB")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        probe = Image.open(BytesIO(data))
        kind = probe.format
        probe.verify()
        if kind not in ACCEPTED:
            raise ValidationError("只能上传 JPEG、PNG 等常见格式的照片")
        image: Image.Image = Image.open(BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError("文件不是有效的图片，请上传手机或相机拍摄的照片") from None
    image = ImageOps.exif_transpose(image) or image  # keep the photo upright, then drop EXIF
    return image.convert("RGB")


def store(image: Image.Image, *, institution_id: int, day: date) -> Stored:
    name = uuid.uuid4().hex
    folder = f"{ROOT}/{institution_id}/{day:%Y/%m}"
    stored = Stored(photo=f"{folder}/{name}.jpg", thumbnail=f"{folder}/{name}_t.jpg")
    for relative, side, quality in (
        (stored.photo, MAX_SIDE, 85),
        (stored.thumbnail, THUMB_SIDE, 75),
    ):
        path = media_path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_encode(image, side, quality))
    return stored
