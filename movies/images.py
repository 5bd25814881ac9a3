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


#: The widths (px) a poster is also stored at, as WebP, for ``srcset``.
POSTER_WIDTHS: tuple[int, ...] = (185, 342, 780)


def poster_sizes(content: bytes) -> list[tuple[int, int, bytes]]:
    """``(width, height, webp_bytes)`` for each of ``POSTER_WIDTHS``. An image narrower
    than a width is not enlarged: that size keeps the image's own width."""
    out = []
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        source = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        for target in POSTER_WIDTHS:
            width = min(target, source.width)
            height = max(1, round(source.height * width / source.width))
            resized = source.resize((width, height), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            resized.save(buffer, format="WEBP", quality=80, method=4)
            out.append((width, height, buffer.getvalue()))
    return out


def size_names(sizes: dict | None) -> list[str]:
    """The storage names of a movie's ``image_sizes``."""
    return [entry["name"] for entry in (sizes or {}).values()]


def save_poster_sizes(image_file) -> dict[str, dict]:
    """Store the sizes of the poster in ``image_file`` (a saved ``FieldFile``) next to it.

    Returns ``{"185": {"name", "width", "height"}, ...}`` (what ``Movie.image_sizes``
    holds). If one save fails, the sizes already stored are deleted.
    """
    storage = image_file.storage
    image_file.open("rb")
    try:
        content = image_file.read()
    finally:
        image_file.close()
    stem = image_file.name.rsplit(".", 1)[0]
    stored: dict[str, dict] = {}
    try:
        for (width, height, data), target in zip(poster_sizes(content), POSTER_WIDTHS, strict=True):
            name = storage.save(f"{stem}-{target}.webp", ContentFile(data))
            stored[str(target)] = {"name": name, "width": width, "height": height}
    except Exception:
        for name in size_names(stored):
            storage.delete(name)
        raise
    return stored
