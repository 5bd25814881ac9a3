"""Poster uploads: check that a file is a real, reasonably sized image, then re-encode it.

Re-encoding drops metadata (EXIF, comments, trailing bytes) so what we store and
serve is only the picture.
"""

from __future__ import annotations

import contextlib
import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

# Pillow format name -> (file extension, save options)
POSTER_FORMATS: dict[str, tuple[str, dict]] = {
    "PNG": ("png", {"optimize": True}),
    "JPEG": ("jpg", {"quality": 90, "optimize": True}),
    "WEBP": ("webp", {"quality": 90}),
}


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def poster_process(upload, *, field: str = "image") -> ContentFile:
    """Validate an uploaded poster and return a clean, re-encoded copy ready to save.

    Raises ``ValidationError`` keyed by ``field`` when the upload is too large, is
    not a PNG, JPEG or WebP image, or decodes to more pixels than allowed.
    """
    max_bytes: int = settings.POSTER_MAX_BYTES
    max_pixels: int = settings.POSTER_MAX_PIXELS
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _error(
            field, f"The file is too large: at most {max_bytes // (1024 * 1024)} MB.", "too_large"
        )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            # Our own cap (below Pillow's) is checked on the header before decoding.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in POSTER_FORMATS:
                    raise _error(field, "Upload a PNG, JPEG or WebP image.", "invalid_format")
                width, height = image.size
                if width * height > max_pixels:
                    raise _error(
                        field,
                        f"The image is too large: {width}×{height} pixels, "
                        f"at most {max_pixels:,} pixels in all.",
                        "too_many_pixels",
                    )
                image.load()
                extension, options = POSTER_FORMATS[image.format]
                clean = _normalise_mode(image, image.format)
                buffer = io.BytesIO()
                clean.save(buffer, format=image.format, **options)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise _error(
            field,
            f"The image is too large: at most {max_pixels:,} pixels in all.",
            "too_many_pixels",
        ) from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ):
        raise _error(
            field, "Upload a valid image: the file is not an image or is corrupt.", "invalid_image"
        ) from None
    finally:
        with contextlib.suppress(OSError, ValueError):
            upload.seek(0)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def _normalise_mode(image: Image.Image, image_format: str) -> Image.Image:
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        return image.convert("RGB")
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        return image.convert("RGBA")
    return image
