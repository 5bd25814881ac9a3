"""Unit tests of the poster check (movies/images.py): what is accepted, what is stored,
and what is refused with which field and code. No database, no HTTP."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from movies.images import poster_process

from .images import image_upload


def stored(content) -> Image.Image:
    image = Image.open(io.BytesIO(content.read()))
    content.seek(0)
    return image


def refusal(upload, **kwargs) -> tuple[str, str, str]:
    """(field, code, message) of the one error ``poster_process`` raises."""
    with pytest.raises(ValidationError) as caught:
        poster_process(upload, **kwargs)
    [(field, [error])] = caught.value.error_dict.items()
    return field, error.code, error.messages[0]


@pytest.mark.parametrize(("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_png_jpeg_and_webp_are_re_encoded_in_their_format_under_a_random_name(fmt, extension):
    content = poster_process(image_upload(f"My Poster.{extension}", fmt=fmt, size=(40, 60)))

    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{extension}", content.name)
    image = stored(content)
    assert (image.format, image.size) == (fmt, (40, 60))


def test_two_uploads_of_one_file_get_different_names():
    first = poster_process(image_upload())
    second = poster_process(image_upload())
    assert first.name != second.name


def test_the_uploaded_name_never_reaches_storage():
    content = poster_process(image_upload("../../etc/passwd.png"))
    assert "passwd" not in content.name
    assert "/" not in content.name


def test_metadata_and_trailing_bytes_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret location 51.5N 0.1W")
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), (10, 20, 30)).save(buffer, format="PNG", pnginfo=info)
    upload = SimpleUploadedFile(
        "p.png", buffer.getvalue() + b"<script>alert(1)</script>", content_type="image/png"
    )

    data = poster_process(upload).read()

    assert b"secret location" not in data
    assert b"<script>" not in data
    assert data.endswith(b"IEND\xaeB`\x82")  # nothing after the PNG's last chunk


def test_jpeg_exif_is_dropped():
    exif = Image.Exif()
    exif[0x010F] = "Spy Camera Co"  # Make
    upload = image_upload("p.jpg", fmt="JPEG", exif=exif.tobytes())
    assert b"Spy Camera Co" in upload.read()
    upload.seek(0)

    data = poster_process(upload).read()

    assert b"Spy Camera Co" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_a_cmyk_jpeg_is_stored_as_rgb():
    buffer = io.BytesIO()
    Image.new("CMYK", (20, 20), (0, 50, 100, 0)).save(buffer, format="JPEG")
    upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")

    image = stored(poster_process(upload))

    assert (image.format, image.mode) == ("JPEG", "RGB")


def test_an_unusual_png_mode_is_stored_in_a_mode_browsers_show():
    buffer = io.BytesIO()
    Image.new("I;16", (20, 20), 30000).save(buffer, format="PNG")  # 16-bit greyscale
    upload = SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")

    image = stored(poster_process(upload))

    assert image.format == "PNG"
    assert image.mode in ("RGB", "RGBA", "L", "LA", "P")


def test_the_upload_is_rewound_after_the_check():
    upload = image_upload()
    poster_process(upload)
    assert upload.tell() == 0


def test_a_file_over_the_byte_limit_is_refused_before_decoding(settings):
    upload = image_upload(size=(200, 200))
    settings.POSTER_MAX_BYTES = upload.size - 1

    field, code, message = refusal(upload)

    assert (field, code) == ("image", "too_large")
    assert "too large" in message


def test_the_byte_limit_is_inclusive(settings):
    upload = image_upload(size=(200, 200))
    settings.POSTER_MAX_BYTES = upload.size
    assert poster_process(upload).name.endswith(".png")


def test_an_image_over_the_pixel_limit_is_refused_naming_its_size(settings):
    settings.POSTER_MAX_PIXELS = 40 * 60 - 1

    field, code, message = refusal(image_upload(size=(40, 60)))

    assert (field, code) == ("image", "too_many_pixels")
    assert "40×60 pixels" in message


def test_the_pixel_limit_is_inclusive(settings):
    settings.POSTER_MAX_PIXELS = 40 * 60
    assert poster_process(image_upload(size=(40, 60))).name.endswith(".png")


def test_a_gif_is_refused_as_a_format_we_do_not_take():
    field, code, message = refusal(image_upload("p.gif", fmt="GIF"))
    assert (field, code) == ("image", "invalid_format")
    assert message == "Upload a PNG, JPEG or WebP image."


@pytest.mark.parametrize(
    "content",
    [
        b"not an image at all",
        b"",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG signature and garbage
    ],
    ids=["text", "empty", "png-signature-only"],
)
def test_what_is_not_an_image_is_refused(content):
    upload = SimpleUploadedFile("p.png", content, content_type="image/png")
    field, code, _ = refusal(upload)
    assert (field, code) == ("image", "invalid_image")


def test_a_truncated_png_is_refused():
    whole = image_upload(size=(300, 300)).read()
    upload = SimpleUploadedFile("p.png", whole[: len(whole) // 2], content_type="image/png")
    field, code, _ = refusal(upload)
    assert (field, code) == ("image", "invalid_image")


def test_errors_are_keyed_by_the_field_the_caller_names(settings):
    settings.POSTER_MAX_PIXELS = 1
    field, code, _ = refusal(image_upload(), field="poster")
    assert (field, code) == ("poster", "too_many_pixels")
