"""六晒 photos: checked by their content, re-encoded as JPEG without metadata, thumbnailed,
and stored under MEDIA_ROOT where only the access-checking view serves them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from django.conf import settings
from PIL import Image

from org.uploads import check_image, check_size, jpeg_bytes, read_capped, stored_name

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
THUMB_SIDE = 360
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


def read_image(stream: IO[bytes], size: int) -> Image.Image:
    """The upload as RGB pixels (org.uploads.check_image), or a ValidationError in Chinese."""
    check_size(size, MAX_BYTES)
    return check_image(read_capped(stream, MAX_BYTES))


def store(image: Image.Image, *, institution_id: int, day: date) -> Stored:
    name = stored_name("")
    folder = f"{ROOT}/{institution_id}/{day:%Y/%m}"
    stored = Stored(photo=f"{folder}/{name}.jpg", thumbnail=f"{folder}/{name}_t.jpg")
    for relative, side, quality in (
        (stored.photo, MAX_SIDE, 85),
        (stored.thumbnail, THUMB_SIDE, 75),
    ):
        path = media_path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jpeg_bytes(image, side=side, quality=quality))
    return stored
