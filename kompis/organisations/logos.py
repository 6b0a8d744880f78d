"""Organisation logos: checked and re-encoded on upload, kept as bytes in the database.

Only PNG and JPEG are accepted. SVG is refused: it can carry script, and a sanitiser is one more thing to
keep right. Every upload is decoded and written again by Pillow, so what is served is a plain image
without metadata, whatever the upload contained besides the picture.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 512 * 1024
MAX_SOURCE_PIXELS = 25_000_000  # refuse decompression bombs before decoding
BOX = (800, 240)  # stored size: sharp at twice the header's height


@dataclass(frozen=True)
class CleanLogo:
    content_type: str
    data: bytes

    @property
    def version(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:12]


def _kind(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    return None


def clean_logo(upload: IO[bytes]) -> CleanLogo:
    """The logo to store, or a ValidationError saying what is wrong with the file."""
    raw = upload.read(MAX_LOGO_BYTES + 1)
    if len(raw) > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo is larger than 512 KB. Upload a smaller PNG or JPEG file."))
    kind = _kind(raw[:16])
    if kind is None:
        text = raw[:512].lstrip().lower()
        if text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in text:
            raise ValidationError(
                _("SVG logos are not accepted (they can contain scripts). Upload a PNG or JPEG file.")
            )
        raise ValidationError(_("The logo must be a PNG or JPEG image."))
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            width, height = probe.size
            if width * height > MAX_SOURCE_PIXELS:
                raise ValidationError(_("The logo has too many pixels. Upload a smaller image."))
            probe.verify()
        with Image.open(io.BytesIO(raw)) as source:
            source.load()
            image: Image.Image = source
            image.thumbnail(BOX)
            image.info = {}  # no comments, text chunks, profiles or EXIF carried over
            out = io.BytesIO()
            if kind == "PNG":
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, format="PNG", optimize=True)
            else:
                image.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The logo file is damaged or not an image.")) from exc
    return CleanLogo(content_type="image/png" if kind == "PNG" else "image/jpeg", data=out.getvalue())
